package dev.ponder.engine.model;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.gguf.GGUFFile;
import dev.ponder.engine.gguf.TensorInfo;
import dev.ponder.engine.tensor.WeightMatrix;

/**
 * Every weight of the model, as views on the mapped GGUF file (nothing is copied but the small norm
 * vectors and biases). Shapes are written PyTorch-style, [out][in], as rows × cols of {@link WeightMatrix}.
 */
public final class ModelWeights {
    /** One transformer block. */
    public record Layer(
            float[] attnNorm,   // [dim]
            WeightMatrix wq,    // [heads*headDim][dim]
            WeightMatrix wk,    // [kvHeads*headDim][dim]
            WeightMatrix wv,    // [kvHeads*headDim][dim]
            float[] bq,         // [heads*headDim] or null (qwen2 only)
            float[] bk,         // [kvHeads*headDim] or null
            float[] bv,         // [kvHeads*headDim] or null
            WeightMatrix wo,    // [dim][heads*headDim]
            float[] ffnNorm,    // [dim]
            WeightMatrix wGate, // [ffn][dim]
            WeightMatrix wUp,   // [ffn][dim]
            WeightMatrix wDown  // [dim][ffn]
    ) {}

    public final WeightMatrix tokenEmbedding; // [vocab][dim]
    public final Layer[] layers;
    public final float[] outputNorm;          // [dim]
    public final WeightMatrix output;         // [vocab][dim], the embedding itself when tied
    public final float[] ropeFreqFactors;     // [ropeDims/2] or null (Llama 3.1+ "rope_freqs")

    public ModelWeights(GGUFFile g, ModelConfig c) {
        tokenEmbedding = matrix(g, "token_embd.weight", c.vocabSize(), c.dim());
        layers = new Layer[c.layers()];
        boolean bias = c.arch().qkvBias;
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            layers[i] = new Layer(
                    vector(g, p + "attn_norm.weight", c.dim()),
                    matrix(g, p + "attn_q.weight", c.qDim(), c.dim()),
                    matrix(g, p + "attn_k.weight", c.kvDim(), c.dim()),
                    matrix(g, p + "attn_v.weight", c.kvDim(), c.dim()),
                    bias ? vector(g, p + "attn_q.bias", c.qDim()) : null,
                    bias ? vector(g, p + "attn_k.bias", c.kvDim()) : null,
                    bias ? vector(g, p + "attn_v.bias", c.kvDim()) : null,
                    matrix(g, p + "attn_output.weight", c.dim(), c.qDim()),
                    vector(g, p + "ffn_norm.weight", c.dim()),
                    matrix(g, p + "ffn_gate.weight", c.ffnDim(), c.dim()),
                    matrix(g, p + "ffn_up.weight", c.ffnDim(), c.dim()),
                    matrix(g, p + "ffn_down.weight", c.dim(), c.ffnDim()));
        }
        outputNorm = vector(g, "output_norm.weight", c.dim());
        output = g.tensors().containsKey("output.weight") ? matrix(g, "output.weight", c.vocabSize(), c.dim()) : tokenEmbedding;
        ropeFreqFactors = g.tensors().containsKey("rope_freqs.weight") ? vector(g, "rope_freqs.weight", c.ropeDims() / 2) : null;
    }

    /** Total bytes of the weights read for one token (every matrix once, plus the one embedding row). */
    public long bytesPerToken() {
        long b = 0;
        for (Layer l : layers)
            for (WeightMatrix m : new WeightMatrix[] {l.wq(), l.wk(), l.wv(), l.wo(), l.wGate(), l.wUp(), l.wDown()}) b += m.byteSize();
        return b + output.byteSize() + tokenEmbedding.byteSize() / tokenEmbedding.rows();
    }

    private static TensorInfo info(GGUFFile g, String name, long cols, long rows) {
        TensorInfo t = g.tensor(name);
        if (t.cols() != cols || t.rows() != rows)
            throw new PonderException("tensor '" + name + "' has shape " + t.shape() + ", expected [" + cols + ", " + rows + "]");
        return t;
    }

    static WeightMatrix matrix(GGUFFile g, String name, int rows, int cols) {
        TensorInfo t = info(g, name, cols, rows);
        if (!t.type().supported())
            throw new PonderException("tensor '" + name + "' has type " + t.type() + ", which is not supported (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K)");
        return WeightMatrix.of(t.type(), g.tensorData(t), rows, cols);
    }

    static float[] vector(GGUFFile g, String name, int n) {
        TensorInfo t = info(g, name, n, 1);
        if (t.type() != GGMLType.F32 && t.type() != GGMLType.F16 && t.type() != GGMLType.BF16)
            throw new PonderException("tensor '" + name + "' has type " + t.type() + "; vectors must be F32, F16 or BF16");
        float[] v = new float[n];
        WeightMatrix.of(t.type(), g.tensorData(t), 1, n).dequantizeRow(0, v, 0);
        return v;
    }
}
