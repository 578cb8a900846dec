package dev.ponder.learn.train;

import java.util.List;

/**
 * AdamW (Loshchilov &amp; Hutter): Adam moments with bias correction, plus weight decay applied directly to the
 * weights ({@code w -= lr·wd·w}) rather than through the gradient, and only to parameters marked
 * {@link Param#decay} (matrices; never norms or embeddings).
 */
public final class AdamW {
    public final float beta1, beta2, eps, weightDecay;
    private final List<Param> params;
    /** First and second moments, one pair per parameter, same shapes. */
    final float[][] m, v;
    /** Number of updates applied so far. */
    long t;

    public AdamW(List<Param> params, float beta1, float beta2, float eps, float weightDecay) {
        this.params = params;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        m = new float[params.size()][];
        v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).size()];
            v[i] = new float[params.get(i).size()];
        }
    }

    /** Updates completed so far. */
    public long steps() {
        return t;
    }

    /** One update with learning rate {@code lr}, from the gradients currently in each {@link Param#g}. */
    public void step(float lr) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float invBc2Sqrt = (float) (1 / Math.sqrt(bc2));
        for (int pi = 0; pi < params.size(); pi++) {
            Param p = params.get(pi);
            float[] w = p.w, g = p.g, mm = m[pi], vv = v[pi];
            float decay = p.decay ? 1f - lr * weightDecay : 1f;
            for (int i = 0; i < w.length; i++) {
                float gi = g[i];
                mm[i] = beta1 * mm[i] + (1 - beta1) * gi;
                vv[i] = beta2 * vv[i] + (1 - beta2) * gi * gi;
                float denom = (float) Math.sqrt(vv[i]) * invBc2Sqrt + eps;
                w[i] = w[i] * decay - stepSize * mm[i] / denom;
            }
        }
    }

    /**
     * Scales all gradients so their global L2 norm is at most {@code maxNorm} (no-op when {@code maxNorm <= 0}).
     * Returns the norm before clipping.
     */
    public static double clipGlobalNorm(List<Param> params, double maxNorm) {
        double ss = 0;
        for (Param p : params) for (float x : p.g) ss += (double) x * x;
        double norm = Math.sqrt(ss);
        if (maxNorm > 0 && norm > maxNorm) {
            float s = (float) (maxNorm / (norm + 1e-6));
            for (Param p : params) for (int i = 0; i < p.g.length; i++) p.g[i] *= s;
        }
        return norm;
    }
}
