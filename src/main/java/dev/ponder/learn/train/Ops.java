package dev.ponder.learn.train;

/**
 * The non-matmul layers of a llama model, forward and backward, on row-major float arrays of {@code n} rows.
 * Backward methods ADD into input gradients ({@code dx}) and parameter gradients ({@code dw}) unless noted,
 * so residual branches can share one gradient buffer.
 */
public final class Ops {
    private Ops() {}

    // ---- embedding ---------------------------------------------------------------------------

    /** {@code x[n][dim] = emb[tokens[n]][dim]}. */
    public static void embed(float[] emb, int[] tokens, float[] x, int n, int dim) {
        for (int r = 0; r < n; r++) System.arraycopy(emb, tokens[r] * dim, x, r * dim, dim);
    }

    /** {@code demb[tokens[n]] += dx[n]} (rows in order, so repeated tokens sum deterministically). */
    public static void embedBackward(float[] dx, int[] tokens, float[] demb, int n, int dim) {
        for (int r = 0; r < n; r++) {
            int e = tokens[r] * dim, o = r * dim;
            for (int i = 0; i < dim; i++) demb[e + i] += dx[o + i];
        }
    }

    // ---- RMSNorm: y = x · w / sqrt(mean(x²) + eps) --------------------------------------------

    /** Writes {@code y[n][dim]} and the per-row inverse RMS {@code rinv[n]} (kept for backward). */
    public static void rmsnorm(float[] x, float[] w, float[] y, float[] rinv, int n, int dim, float eps) {
        for (int r = 0; r < n; r++) {
            int o = r * dim;
            double ss = 0;
            for (int i = 0; i < dim; i++) ss += (double) x[o + i] * x[o + i];
            float ri = (float) (1.0 / Math.sqrt(ss / dim + eps));
            rinv[r] = ri;
            for (int i = 0; i < dim; i++) y[o + i] = x[o + i] * ri * w[i];
        }
    }

    /**
     * With {@code y_i = x_i·r·w_i}, {@code r = (mean(x²)+eps)^-½}:
     * {@code dw_i += Σ_rows dy_i·x_i·r}, {@code dx_i += r·dy_i·w_i − x_i·r³/dim · Σ_j dy_j·w_j·x_j}.
     * {@code dw} may be null when w is frozen (only dx is computed).
     */
    public static void rmsnormBackward(float[] dy, float[] x, float[] w, float[] rinv, float[] dx, float[] dw, int n, int dim) {
        for (int r = 0; r < n; r++) {
            int o = r * dim;
            float ri = rinv[r];
            double dot = 0;
            for (int i = 0; i < dim; i++) {
                dot += (double) dy[o + i] * w[i] * x[o + i];
                if (dw != null) dw[i] += dy[o + i] * x[o + i] * ri;
            }
            float k = (float) (dot * ri * ri * ri / dim);
            for (int i = 0; i < dim; i++) dx[o + i] += ri * dy[o + i] * w[i] - x[o + i] * k;
        }
    }

    // ---- RoPE (llama.cpp "normal" mode: adjacent pairs) ----------------------------------------

    /**
     * Cos/sin tables {@code [2][positions][headDim/2]}: angle(p, i) = p · base^(−2i/headDim), computed in
     * double and rounded once.
     */
    public static float[][] ropeTables(int positions, int headDim, float base) {
        int half = headDim / 2;
        float[] cos = new float[positions * half], sin = new float[positions * half];
        for (int p = 0; p < positions; p++)
            for (int i = 0; i < half; i++) {
                double angle = p * StrictMath.pow(base, -2.0 * i / headDim);
                cos[p * half + i] = (float) StrictMath.cos(angle);
                sin[p * half + i] = (float) StrictMath.sin(angle);
            }
        return new float[][] {cos, sin};
    }

    /**
     * Rotates in place each adjacent pair {@code (x[2i], x[2i+1])} of every head of {@code x[n][heads·hd]}; row
     * {@code r} is at position {@code r % seqLen}. {@code inverse} rotates by the negative angle, which is the
     * backward pass (the rotation is orthogonal).
     */
    public static void rope(float[] x, int n, int seqLen, int heads, int hd, float[][] tables, boolean inverse) {
        float[] cos = tables[0], sin = tables[1];
        int half = hd / 2, width = heads * hd;
        for (int r = 0; r < n; r++) {
            int t = (r % seqLen) * half;
            for (int h = 0; h < heads; h++) {
                int o = r * width + h * hd;
                for (int i = 0; i < half; i++) {
                    float c = cos[t + i], s = inverse ? -sin[t + i] : sin[t + i];
                    float a = x[o + 2 * i], b = x[o + 2 * i + 1];
                    x[o + 2 * i] = a * c - b * s;
                    x[o + 2 * i + 1] = a * s + b * c;
                }
            }
        }
    }

    // ---- SwiGLU: h = silu(g) · u ---------------------------------------------------------------

    public static void swiglu(float[] g, float[] u, float[] h, int len) {
        Parallel.forRange(len, 64, 20L * len, (i0, i1) -> VecMath.swiglu(g, u, h, i0, i1));
    }

    /** {@code dg = dh·u·σ(g)·(1 + g·(1−σ(g)))}, {@code du = dh·silu(g)} (both overwritten). */
    public static void swigluBackward(float[] dh, float[] g, float[] u, float[] dg, float[] du, int len) {
        Parallel.forRange(len, 64, 20L * len, (i0, i1) -> VecMath.swigluBackward(dh, g, u, dg, du, i0, i1));
    }

    // ---- cross-entropy -------------------------------------------------------------------------

    /**
     * Weighted mean of −log softmax(logits)[target] over rows with weight ≠ 0 ({@code Σ weight·nll / Σ weight}).
     * Stores each row's log-sum-exp in {@code lse[n]} for the backward pass. Returns 0 when all weights are 0.
     */
    public static double crossEntropy(float[] logits, int[] targets, float[] weights, float[] lse, int n, int vocab) {
        Parallel.forRange(n, 1, 6L * n * vocab, (r0, r1) -> {
            float[] e = new float[vocab];
            for (int r = r0; r < r1; r++) {
                int o = r * vocab;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < vocab; i++) max = Math.max(max, logits[o + i]);
                VecMath.expShifted(logits, o, vocab, max, e, 0);
                double s = 0;
                for (int i = 0; i < vocab; i++) s += e[i];
                lse[r] = (float) (max + StrictMath.log(s));
            }
        });
        double total = 0, wsum = 0;
        for (int r = 0; r < n; r++) {
            if (weights[r] == 0) continue;
            total += weights[r] * ((double) lse[r] - logits[r * vocab + targets[r]]);
            wsum += weights[r];
        }
        return wsum == 0 ? 0 : total / wsum;
    }

    /** Sum of the weights (the loss denominator). */
    public static double weightSum(float[] weights, int n) {
        double s = 0;
        for (int r = 0; r < n; r++) s += weights[r];
        return s;
    }

    /** {@code dlogits[r] = weight_r/Σweight · (softmax(logits[r]) − onehot(target_r))} (overwritten). */
    public static void crossEntropyBackward(float[] logits, int[] targets, float[] weights, float[] lse, float[] dlogits, int n, int vocab) {
        double wsum = weightSum(weights, n);
        Parallel.forRange(n, 1, 6L * n * vocab, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * vocab;
                if (weights[r] == 0 || wsum == 0) {
                    java.util.Arrays.fill(dlogits, o, o + vocab, 0f);
                    continue;
                }
                float scale = (float) (weights[r] / wsum);
                VecMath.expShifted(logits, o, vocab, lse[r], dlogits, o);
                for (int i = 0; i < vocab; i++) dlogits[o + i] *= scale;
                dlogits[o + targets[r]] -= scale;
            }
        });
    }
}
