package dev.ponder.engine.model;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGUFFile;

/**
 * The hyper-parameters of a decoder-only transformer, read from GGUF metadata keys {@code <arch>.*}.
 *
 * @param arch          architecture
 * @param dim           model (embedding) width
 * @param layers        number of transformer blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads (GQA when fewer than heads)
 * @param headDim       width of one head
 * @param ffnDim        hidden width of the SwiGLU feed-forward
 * @param vocabSize     number of tokens (rows of the embedding)
 * @param contextLength trained context length (from metadata; not a hard limit here)
 * @param rmsEps        RMSNorm epsilon
 * @param ropeBase      RoPE frequency base (theta)
 * @param ropeDims      number of head dimensions RoPE rotates
 * @param ropeScale     linear position scale (1 = none)
 */
public record ModelConfig(Architecture arch, int dim, int layers, int heads, int kvHeads, int headDim, int ffnDim,
                          int vocabSize, int contextLength, float rmsEps, float ropeBase, int ropeDims, float ropeScale) {

    public int qDim() {
        return heads * headDim;
    }

    public int kvDim() {
        return kvHeads * headDim;
    }

    public static ModelConfig fromGGUF(GGUFFile g, int vocabSize) {
        Architecture arch = Architecture.fromGGUF(g.getString("general.architecture", "(missing)"));
        String p = arch.ggufName + ".";
        int dim = g.getInt(p + "embedding_length");
        int heads = g.getInt(p + "attention.head_count");
        int kvHeads = g.getInt(p + "attention.head_count_kv", heads);
        if (dim <= 0 || heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0)
            throw new PonderException("bad attention shape: dim " + dim + ", heads " + heads + ", kv heads " + kvHeads);
        int headDim = g.getInt(p + "attention.key_length", dim / heads);
        int layers = g.getInt(p + "block_count");
        int ffn = g.getInt(p + "feed_forward_length");
        if (layers <= 0 || ffn <= 0 || headDim <= 0 || headDim % 2 != 0)
            throw new PonderException("bad model shape: layers " + layers + ", ffn " + ffn + ", head dim " + headDim);
        float scale = 1f;
        String scaling = g.getString(p + "rope.scaling.type", "none");
        if (scaling.equals("linear")) scale = 1f / g.getFloat(p + "rope.scaling.factor", 1f);
        else if (!scaling.equals("none") && !scaling.equals("llama3"))
            throw new PonderException("unsupported rope scaling '" + scaling + "' (supported: none, linear, llama3 frequency factors)");
        int ropeDims = g.getInt(p + "rope.dimension_count", headDim);
        if (ropeDims <= 0 || ropeDims > headDim || ropeDims % 2 != 0) throw new PonderException("bad rope.dimension_count " + ropeDims);
        return new ModelConfig(arch, dim, layers, heads, kvHeads, headDim, ffn, vocabSize,
                g.getInt(p + "context_length", 2048), g.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f),
                g.getFloat(p + "rope.freq_base", 10000f), ropeDims, scale);
    }
}
