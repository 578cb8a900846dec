package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.gguf.GGUFFile;
import dev.ponder.engine.gguf.GGUFValue;
import dev.ponder.engine.gguf.GGUFWriter;
import dev.ponder.engine.gguf.TensorInfo;
import dev.ponder.engine.tensor.Quantizer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves trainer weights to and from GGUF files laid out exactly as llama.cpp expects for arch {@code llama}:
 * llama.cpp tensor names, ggml dims {@code [in, out]} for a {@code W[out][in]} matrix stored row-major, the
 * {@code llama.*} metadata keys, and {@code output.weight} omitted when the output is tied to the embedding.
 * The weights need no permutation: the trainer already applies RoPE to adjacent pairs as llama.cpp does.
 */
public final class LlamaGguf {
    /** {@code general.file_type} values (llama.cpp's llama_ftype). */
    static final int FTYPE_ALL_F32 = 0, FTYPE_MOSTLY_Q8_0 = 7;

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LlamaGguf() {}

    /**
     * Writes {@code w} as a GGUF model. Norm weights are always F32; matrices are {@code matrixType} (F32 or
     * Q8_0). {@code tokenizer} holds the {@code tokenizer.*} metadata from whoever supplies the vocabulary.
     */
    public static void export(LlamaWeights w, String name, Map<String, GGUFValue> tokenizer, GGMLType matrixType, Path path) throws IOException {
        if (matrixType != GGMLType.F32 && matrixType != GGMLType.Q8_0)
            throw new PonderException("can export matrices as F32 or Q8_0, not " + matrixType);
        LlamaConfig c = w.config;
        GGUFWriter out = new GGUFWriter();
        out.putString("general.architecture", "llama");
        out.putString("general.name", name);
        out.putUInt32("llama.context_length", c.contextLength());
        out.putUInt32("llama.embedding_length", c.dim());
        out.putUInt32("llama.block_count", c.layers());
        out.putUInt32("llama.feed_forward_length", c.ffnDim());
        out.putUInt32("llama.attention.head_count", c.heads());
        out.putUInt32("llama.attention.head_count_kv", c.kvHeads());
        out.putFloat32("llama.rope.freq_base", c.ropeBase());
        out.putFloat32("llama.attention.layer_norm_rms_epsilon", c.rmsEps());
        out.putUInt32("llama.rope.dimension_count", c.headDim());
        out.putUInt32("llama.vocab_size", c.vocab());
        out.putUInt32("general.file_type", matrixType == GGMLType.Q8_0 ? FTYPE_MOSTLY_Q8_0 : FTYPE_ALL_F32);
        if (tokenizer != null) tokenizer.forEach((k, v) -> {
            if (!k.startsWith("tokenizer.")) throw new PonderException("tokenizer metadata key '" + k + "' does not start with 'tokenizer.'");
            out.put(k, v);
        });
        for (Param p : w.params()) {
            long[] dims = p.isVector() ? new long[] {p.cols} : new long[] {p.cols, p.rows};
            GGMLType type = p.isVector() ? GGMLType.F32 : matrixType;
            if (type == GGMLType.Q8_0 && p.cols % GGMLType.Q8_0.blockSize != 0) type = GGMLType.F32; // rows must be whole blocks
            out.addTensor(p.name, type, dims, encode(p.w, type));
        }
        out.write(path);
    }

    private static byte[] encode(float[] values, GGMLType type) {
        if (type == GGMLType.F32) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return b.array();
        }
        return Quantizer.quantize(type, values);
    }

    /** The {@code tokenizer.*} metadata of a GGUF file, to pass on to {@link #export}. */
    public static Map<String, GGUFValue> tokenizerMetadata(GGUFFile f) {
        Map<String, GGUFValue> m = new LinkedHashMap<>();
        f.metadata().forEach((k, v) -> {
            if (k.startsWith("tokenizer.")) m.put(k, v);
        });
        return m;
    }

    /** Loads an F32 or Q8_0 {@code llama} GGUF (e.g. one written by {@link #export}) into trainable weights. */
    public static LlamaWeights load(Path path) {
        try (GGUFFile f = GGUFFile.open(path)) {
            return load(f);
        }
    }

    public static LlamaWeights load(GGUFFile f) {
        String arch = f.getString("general.architecture");
        if (!arch.equals("llama")) throw new PonderException(f.path() + ": architecture '" + arch + "' is not llama");
        int dim = f.getInt("llama.embedding_length"), heads = f.getInt("llama.attention.head_count");
        TensorInfo emb = f.tensor("token_embd.weight");
        int vocab = f.has("llama.vocab_size") ? f.getInt("llama.vocab_size") : (int) emb.rows();
        if (f.has("llama.rope.dimension_count") && f.getInt("llama.rope.dimension_count") != dim / heads)
            throw new PonderException(f.path() + ": partial RoPE (dimension_count != head_dim) is not supported by the trainer");
        LlamaConfig c = new LlamaConfig(dim, f.getInt("llama.block_count"), heads,
                f.getInt("llama.attention.head_count_kv", heads), f.getInt("llama.feed_forward_length"), vocab,
                f.getInt("llama.context_length"), f.getFloat("llama.rope.freq_base", 10000f),
                f.getFloat("llama.attention.layer_norm_rms_epsilon", 1e-5f), !f.tensors().containsKey("output.weight"));
        LlamaWeights w = new LlamaWeights(c);
        for (Param p : w.params()) {
            TensorInfo t = f.tensor(p.name);
            if (t.type() != GGMLType.F32 && t.type() != GGMLType.Q8_0)
                throw new PonderException(f.path() + ": tensor " + p.name + " is " + t.type() + "; the trainer loads F32 and Q8_0 models only");
            if (t.cols() != p.cols || t.rows() != p.rows)
                throw new PonderException(f.path() + ": tensor " + p.name + " has shape " + t.shape() + ", expected [" + p.cols + (p.isVector() ? "" : ", " + p.rows) + "]");
            MemorySegment seg = f.tensorData(t);
            if (t.type() == GGMLType.F32) {
                MemorySegment.copy(seg, F32_LE, 0, p.w, 0, p.size());
            } else { // Q8_0 (ponder-nano as committed): dequantised, so fine-tuning starts from the shipped model
                dev.ponder.engine.tensor.WeightMatrix m = dev.ponder.engine.tensor.WeightMatrix.of(t.type(), seg, p.rows, p.cols);
                for (int r = 0; r < p.rows; r++) m.dequantizeRow(r, p.w, r * p.cols);
            }
        }
        return w;
    }
}
