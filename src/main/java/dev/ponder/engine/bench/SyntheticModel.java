package dev.ponder.engine.bench;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.gguf.GGUFWriter;
import dev.ponder.engine.tensor.Quantizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a model of a real shape with random weights as a standard GGUF file (llama.cpp's metadata keys and
 * tensor names, a byte-level BPE vocabulary of the right size), so speed can be measured here, by Ponder
 * and by any other GGUF runtime, without downloading weights. Tensors are generated and quantized row
 * block by row block while the file is written, so the heap never holds a whole model.
 */
public final class SyntheticModel {
    /**
     * A model shape.
     *
     * @param name   preset name
     * @param arch   GGUF architecture ("llama" or "qwen2")
     * @param dim    embedding width
     * @param layers blocks
     * @param heads  query heads
     * @param kvHeads key/value heads
     * @param ffn    feed-forward width
     * @param vocab  vocabulary size
     * @param ropeBase RoPE base
     */
    public record Shape(String name, String arch, int dim, int layers, int heads, int kvHeads, int ffn, int vocab, float ropeBase) {
        public long parameters() {
            long hd = dim / heads;
            long attn = (long) dim * heads * hd * 2 + (long) dim * kvHeads * hd * 2;
            return (long) vocab * dim + layers * (attn + 3L * dim * ffn + 2L * dim) + dim;
        }
    }

    public static final Shape QWEN25_05B = new Shape("qwen2.5-0.5b", "qwen2", 896, 24, 14, 2, 4864, 151936, 1_000_000f);
    public static final Shape LLAMA32_1B = new Shape("llama-3.2-1b", "llama", 2048, 16, 32, 8, 8192, 128256, 500_000f);
    public static final Shape TINY = new Shape("tiny", "llama", 128, 2, 4, 2, 256, 512, 10_000f);

    public static Shape preset(String name) {
        for (Shape s : List.of(QWEN25_05B, LLAMA32_1B, TINY)) if (s.name.equalsIgnoreCase(name)) return s;
        throw new PonderException("unknown model shape '" + name + "' (known: qwen2.5-0.5b, llama-3.2-1b, tiny)");
    }

    private SyntheticModel() {}

    /** Writes {@code shape} with matrices of {@code type} (norms and biases F32) to {@code out}. */
    public static void write(Shape shape, GGMLType type, long seed, Path out) throws IOException {
        if (type != GGMLType.Q8_0 && type != GGMLType.Q4_0 && type != GGMLType.F16 && type != GGMLType.F32 && type != GGMLType.Q4_K && type != GGMLType.Q6_K)
            throw new PonderException("synthetic models can be written in F32, F16, Q8_0, Q4_0, Q4_K or Q6_K, not " + type);
        String a = shape.arch;
        int hd = shape.dim / shape.heads;
        GGUFWriter w = new GGUFWriter()
                .putString("general.architecture", a)
                .putString("general.name", "synthetic " + shape.name + " " + type)
                .putUInt32("general.file_type", fileType(type))
                .putUInt32("general.quantization_version", 2)
                .putUInt32(a + ".context_length", 4096)
                .putUInt32(a + ".embedding_length", shape.dim)
                .putUInt32(a + ".block_count", shape.layers)
                .putUInt32(a + ".feed_forward_length", shape.ffn)
                .putUInt32(a + ".attention.head_count", shape.heads)
                .putUInt32(a + ".attention.head_count_kv", shape.kvHeads)
                .putFloat32(a + ".rope.freq_base", shape.ropeBase)
                .putFloat32(a + ".attention.layer_norm_rms_epsilon", 1e-6f)
                .putUInt32(a + ".rope.dimension_count", hd);
        if (a.equals("llama")) w.putUInt32("llama.vocab_size", shape.vocab);
        vocabulary(w, shape.vocab, a.equals("qwen2") ? "qwen2" : "llama-bpe");
        SplittableRandom rnd = new SplittableRandom(seed);
        float scale = (float) (1.0 / Math.sqrt(shape.dim));
        matrix(w, "token_embd.weight", type, shape.vocab, shape.dim, rnd.nextLong(), 1f);
        for (int l = 0; l < shape.layers; l++) {
            String p = "blk." + l + ".";
            vector(w, p + "attn_norm.weight", shape.dim, 1f);
            matrix(w, p + "attn_q.weight", type, shape.heads * hd, shape.dim, rnd.nextLong(), scale);
            matrix(w, p + "attn_k.weight", type, shape.kvHeads * hd, shape.dim, rnd.nextLong(), scale);
            matrix(w, p + "attn_v.weight", type, shape.kvHeads * hd, shape.dim, rnd.nextLong(), scale);
            if (a.equals("qwen2")) {
                vector(w, p + "attn_q.bias", shape.heads * hd, 0f);
                vector(w, p + "attn_k.bias", shape.kvHeads * hd, 0f);
                vector(w, p + "attn_v.bias", shape.kvHeads * hd, 0f);
            }
            matrix(w, p + "attn_output.weight", type, shape.dim, shape.heads * hd, rnd.nextLong(), scale);
            vector(w, p + "ffn_norm.weight", shape.dim, 1f);
            matrix(w, p + "ffn_gate.weight", type, shape.ffn, shape.dim, rnd.nextLong(), scale);
            matrix(w, p + "ffn_up.weight", type, shape.ffn, shape.dim, rnd.nextLong(), scale);
            matrix(w, p + "ffn_down.weight", type, shape.dim, shape.ffn, rnd.nextLong(), (float) (1.0 / Math.sqrt(shape.ffn)));
        }
        vector(w, "output_norm.weight", shape.dim, 1f); // output tied to token_embd, as in both real models
        w.write(out);
    }

    private static int fileType(GGMLType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case Q4_K -> 15;
            case Q6_K -> 18;
            default -> throw new IllegalStateException();
        };
    }

    private static void vector(GGUFWriter w, String name, int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        w.addTensor(name, GGMLType.F32, new long[] {n}, Quantizer.quantize(GGMLType.F32, v));
    }

    /** A [rows][cols] matrix of uniform values in ±amplitude·√3 (std = amplitude), generated while writing. */
    private static void matrix(GGUFWriter w, String name, GGMLType type, int rows, int cols, long seed, float amplitude) {
        long bytes = type.byteSize((long) rows * cols);
        w.addTensor(name, type, new long[] {cols, rows}, bytes, out -> {
            SplittableRandom r = new SplittableRandom(seed);
            int chunkRows = Math.max(1, (1 << 20) / cols);
            float[] buf = new float[chunkRows * cols];
            float a = (float) (amplitude * Math.sqrt(3));
            for (int row = 0; row < rows; row += chunkRows) {
                int n = Math.min(chunkRows, rows - row);
                float[] vals = n == chunkRows ? buf : new float[n * cols];
                for (int i = 0; i < vals.length; i++) vals[i] = (float) ((r.nextDouble() * 2 - 1) * a);
                out.write(Quantizer.quantize(type, vals));
            }
        });
    }

    /**
     * A byte-level BPE vocabulary of exactly {@code size} tokens that llama.cpp accepts: the 256 byte symbols,
     * merged tokens built from them (each with its merge rule), and the usual special tokens at the end.
     */
    static void vocabulary(GGUFWriter w, int size, String pre) {
        String[] specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
        List<String> byteSyms = new ArrayList<>();
        for (int b = 0; b < 256; b++) byteSyms.add(byteSymbol(b));
        LinkedHashSet<String> tokens = new LinkedHashSet<>(byteSyms);
        List<String> merges = new ArrayList<>();
        int target = size - specials.length;
        // printable ASCII symbols, merged pairwise, then extended by one symbol at a time
        List<String> printable = new ArrayList<>();
        for (int b = 'a'; b <= 'z'; b++) printable.add(byteSymbol(b));
        for (int b = 'A'; b <= 'Z'; b++) printable.add(byteSymbol(b));
        for (int b = '0'; b <= '9'; b++) printable.add(byteSymbol(b));
        printable.add(byteSymbol(' '));
        List<String> frontier = new ArrayList<>(printable);
        outer:
        while (tokens.size() < target) {
            List<String> next = new ArrayList<>();
            for (String left : frontier) {
                for (String right : printable) {
                    if (tokens.size() >= target) break outer;
                    String t = left + right;
                    if (tokens.add(t)) {
                        merges.add(left + " " + right);
                        next.add(t);
                    }
                }
            }
            frontier = next;
        }
        List<String> all = new ArrayList<>(tokens);
        int[] types = new int[size];
        java.util.Arrays.fill(types, 1);
        for (String s : specials) {
            types[all.size()] = 3;
            all.add(s);
        }
        if (all.size() != size) throw new PonderException("vocabulary of " + size + " tokens is too small for a synthetic BPE model");
        w.putString("tokenizer.ggml.model", "gpt2")
                .putString("tokenizer.ggml.pre", pre)
                .putStrings("tokenizer.ggml.tokens", all)
                .putInt32s("tokenizer.ggml.token_type", types)
                .putStrings("tokenizer.ggml.merges", merges)
                .putUInt32("tokenizer.ggml.bos_token_id", size - 3)
                .putUInt32("tokenizer.ggml.eos_token_id", size - 1)
                .putUInt32("tokenizer.ggml.padding_token_id", size - 3)
                .putBool("tokenizer.ggml.add_bos_token", false)
                .putString("tokenizer.chat_template", CHATML);
    }

    static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** GPT-2's byte-to-unicode mapping: printable bytes stand for themselves, the others shift above U+0100. */
    static String byteSymbol(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) return String.valueOf((char) b);
        int n = 0;
        for (int x = 0; x < b; x++) if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) n++;
        return String.valueOf((char) (256 + n));
    }

    static String describe(Shape s) {
        return String.format(Locale.ROOT, "%s (%s, dim %d, %d layers, %d heads, %d KV heads, FFN %d, vocab %d, %.0fM parameters)",
                s.name, s.arch, s.dim, s.layers, s.heads, s.kvHeads, s.ffn, s.vocab, s.parameters() / 1e6);
    }
}
