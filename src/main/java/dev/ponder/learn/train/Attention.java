package dev.ponder.learn.train;

import java.util.Arrays;

/**
 * Causal multi-head self-attention over a batch of {@code batch} sequences of {@code seqLen} rows, with
 * grouped-query attention: query head {@code h} reads key/value head {@code h / (heads/kvHeads)}.
 *
 * <p>Shapes: {@code q[n][heads·hd]}, {@code k, v[n][kvHeads·hd]}, {@code out[n][heads·hd]},
 * {@code probs[batch][heads][seqLen][seqLen]} (row t holds the softmax over positions 0..t, zeros after),
 * n = batch·seqLen. Scores are scaled by {@code 1/sqrt(hd)}.
 *
 * <p>Each head's products (Q·Kᵀ, P·V and the four backward ones) run as whole-matrix
 * {@link MatMul#accumulateAB} calls on per-head copies, vectorised over the sequence or head dimension; the
 * masked upper triangle is computed and discarded, which costs twice the causal flops but runs at matmul
 * speed. Heads are split across threads. {@link AttentionPlain} is the scalar reference.
 */
public final class Attention {
    private final int batch, seqLen, heads, kvHeads, hd;
    private final float scale;

    public Attention(int batch, int seqLen, int heads, int kvHeads, int hd) {
        this.batch = batch;
        this.seqLen = seqLen;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.hd = hd;
        this.scale = (float) (1 / Math.sqrt(hd));
    }

    /** Useful (causal) floating-point operations of {@link #forward}; backward is twice this. */
    public long flops() {
        return 2L * batch * heads * (long) seqLen * (seqLen + 1) / 2 * hd * 2;
    }

    /** Copies head {@code h} of rows {@code b·T .. b·T+T-1} of {@code x[n][width]} into {@code dst[T][hd]}. */
    private void gather(float[] x, int width, int b, int h, float[] dst) {
        for (int t = 0; t < seqLen; t++) System.arraycopy(x, (b * seqLen + t) * width + h * hd, dst, t * hd, hd);
    }

    /** Like {@link #gather} but transposed: {@code dst[hd][T]}. */
    private void gatherTransposed(float[] x, int width, int b, int h, float[] dst) {
        for (int t = 0; t < seqLen; t++) {
            int o = (b * seqLen + t) * width + h * hd;
            for (int i = 0; i < hd; i++) dst[i * seqLen + t] = x[o + i];
        }
    }

    /** The inverse of {@link #gather}. */
    private void scatter(float[] src, float[] x, int width, int b, int h) {
        for (int t = 0; t < seqLen; t++) System.arraycopy(src, t * hd, x, (b * seqLen + t) * width + h * hd, hd);
    }

    public void forward(float[] q, float[] k, float[] v, float[] probs, float[] out) {
        int group = heads / kvHeads, qw = heads * hd, kw = kvHeads * hd, T = seqLen;
        Parallel.forRange(batch * heads, 1, 2 * flops(), (j0, j1) -> {
            float[] qh = new float[T * hd], kT = new float[hd * T], vh = new float[T * hd], oh = new float[T * hd];
            for (int j = j0; j < j1; j++) {
                int b = j / heads, h = j % heads, g = h / group, po = j * T * T;
                gather(q, qw, b, h, qh);
                gatherTransposed(k, kw, b, g, kT);
                gather(v, kw, b, g, vh);
                Arrays.fill(probs, po, po + T * T, 0f);
                MatMul.accumulateAB(qh, 0, kT, 0, probs, po, T, hd, T); // S[t][s] = q_t · k_s
                for (int t = 0; t < T; t++) {
                    int o = po + t * T;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) max = Math.max(max, probs[o + s] *= scale);
                    float sum = 0;
                    for (int s = 0; s <= t; s++) sum += probs[o + s] = (float) Math.exp(probs[o + s] - max);
                    float inv = 1f / sum;
                    for (int s = 0; s <= t; s++) probs[o + s] *= inv;
                    Arrays.fill(probs, o + t + 1, o + T, 0f);
                }
                Arrays.fill(oh, 0f);
                MatMul.accumulateAB(probs, po, vh, 0, oh, 0, T, T, hd); // out_t = Σ_s P[t][s] v_s
                scatter(oh, out, qw, b, h);
            }
        });
    }

    /**
     * Gradients of q, k, v (overwritten) from {@code dout}. With P = softmax(S), S = scale·q·kᵀ:
     * {@code dv_s = Σ_t P_ts·dout_t}, {@code dP_ts = dout_t·v_s}, {@code dS_ts = P_ts·(dP_ts − Σ_s' P_ts'·dP_ts')},
     * {@code dq_t = scale·Σ_s dS_ts·k_s}, {@code dk_s = scale·Σ_t dS_ts·q_t}. Work is split by (sequence, kv head),
     * so each thread owns the dk/dv rows it writes.
     */
    public void backward(float[] dout, float[] q, float[] k, float[] v, float[] probs, float[] dq, float[] dk, float[] dv) {
        int group = heads / kvHeads, qw = heads * hd, kw = kvHeads * hd, T = seqLen;
        Parallel.forRange(batch * kvHeads, 1, 4 * flops() * group, (j0, j1) -> {
            float[] qh = new float[T * hd], kh = new float[T * hd], vT = new float[hd * T], doh = new float[T * hd];
            float[] dqh = new float[T * hd], dkh = new float[T * hd], dvh = new float[T * hd];
            float[] ds = new float[T * T], pT = new float[T * T], dsT = new float[T * T];
            for (int j = j0; j < j1; j++) {
                int b = j / kvHeads, g = j % kvHeads;
                gather(k, kw, b, g, kh);
                gatherTransposed(v, kw, b, g, vT);
                Arrays.fill(dkh, 0f);
                Arrays.fill(dvh, 0f);
                for (int h = g * group; h < (g + 1) * group; h++) {
                    int po = (b * heads + h) * T * T;
                    gather(q, qw, b, h, qh);
                    gather(dout, qw, b, h, doh);
                    Arrays.fill(ds, 0f);
                    MatMul.accumulateAB(doh, 0, vT, 0, ds, 0, T, hd, T); // dP[t][s] = dout_t · v_s
                    for (int t = 0; t < T; t++) {
                        int o = t * T;
                        float rowDot = 0;
                        for (int s = 0; s <= t; s++) rowDot += probs[po + o + s] * ds[o + s];
                        for (int s = 0; s <= t; s++) ds[o + s] = probs[po + o + s] * (ds[o + s] - rowDot) * scale;
                        Arrays.fill(ds, o + t + 1, o + T, 0f);
                    }
                    Arrays.fill(dqh, 0f);
                    MatMul.accumulateAB(ds, 0, kh, 0, dqh, 0, T, T, hd); // dq_t = Σ_s dS[t][s] k_s
                    scatter(dqh, dq, qw, b, h);
                    MatMul.transpose(probs, po, pT, T, T);
                    MatMul.accumulateAB(pT, 0, doh, 0, dvh, 0, T, T, hd); // dv_s += Σ_t P[t][s] dout_t
                    MatMul.transpose(ds, 0, dsT, T, T);
                    MatMul.accumulateAB(dsT, 0, qh, 0, dkh, 0, T, T, hd); // dk_s += Σ_t dS[t][s] q_t
                }
                scatter(dkh, dk, kw, b, g);
                scatter(dvh, dv, kw, b, g);
            }
        });
    }
}
