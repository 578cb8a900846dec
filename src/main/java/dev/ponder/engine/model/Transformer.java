package dev.ponder.engine.model;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.kv.KVPrecision;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Architecture.RopeType;
import dev.ponder.engine.tensor.AttentionKernels;
import dev.ponder.engine.tensor.WeightMatrix;
import dev.ponder.engine.tensor.Parallel;

/**
 * The forward pass of a pre-norm decoder-only transformer (llama, mistral, qwen2), over a batch of
 * {@code T} entries at once. Each entry is one token appended to one sequence: T entries of one sequence
 * are a prefill, T entries of T different sequences a batched decode step, and any mix works. Every weight
 * matrix is applied to all T rows in one {@link WeightMatrix#matmul} call, so its bytes are read once per
 * step whatever T is. Reads top to bottom:
 *
 * <pre>
 *   x = embed(token)
 *   for each layer:
 *     h = rmsnorm(x) ; q,k,v = h·Wq(+bq), h·Wk(+bk), h·Wv(+bv) ; rope(q,k) ; cache k,v (at the cache's precision)
 *     x += attention(q, cached k,v) · Wo
 *     h = rmsnorm(x) ; x += (silu(h·Wgate) * (h·Wup)) · Wdown
 *   logits = rmsnorm(x) · Woutput
 * </pre>
 *
 * Not thread-safe: one forward at a time (callers batch instead of calling concurrently).
 */
public final class Transformer {
    private static final AttentionKernels KERNELS = AttentionKernels.preferred();
    private final ModelConfig c;
    private final ModelWeights w;
    private final float[] invFreq; // [ropeDims/2] rotation speed of each dimension pair
    private Scratch s = new Scratch(0, null);

    public Transformer(ModelConfig c, ModelWeights w) {
        this.c = c;
        this.w = w;
        invFreq = new float[c.ropeDims() / 2];
        for (int i = 0; i < invFreq.length; i++) {
            double f = Math.pow(c.ropeBase(), -2.0 * i / c.ropeDims());
            if (w.ropeFreqFactors != null) f /= w.ropeFreqFactors[i];
            invFreq[i] = (float) f;
        }
    }

    public ModelConfig config() {
        return c;
    }

    public ModelWeights weights() {
        return w;
    }

    /**
     * Appends {@code tokens[i]} to {@code seqs[i]} for every i (entries of one sequence in order), runs the
     * model, and returns for each i with {@code wantLogits[i]} a fresh array of logits [vocab] (null for
     * the others).
     */
    public float[][] forward(int[] tokens, Sequence[] seqs, boolean[] wantLogits) {
        final int T = tokens.length, dim = c.dim(), qDim = c.qDim(), kvDim = c.kvDim(), ffn = c.ffnDim();
        Scratch s = scratch(T);
        for (int t : tokens) // check all before touching any sequence
            if (t < 0 || t >= c.vocabSize())
                throw new PonderException("token id " + t + " is outside the model's vocabulary [0, " + c.vocabSize() + ")");
        int[] pos = new int[T];
        for (int i = 0; i < T; i++) {
            pos[i] = seqs[i].append(tokens[i]);
            w.tokenEmbedding.dequantizeRow(tokens[i], s.x, i * dim); // x[i] = embedding[token] : [dim]
        }
        for (int l = 0; l < c.layers(); l++) {
            ModelWeights.Layer L = w.layers[l];
            // ---- attention ----
            rmsnorm(s.xb, s.x, L.attnNorm(), T, dim);
            L.wq().matmul(s.xb, T, s.q); // q : [T][qDim]
            L.wk().matmul(s.xb, T, s.k); // k : [T][kvDim]
            L.wv().matmul(s.xb, T, s.v); // v : [T][kvDim]
            if (L.bq() != null) {
                addBias(s.q, L.bq(), T);
                addBias(s.k, L.bk(), T);
                addBias(s.v, L.bv(), T);
            }
            for (int i = 0; i < T; i++) {
                rope(s.q, i * qDim, c.heads(), pos[i]);
                rope(s.k, i * kvDim, c.kvHeads(), pos[i]);
                seqs[i].store(l, pos[i], s.k, i * kvDim, s.v, i * kvDim); // rounded to the cache's precision
            }
            attention(l, seqs, pos, s);
            L.wo().matmul(s.att, T, s.xb); // xb : [T][dim]
            add(s.x, s.xb, T * dim);
            // ---- feed-forward (SwiGLU) ----
            rmsnorm(s.xb, s.x, L.ffnNorm(), T, dim);
            L.wGate().matmul(s.xb, T, s.hb);  // hb  : [T][ffn]
            L.wUp().matmul(s.xb, T, s.hb2);   // hb2 : [T][ffn]
            KERNELS.swiglu(s.hb, s.hb2, T * ffn); // hb = silu(hb) * hb2
            L.wDown().matmul(s.hb, T, s.xb);
            add(s.x, s.xb, T * dim);
        }
        // ---- output: only for the entries that want logits ----
        int n = 0;
        for (boolean b : wantLogits) if (b) n++;
        float[][] result = new float[T][];
        if (n == 0) return result;
        float[] rows = new float[n * dim];
        for (int i = 0, r = 0; i < T; i++) if (wantLogits[i]) System.arraycopy(s.x, i * dim, rows, r++ * dim, dim);
        float[] normed = new float[n * dim];
        rmsnorm(normed, rows, w.outputNorm, n, dim);
        float[] logits = new float[n * c.vocabSize()];
        w.output.matmul(normed, n, logits); // logits : [n][vocab]
        for (int i = 0, r = 0; i < T; i++)
            if (wantLogits[i]) {
                result[i] = new float[c.vocabSize()];
                System.arraycopy(logits, r++ * c.vocabSize(), result[i], 0, c.vocabSize());
            }
        return result;
    }

    /**
     * Causal attention of every entry over its own sequence's positions 0..pos[i], at the precision of that
     * sequence's KV cache. With {@link KVPrecision#F16} it follows ggml's CPU attention without flash
     * attention (llama.cpp's {@code kq = k·q ; softmax ; kqv = v·kq}): each matrix product converts its f32
     * operand to half first, so the query is rounded to half before the scores and the probabilities are
     * rounded to half before weighting the values (products of halves are exact in f32); the softmax sums its
     * exponentials in double and scales by the f32 reciprocal of that sum. The exponentials are {@link
     * AttentionKernels#exp} (within 1 ulp of {@code Math.exp}), vectorised. The dot products and the weighted
     * sum of values run block by block of the cache through {@link AttentionKernels} (tested against their
     * scalar references).
     */
    private void attention(int layer, Sequence[] seqs, int[] pos, Scratch s) {
        final int T = pos.length, hd = c.headDim(), qDim = c.qDim(), kvDim = c.kvDim(), group = c.heads() / c.kvHeads();
        final float scale = (float) (1.0 / Math.sqrt(hd));
        // one task per (entry, head); small jobs stay on the calling thread
        int tasks = T * c.heads();
        int maxPos = 0;
        for (int p : pos) maxPos = Math.max(maxPos, p);
        long work = (long) tasks * (maxPos + 1) * hd;
        int grain = work < 65_536 ? tasks : Math.max(1, tasks / (8 * Parallel.common().threads()));
        final int scoreLen = maxPos + 1;
        Parallel.common().forRange(tasks, grain, (from, to) -> {
            float[] q = new float[hd];            // this head's query [hd], as the score product sees it
            float[] probs = new float[scoreLen];  // scores, then softmax probabilities [n]
            for (int ih = from; ih < to; ih++) {
                int i = ih / c.heads(), h = ih % c.heads(), kvOff = (h / group) * hd, qOff = i * qDim + h * hd;
                Sequence seq = seqs[i];
                KVPrecision p = seq.cache().precision;
                int n = pos[i] + 1, bs = seq.cache().blockSize;
                for (int d = 0; d < hd; d++) q[d] = p.round(s.q[qOff + d]);
                for (int t = 0; t < n; t += bs) { // scores, one cache block at a time
                    int count = Math.min(bs, n - t);
                    KERNELS.scores(q, 0, seq.keys(t), seq.keyOffset(layer, t) + kvOff * bs, bs, count, hd, scale, probs, t);
                }
                float max = KERNELS.max(probs, 0, n);
                double sum = KERNELS.expSum(probs, 0, n, max); // probs[t] = exp(score - max)
                float inv = (float) (1.0 / sum);
                for (int t = 0; t < n; t++) probs[t] = p.round(probs[t] * inv);
                java.util.Arrays.fill(s.att, qOff, qOff + hd, 0f); // Σ_t p_t · v_t [hd]
                for (int t = 0; t < n; t += bs) {
                    int count = Math.min(bs, n - t);
                    KERNELS.mix(probs, t, seq.values(t), seq.offset(layer, t) + kvOff, kvDim, count, hd, s.att, qOff);
                }
            }
        });
    }

    /** Rotates each head's first ropeDims dimensions by position-dependent angles. */
    private void rope(float[] v, int off, int heads, int pos) {
        final int hd = c.headDim(), half = c.ropeDims() / 2;
        final float p = pos * c.ropeScale();
        for (int i = 0; i < half; i++) {
            float theta = p * invFreq[i];
            float cos = (float) Math.cos(theta), sin = (float) Math.sin(theta);
            for (int h = 0; h < heads; h++) {
                int base = off + h * hd;
                int a, b;
                if (c.arch().ropeType == RopeType.NORMAL) {
                    a = base + 2 * i;
                    b = a + 1;
                } else {
                    a = base + i;
                    b = base + i + half;
                }
                float x0 = v[a], x1 = v[b];
                v[a] = x0 * cos - x1 * sin;
                v[b] = x0 * sin + x1 * cos;
            }
        }
    }

    /** out[r] = x[r] / sqrt(mean(x[r]²) + eps) * weight, row by row (sum of squares in double). */
    private void rmsnorm(float[] out, float[] x, float[] weight, int rows, int dim) {
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double ss = 0;
            for (int j = 0; j < dim; j++) ss += (double) x[o + j] * x[o + j];
            float scale = (float) (1.0 / Math.sqrt(ss / dim + c.rmsEps()));
            for (int j = 0; j < dim; j++) out[o + j] = x[o + j] * scale * weight[j];
        }
    }

    private static void addBias(float[] v, float[] bias, int rows) {
        int n = bias.length;
        for (int r = 0; r < rows; r++) for (int j = 0; j < n; j++) v[r * n + j] += bias[j];
    }

    private static void add(float[] x, float[] y, int n) {
        for (int j = 0; j < n; j++) x[j] += y[j];
    }

    private Scratch scratch(int T) {
        if (s.capacity < T) s = new Scratch(Math.max(T, s.capacity * 2), c);
        return s;
    }

    /** Activation buffers for up to {@code capacity} entries, reused across steps. */
    private static final class Scratch {
        final int capacity;
        final float[] x, xb, q, k, v, att, hb, hb2;

        Scratch(int capacity, ModelConfig c) {
            this.capacity = capacity;
            int n = c == null ? 0 : capacity;
            x = new float[c == null ? 0 : n * c.dim()];   // residual stream [T][dim]
            xb = new float[x.length];                     // normed input / branch output [T][dim]
            q = new float[c == null ? 0 : n * c.qDim()];  // [T][qDim]
            k = new float[c == null ? 0 : n * c.kvDim()]; // [T][kvDim]
            v = new float[k.length];                      // [T][kvDim]
            att = new float[q.length];                    // attention output [T][qDim]
            hb = new float[c == null ? 0 : n * c.ffnDim()]; // [T][ffn]
            hb2 = new float[hb.length];
        }
    }
}
