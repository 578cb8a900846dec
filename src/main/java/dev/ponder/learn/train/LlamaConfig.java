package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;

/**
 * Shape of a {@code llama}-architecture model as the trainer builds it. The names follow the GGUF metadata
 * keys written on export ({@code llama.embedding_length} = {@link #dim}, and so on).
 *
 * @param dim           embedding width (model dimension)
 * @param layers        number of transformer blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads; fewer than {@code heads} means grouped-query attention
 * @param ffnDim        hidden width of the SwiGLU feed-forward network
 * @param vocab         vocabulary size
 * @param contextLength longest sequence the model is meant for (recorded in the GGUF)
 * @param ropeBase      RoPE frequency base ({@code llama.rope.freq_base})
 * @param rmsEps        RMSNorm epsilon ({@code llama.attention.layer_norm_rms_epsilon})
 * @param tiedOutput    whether the output projection shares the token-embedding matrix
 */
public record LlamaConfig(int dim, int layers, int heads, int kvHeads, int ffnDim, int vocab, int contextLength,
                          float ropeBase, float rmsEps, boolean tiedOutput) {

    public LlamaConfig {
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffnDim <= 0 || vocab <= 0 || contextLength <= 0)
            throw new PonderException("model sizes must be positive");
        if (dim % heads != 0) throw new PonderException("dim " + dim + " is not a multiple of the head count " + heads);
        if (heads % kvHeads != 0) throw new PonderException("head count " + heads + " is not a multiple of the kv head count " + kvHeads);
        if ((dim / heads) % 2 != 0) throw new PonderException("head dimension " + dim / heads + " must be even for RoPE");
        if (!(ropeBase > 0) || !(rmsEps > 0)) throw new PonderException("rope base and rms epsilon must be positive");
    }

    /** A small model with the usual defaults: RoPE base 10000, epsilon 1e-5. */
    public static LlamaConfig of(int dim, int layers, int heads, int kvHeads, int ffnDim, int vocab, int contextLength, boolean tied) {
        return new LlamaConfig(dim, layers, heads, kvHeads, ffnDim, vocab, contextLength, 10000f, 1e-5f, tied);
    }

    /** Width of one attention head. */
    public int headDim() {
        return dim / heads;
    }

    /** Width of all key (or value) heads together. */
    public int kvDim() {
        return kvHeads * headDim();
    }

    /** Number of trainable parameters. */
    public long parameterCount() {
        long perLayer = 2L * dim + (long) dim * dim * 2 + 2L * dim * kvDim() + 3L * dim * ffnDim;
        return (long) vocab * dim * (tiedOutput ? 1 : 2) + dim + layers * perLayer;
    }
}
