package dev.ponder.learn.train;

import java.util.Arrays;

/**
 * Forward and backward pass of a llama model over a {@link Batch}, every derivative written by hand. Activations
 * of the last forward are kept for {@link #backward()}, which adds the gradient of the mean loss to each
 * {@link Param#g}.
 *
 * <pre>
 * x = embed(tokens)
 * per block:  x = x + Wo · attn(rope(Wq·n1), rope(Wk·n1), Wv·n1)      n1 = rmsnorm(x)·attn_norm
 *             x = x + W2 · (silu(W1·n2) ⊙ W3·n2)                      n2 = rmsnorm(x)·ffn_norm
 * logits = Wout · rmsnorm(x)·output_norm;   loss = weighted mean cross-entropy
 * </pre>
 *
 * With {@link Lora} adapters, every adapted matrix W computes {@code x·Wᵀ + (alpha/r)·(x·Aᵀ)·Bᵀ}, the base weights
 * are frozen and {@link #backward()} computes gradients for the adapters only (no base weight gradient is formed).
 */
public final class LlamaModel {
    private final LlamaConfig c;
    private final LlamaWeights w;
    /** Adapters, or null for full training. */
    private final Lora lora;

    // shape of the buffers below
    private int batch = -1, seqLen = -1, n;
    private Attention attention;
    private float[][] rope;

    /** Saved activations of one block. */
    private static final class Acts {
        float[] xIn;            // [n][dim] residual stream entering the block
        float[] xn1, r1;        // [n][dim], [n] attention rmsnorm output and inverse rms
        float[] q, k, v;        // [n][dim], [n][kvDim], [n][kvDim] (q, k after RoPE)
        float[] probs;          // [batch][heads][seqLen][seqLen]
        float[] att;            // [n][dim] attention output before Wo
        float[] xMid;           // [n][dim] residual after attention
        float[] xn2, r2;        // [n][dim], [n]
        float[] g, u, h;        // [n][ffn] gate, up, silu(gate)·up
    }

    private Acts[] acts;
    private float[] xFinal, xnF, rF;   // [n][dim], [n][dim], [n]
    private float[] logits, lse;       // [n][vocab], [n]
    private Batch last;

    // backward scratch
    private float[] dx, dxn, datt, dq, dk, dv, dh, dg, du, dlogits;

    public LlamaModel(LlamaWeights weights) {
        this(weights, null);
    }

    /** The model of {@code weights} with {@code lora}'s adapters (null: none, every weight trainable). */
    public LlamaModel(LlamaWeights weights, Lora lora) {
        if (lora != null && lora.base() != weights) throw new IllegalArgumentException("the adapters belong to other weights");
        this.w = weights;
        this.c = weights.config;
        this.lora = lora;
    }

    /** The adapters, or null. */
    public Lora lora() {
        return lora;
    }

    public LlamaConfig config() {
        return c;
    }

    public LlamaWeights weights() {
        return w;
    }

    private void allocate(int b, int t) {
        if (b == batch && t == seqLen) return;
        batch = b;
        seqLen = t;
        n = b * t;
        int dim = c.dim(), kv = c.kvDim(), ffn = c.ffnDim();
        attention = new Attention(b, t, c.heads(), c.kvHeads(), c.headDim());
        rope = Ops.ropeTables(t, c.headDim(), c.ropeBase());
        acts = new Acts[c.layers()];
        for (int l = 0; l < acts.length; l++) {
            Acts a = new Acts();
            a.xIn = new float[n * dim];
            a.xn1 = new float[n * dim];
            a.r1 = new float[n];
            a.q = new float[n * dim];
            a.k = new float[n * kv];
            a.v = new float[n * kv];
            a.probs = new float[b * c.heads() * t * t];
            a.att = new float[n * dim];
            a.xMid = new float[n * dim];
            a.xn2 = new float[n * dim];
            a.r2 = new float[n];
            a.g = new float[n * ffn];
            a.u = new float[n * ffn];
            a.h = new float[n * ffn];
            acts[l] = a;
        }
        xFinal = new float[n * dim];
        xnF = new float[n * dim];
        rF = new float[n];
        logits = new float[n * c.vocab()];
        lse = new float[n];
        dx = new float[n * dim];
        dxn = new float[n * dim];
        datt = new float[n * dim];
        dq = new float[n * dim];
        dk = new float[n * kv];
        dv = new float[n * kv];
        dh = new float[n * ffn];
        dg = new float[n * ffn];
        du = new float[n * ffn];
        dlogits = new float[n * c.vocab()];
    }

    /** Runs the forward pass and returns the weighted mean next-token loss. */
    public double forward(Batch b) {
        if (b.seqLen() > c.contextLength())
            throw new dev.ponder.engine.PonderException("sequence length " + b.seqLen() + " exceeds the context length " + c.contextLength());
        b.checkVocab(c.vocab());
        computeLogits(b.batch(), b.seqLen(), b.inputs());
        last = b;
        return Ops.crossEntropy(logits, b.targets(), b.weights(), lse, n, c.vocab());
    }

    /**
     * Forward pass up to the logits only; returns {@code logits[batch·seqLen][vocab]} (a buffer reused by the
     * next call). Used by inference-style checks.
     */
    public float[] logits(int batchSize, int seqLength, int[] tokens) {
        computeLogits(batchSize, seqLength, tokens);
        last = null;
        return logits;
    }

    private void computeLogits(int b, int t, int[] tokens) {
        allocate(b, t);
        int dim = c.dim(), kv = c.kvDim(), ffn = c.ffnDim();
        Ops.embed(w.tokEmb.w, tokens, acts.length > 0 ? acts[0].xIn : xFinal, n, dim);
        for (int l = 0; l < acts.length; l++) {
            Acts a = acts[l];
            LlamaWeights.Layer p = w.layers[l];
            float[] xOut = l + 1 < acts.length ? acts[l + 1].xIn : xFinal;
            Ops.rmsnorm(a.xIn, p.attnNorm.w, a.xn1, a.r1, n, dim, c.rmsEps());
            MatMul.forward(a.xn1, p.wq.w, a.q, n, dim, dim);
            MatMul.forward(a.xn1, p.wk.w, a.k, n, dim, kv);
            MatMul.forward(a.xn1, p.wv.w, a.v, n, dim, kv);
            adapt(l, Lora.Target.Q, a.xn1, a.q);
            adapt(l, Lora.Target.K, a.xn1, a.k);
            adapt(l, Lora.Target.V, a.xn1, a.v);
            Ops.rope(a.q, n, t, c.heads(), c.headDim(), rope, false);
            Ops.rope(a.k, n, t, c.kvHeads(), c.headDim(), rope, false);
            attention.forward(a.q, a.k, a.v, a.probs, a.att);
            MatMul.forward(a.att, p.wo.w, a.xMid, n, dim, dim);
            adapt(l, Lora.Target.O, a.att, a.xMid);
            for (int i = 0; i < n * dim; i++) a.xMid[i] += a.xIn[i];
            Ops.rmsnorm(a.xMid, p.ffnNorm.w, a.xn2, a.r2, n, dim, c.rmsEps());
            MatMul.forward(a.xn2, p.w1.w, a.g, n, dim, ffn);
            MatMul.forward(a.xn2, p.w3.w, a.u, n, dim, ffn);
            adapt(l, Lora.Target.GATE, a.xn2, a.g);
            adapt(l, Lora.Target.UP, a.xn2, a.u);
            Ops.swiglu(a.g, a.u, a.h, n * ffn);
            MatMul.forward(a.h, p.w2.w, xOut, n, ffn, dim);
            adapt(l, Lora.Target.DOWN, a.h, xOut);
            for (int i = 0; i < n * dim; i++) xOut[i] += a.xMid[i];
        }
        Ops.rmsnorm(xFinal, w.outNorm.w, xnF, rF, n, dim, c.rmsEps());
        MatMul.forward(xnF, w.outputProjection().w, logits, n, dim, c.vocab());
    }

    /** {@code y += } the adapter's output on {@code x}, when block {@code layer}'s {@code t} is adapted. */
    private void adapt(int layer, Lora.Target t, float[] x, float[] y) {
        Lora.Adapter ad = lora == null ? null : lora.adapter(layer, t);
        if (ad != null) ad.forward(x, y, n);
    }

    /** The adapter's backward ({@code dx += …}, adapter gradients), when block {@code layer}'s {@code t} is adapted. */
    private void adaptBackward(int layer, Lora.Target t, float[] dy, float[] x, float[] dx) {
        Lora.Adapter ad = lora == null ? null : lora.adapter(layer, t);
        if (ad != null) ad.backward(dy, x, dx, n);
    }

    /**
     * Adds the gradient of the last {@link #forward} loss to every trainable parameter's {@link Param#g}: every
     * weight, or with adapters only theirs (the frozen weights' gradients are not computed).
     */
    public void backward() {
        if (last == null) throw new IllegalStateException("backward() needs a preceding forward(batch)");
        Batch b = last;
        int dim = c.dim(), kv = c.kvDim(), ffn = c.ffnDim(), vocab = c.vocab();
        Ops.crossEntropyBackward(logits, b.targets(), b.weights(), lse, dlogits, n, vocab);

        boolean full = lora == null; // else the base weights are frozen: no weight gradients but the adapters'
        Param out = w.outputProjection();
        Arrays.fill(dxn, 0f);
        MatMul.backwardInput(dlogits, out.w, dxn, n, dim, vocab);
        if (full) MatMul.backwardWeight(dlogits, xnF, out.g, n, dim, vocab);
        Arrays.fill(dx, 0f);
        Ops.rmsnormBackward(dxn, xFinal, w.outNorm.w, rF, dx, full ? w.outNorm.g : null, n, dim);

        for (int l = acts.length - 1; l >= 0; l--) {
            Acts a = acts[l];
            LlamaWeights.Layer p = w.layers[l];
            // feed-forward branch: dx holds d loss / d block output
            Arrays.fill(dh, 0f);
            MatMul.backwardInput(dx, p.w2.w, dh, n, ffn, dim);
            if (full) MatMul.backwardWeight(dx, a.h, p.w2.g, n, ffn, dim);
            adaptBackward(l, Lora.Target.DOWN, dx, a.h, dh);
            Ops.swigluBackward(dh, a.g, a.u, dg, du, n * ffn);
            Arrays.fill(dxn, 0f);
            MatMul.backwardInput(dg, p.w1.w, dxn, n, dim, ffn);
            MatMul.backwardInput(du, p.w3.w, dxn, n, dim, ffn);
            if (full) {
                MatMul.backwardWeight(dg, a.xn2, p.w1.g, n, dim, ffn);
                MatMul.backwardWeight(du, a.xn2, p.w3.g, n, dim, ffn);
            }
            adaptBackward(l, Lora.Target.GATE, dg, a.xn2, dxn);
            adaptBackward(l, Lora.Target.UP, du, a.xn2, dxn);
            Ops.rmsnormBackward(dxn, a.xMid, p.ffnNorm.w, a.r2, dx, full ? p.ffnNorm.g : null, n, dim); // dx is now d/d xMid
            // attention branch
            Arrays.fill(datt, 0f);
            MatMul.backwardInput(dx, p.wo.w, datt, n, dim, dim);
            if (full) MatMul.backwardWeight(dx, a.att, p.wo.g, n, dim, dim);
            adaptBackward(l, Lora.Target.O, dx, a.att, datt);
            attention.backward(datt, a.q, a.k, a.v, a.probs, dq, dk, dv);
            Ops.rope(dq, n, b.seqLen(), c.heads(), c.headDim(), rope, true);
            Ops.rope(dk, n, b.seqLen(), c.kvHeads(), c.headDim(), rope, true);
            Arrays.fill(dxn, 0f);
            MatMul.backwardInput(dq, p.wq.w, dxn, n, dim, dim);
            MatMul.backwardInput(dk, p.wk.w, dxn, n, dim, kv);
            MatMul.backwardInput(dv, p.wv.w, dxn, n, dim, kv);
            if (full) {
                MatMul.backwardWeight(dq, a.xn1, p.wq.g, n, dim, dim);
                MatMul.backwardWeight(dk, a.xn1, p.wk.g, n, dim, kv);
                MatMul.backwardWeight(dv, a.xn1, p.wv.g, n, dim, kv);
            }
            adaptBackward(l, Lora.Target.Q, dq, a.xn1, dxn);
            adaptBackward(l, Lora.Target.K, dk, a.xn1, dxn);
            adaptBackward(l, Lora.Target.V, dv, a.xn1, dxn);
            Ops.rmsnormBackward(dxn, a.xIn, p.attnNorm.w, a.r1, dx, full ? p.attnNorm.g : null, n, dim); // dx is now d/d xIn
        }
        if (full) Ops.embedBackward(dx, b.inputs(), w.tokEmb.g, n, dim);
    }

    /** Floating-point operations of one forward+backward pass on a batch of this shape (matmuls and attention). */
    public long stepFlops(int batchSize, int seqLength) {
        long rows = (long) batchSize * seqLength;
        int dim = c.dim(), kv = c.kvDim(), ffn = c.ffnDim();
        long perLayerMatmul = 2 * rows * ((long) dim * dim * 2 + 2L * dim * kv + 3L * dim * ffn);
        long att = new Attention(batchSize, seqLength, c.heads(), c.kvHeads(), c.headDim()).flops();
        long head = 2 * rows * dim * c.vocab();
        return 3 * (c.layers() * perLayerMatmul + head) + 3 * c.layers() * att;
    }
}
