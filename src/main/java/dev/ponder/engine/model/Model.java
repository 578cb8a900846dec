package dev.ponder.engine.model;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGUFFile;
import dev.ponder.engine.kv.KVCache;
import dev.ponder.engine.kv.KVPrecision;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * A loaded model: the mapped GGUF file, its configuration, weights and a KV cache pool, with the decoding
 * operations the rest of Ponder uses. Every step returns an immutable {@link Distribution}.
 *
 * <pre>{@code
 * try (Model m = Model.load(path)) {
 *     Sequence s = m.newSequence();
 *     Distribution d = m.prefill(s, promptIds);
 *     Distribution next = m.decode(s, d.argmax());
 *     Sequence branch = s.fork();   // shares the prefix
 *     s.truncate(3);                 // rolls back
 * }
 * }</pre>
 */
public final class Model implements AutoCloseable {
    /** Prompt tokens run per forward call during prefill (bounds activation memory). */
    public static final int PREFILL_CHUNK = 128;

    private final GGUFFile gguf;
    private final ModelConfig config;
    private final Transformer transformer;
    private final KVCache cache;
    private final Tokenizer tokenizer;
    private final IntFunction<String> vocabText;

    private Model(GGUFFile gguf, Tokenizer tokenizer, KVPrecision precision) {
        this.gguf = gguf;
        long vocab = gguf.tensor("token_embd.weight").rows();
        if (vocab > Integer.MAX_VALUE) throw new PonderException("a vocabulary of " + vocab + " tokens is too large");
        this.config = ModelConfig.fromGGUF(gguf, (int) vocab);
        this.transformer = new Transformer(config, new ModelWeights(gguf, config));
        this.cache = new KVCache(config.layers(), config.kvDim(), 16, precision);
        this.tokenizer = tokenizer;
        this.vocabText = tokenizer == null ? null : id -> id >= 0 && id < tokenizer.vocabSize() ? tokenizer.tokenText(id) : "";
    }

    /** Loads (maps) a GGUF model with llama.cpp's default f16 KV cache; any problem is a one-line {@link PonderException}. */
    public static Model load(Path path) {
        return load(path, KVPrecision.F16);
    }

    /** Loads (maps) a GGUF model whose KV cache keeps keys and values at {@code precision}. */
    public static Model load(Path path, KVPrecision precision) {
        GGUFFile g = GGUFFile.open(path);
        try {
            return new Model(g, g.has("tokenizer.ggml.model") ? Tokenizer.fromGGUF(g) : null, precision);
        } catch (RuntimeException e) {
            g.close();
            if (e instanceof PonderException pe) throw new PonderException(path.getFileName() + ": " + pe.getMessage(), pe);
            throw new PonderException(path.getFileName() + ": cannot load model: " + e, e);
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The model's tokenizer (from its GGUF metadata), or null for a file without one. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public GGUFFile gguf() {
        return gguf;
    }

    public Transformer transformer() {
        return transformer;
    }

    public KVCache cache() {
        return cache;
    }

    public Sequence newSequence() {
        return cache.newSequence();
    }

    /** Appends {@code tokens} to {@code seq} and returns the distribution of the token after the last one. */
    public Distribution prefill(Sequence seq, int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("nothing to prefill");
        return prefillAll(seq, tokens, tokens.length - 1)[tokens.length - 1];
    }

    /**
     * Appends {@code tokens} to {@code seq} and returns the distribution after each of them ({@code [i]}: of
     * the token after {@code tokens[i]}), for scoring a text token by token. Costs what {@link #prefill} costs
     * plus the output projection at every position.
     */
    public Distribution[] prefillAll(Sequence seq, int[] tokens) {
        return prefillAll(seq, tokens, 0);
    }

    /**
     * {@link #prefillAll(Sequence, int[])} with distributions only from {@code tokens[from]} on (null before): the
     * output projection is the costly part of scoring, and a caller often needs only a text's tail.
     */
    public Distribution[] prefillAll(Sequence seq, int[] tokens, int from) {
        return prefillAll(seq, tokens, from, tokens.length);
    }

    /**
     * {@link #prefillAll(Sequence, int[])} with distributions only after {@code tokens[from .. to)} and after
     * the last token (null for the others): scoring a few tokens inside a prompt, whose continuation follows.
     */
    public Distribution[] prefillAll(Sequence seq, int[] tokens, int from, int to) {
        Distribution[] out = new Distribution[tokens.length];
        for (int start = 0; start < tokens.length; start += PREFILL_CHUNK) {
            int n = Math.min(PREFILL_CHUNK, tokens.length - start);
            int[] chunk = java.util.Arrays.copyOfRange(tokens, start, start + n);
            Sequence[] seqs = new Sequence[n];
            java.util.Arrays.fill(seqs, seq);
            boolean[] want = new boolean[n];
            for (int i = 0; i < n; i++) want[i] = start + i >= from && start + i < to || start + i == tokens.length - 1;
            float[][] logits = transformer.forward(chunk, seqs, want);
            for (int i = 0; i < n; i++) if (logits[i] != null) out[start + i] = new Distribution(logits[i], vocabText);
        }
        return out;
    }

    /** Appends one token to {@code seq} and returns the next distribution. */
    public Distribution decode(Sequence seq, int token) {
        return decode(new Sequence[] {seq}, new int[] {token})[0];
    }

    /** One batched step: appends {@code tokens[b]} to {@code seqs[b]} for every b, reading each weight once. */
    public Distribution[] decode(Sequence[] seqs, int[] tokens) {
        boolean[] want = new boolean[seqs.length];
        java.util.Arrays.fill(want, true);
        float[][] logits = transformer.forward(tokens, seqs, want);
        Distribution[] out = new Distribution[seqs.length];
        for (int b = 0; b < seqs.length; b++) out[b] = new Distribution(logits[b], vocabText);
        return out;
    }

    @Override
    public void close() {
        gguf.close();
    }
}
