package dev.ponder.learn.train;

import java.util.Arrays;

/**
 * Plain scalar loops with the same contract as {@link Attention}, the reference it is tested against.
 * Causal multi-head self-attention over a batch of {@code batch} sequences of {@code seqLen} rows, with
 * grouped-query attention: query head {@code h} reads key/value head {@code h / (heads/kvHeads)}.
 *
 * <p>Shapes: {@code q[n][heads·hd]}, {@code k, v[n][kvHeads·hd]}, {@code out[n][heads·hd]},
 * {@code probs[batch][heads][seqLen][seqLen]} (row t holds the softmax over positions 0..t), n = batch·seqLen.
 * Scores are scaled by {@code 1/sqrt(hd)}.
 */
public final class AttentionPlain {
    private final int batch, seqLen, heads, kvHeads, hd;
    private final float scale;

    public AttentionPlain(int batch, int seqLen, int heads, int kvHeads, int hd) {
        this.batch = batch;
        this.seqLen = seqLen;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.hd = hd;
        this.scale = (float) (1 / Math.sqrt(hd));
    }

    /** Floating-point operations of {@link #forward} (backward is about twice this). */
    public long flops() {
        return 2L * batch * heads * (long) seqLen * (seqLen + 1) / 2 * hd * 2;
    }

    public void forward(float[] q, float[] k, float[] v, float[] probs, float[] out) {
        int group = heads / kvHeads, qw = heads * hd, kw = kvHeads * hd;
        Parallel.forRange(batch * heads, 1, flops(), (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                int b = j / heads, h = j % heads, kh = h / group;
                for (int t = 0; t < seqLen; t++) {
                    int qo = (b * seqLen + t) * qw + h * hd;
                    int po = ((b * heads + h) * seqLen + t) * seqLen;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        int ko = (b * seqLen + s) * kw + kh * hd;
                        float d = 0;
                        for (int i = 0; i < hd; i++) d += q[qo + i] * k[ko + i];
                        d *= scale;
                        probs[po + s] = d;
                        max = Math.max(max, d);
                    }
                    float sum = 0;
                    for (int s = 0; s <= t; s++) {
                        float e = (float) Math.exp(probs[po + s] - max);
                        probs[po + s] = e;
                        sum += e;
                    }
                    float inv = 1f / sum;
                    Arrays.fill(out, qo, qo + hd, 0f);
                    for (int s = 0; s <= t; s++) {
                        float p = probs[po + s] * inv;
                        probs[po + s] = p;
                        int vo = (b * seqLen + s) * kw + kh * hd;
                        for (int i = 0; i < hd; i++) out[qo + i] += p * v[vo + i];
                    }
                    Arrays.fill(probs, po + t + 1, po + seqLen, 0f);
                }
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
        int group = heads / kvHeads, qw = heads * hd, kw = kvHeads * hd;
        Parallel.forRange(batch * kvHeads, 1, 2 * flops(), (j0, j1) -> {
            float[] dp = new float[seqLen];
            for (int j = j0; j < j1; j++) {
                int b = j / kvHeads, kh = j % kvHeads;
                for (int s = 0; s < seqLen; s++) {
                    int ko = (b * seqLen + s) * kw + kh * hd;
                    Arrays.fill(dk, ko, ko + hd, 0f);
                    Arrays.fill(dv, ko, ko + hd, 0f);
                }
                for (int h = kh * group; h < (kh + 1) * group; h++) {
                    for (int t = 0; t < seqLen; t++) {
                        int qo = (b * seqLen + t) * qw + h * hd;
                        int po = ((b * heads + h) * seqLen + t) * seqLen;
                        float rowDot = 0;
                        for (int s = 0; s <= t; s++) {
                            int vo = (b * seqLen + s) * kw + kh * hd;
                            float d = 0, p = probs[po + s];
                            for (int i = 0; i < hd; i++) {
                                d += dout[qo + i] * v[vo + i];
                                dv[vo + i] += p * dout[qo + i];
                            }
                            dp[s] = d;
                            rowDot += p * d;
                        }
                        Arrays.fill(dq, qo, qo + hd, 0f);
                        for (int s = 0; s <= t; s++) {
                            float ds = probs[po + s] * (dp[s] - rowDot) * scale;
                            int ko = (b * seqLen + s) * kw + kh * hd;
                            for (int i = 0; i < hd; i++) {
                                dq[qo + i] += ds * k[ko + i];
                                dk[ko + i] += ds * q[qo + i];
                            }
                        }
                    }
                }
            }
        });
    }
}
