package dev.ponder.learn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * All parameters of a llama model, named as llama.cpp names them. Matrices are {@code W[out][in]}.
 */
public final class LlamaWeights {
    /** One transformer block. */
    public static final class Layer {
        /** [dim] */ public final Param attnNorm;
        /** [heads*hd][dim] */ public final Param wq;
        /** [kvHeads*hd][dim] */ public final Param wk;
        /** [kvHeads*hd][dim] */ public final Param wv;
        /** [dim][heads*hd] */ public final Param wo;
        /** [dim] */ public final Param ffnNorm;
        /** gate, [ffn][dim] */ public final Param w1;
        /** up, [ffn][dim] */ public final Param w3;
        /** down, [dim][ffn] */ public final Param w2;

        Layer(LlamaConfig c, int i) {
            String p = "blk." + i + ".";
            attnNorm = new Param(p + "attn_norm.weight", 1, c.dim(), false);
            wq = new Param(p + "attn_q.weight", c.dim(), c.dim(), true);
            wk = new Param(p + "attn_k.weight", c.kvDim(), c.dim(), true);
            wv = new Param(p + "attn_v.weight", c.kvDim(), c.dim(), true);
            wo = new Param(p + "attn_output.weight", c.dim(), c.dim(), true);
            ffnNorm = new Param(p + "ffn_norm.weight", 1, c.dim(), false);
            w1 = new Param(p + "ffn_gate.weight", c.ffnDim(), c.dim(), true);
            w3 = new Param(p + "ffn_up.weight", c.ffnDim(), c.dim(), true);
            w2 = new Param(p + "ffn_down.weight", c.dim(), c.ffnDim(), true);
        }

        List<Param> params() {
            return List.of(attnNorm, wq, wk, wv, wo, ffnNorm, w1, w3, w2);
        }
    }

    public final LlamaConfig config;
    /** [vocab][dim] */ public final Param tokEmb;
    public final Layer[] layers;
    /** [dim] */ public final Param outNorm;
    /** [vocab][dim], or null when tied to {@link #tokEmb}. */
    public final Param output;
    private final List<Param> all;

    /** Allocates zeroed weights (norm weights zero too; see {@link #initialize(long)}). */
    public LlamaWeights(LlamaConfig c) {
        this.config = c;
        tokEmb = new Param("token_embd.weight", c.vocab(), c.dim(), false);
        layers = new Layer[c.layers()];
        for (int i = 0; i < layers.length; i++) layers[i] = new Layer(c, i);
        outNorm = new Param("output_norm.weight", 1, c.dim(), false);
        output = c.tiedOutput() ? null : new Param("output.weight", c.vocab(), c.dim(), true);
        List<Param> ps = new ArrayList<>();
        ps.add(tokEmb);
        for (Layer l : layers) ps.addAll(l.params());
        ps.add(outNorm);
        if (output != null) ps.add(output);
        all = Collections.unmodifiableList(ps);
    }

    /** Every parameter in a fixed order (the GGUF and checkpoint order). */
    public List<Param> params() {
        return all;
    }

    /** The output projection: {@link #output}, or the embedding when tied. */
    public Param outputProjection() {
        return output != null ? output : tokEmb;
    }

    /**
     * GPT-2 style initialisation: matrices and embeddings N(0, 0.02), the two projections that write into the
     * residual stream ({@code attn_output}, {@code ffn_down}) scaled by 1/sqrt(2·layers), norms 1.
     */
    public LlamaWeights initialize(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double residualScale = 1 / Math.sqrt(2.0 * config.layers());
        for (Param p : all) {
            if (p.isVector()) {
                java.util.Arrays.fill(p.w, 1f);
                continue;
            }
            double std = 0.02;
            if (p.name.endsWith("attn_output.weight") || p.name.endsWith("ffn_down.weight")) std *= residualScale;
            for (int i = 0; i < p.w.length; i++) p.w[i] = (float) (gaussian(rnd) * std);
        }
        return this;
    }

    public void zeroGrad() {
        for (Param p : all) p.zeroGrad();
    }

    /** A standard normal sample (Box-Muller), deterministic for a given generator state. */
    static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }
}
