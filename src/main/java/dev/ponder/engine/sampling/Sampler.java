package dev.ponder.engine.sampling;

import dev.ponder.engine.tensor.AttentionKernels;
import java.util.SplittableRandom;

/**
 * Chooses the next token from a {@link Distribution} (which it never modifies) according to
 * {@link SamplerSettings}. Stateful only through its seeded RNG: the same seed and inputs give the same choices.
 * With a filter (top-k, top-p, min-p) the candidates are ranked and drawn from in rank order; with the
 * temperature alone the draw walks the vocabulary in id order and needs no ranking (O(vocab) per token).
 * Not thread-safe: one sampler per sequence.
 */
public final class Sampler {
    private final SamplerSettings s;
    private final SplittableRandom rng;
    private float[] weights; // drawAll's scratch [vocab]

    private static final AttentionKernels EXP = AttentionKernels.preferred();

    public Sampler(SamplerSettings settings) {
        this.s = settings;
        this.rng = new SplittableRandom(settings.seed());
    }

    public SamplerSettings settings() {
        return s;
    }

    /** Picks a token; {@code history} holds the sequence so far (for the repetition penalty), may be null. */
    public int sample(Distribution d, int[] history) {
        int n = d.size();
        boolean penalised = s.repeatPenalty() != 1f && history != null;
        float[] logits = penalised ? d.logits() : d.logitsView(); // a copy only where the penalty changes it
        if (penalised) {
            boolean[] seen = new boolean[n];
            for (int i = Math.max(0, history.length - s.repeatLastN()); i < history.length; i++) {
                int t = history[i];
                if (t >= 0 && t < n && !seen[t]) {
                    seen[t] = true;
                    logits[t] = logits[t] > 0 ? logits[t] / s.repeatPenalty() : logits[t] * s.repeatPenalty();
                }
            }
        }
        int best = penalised ? argmax(logits) : d.argmax();
        if (s.greedy()) return best;
        if (s.topK() <= 0 && s.topP() >= 1f && s.minP() <= 0f) return drawAll(logits, logits[best]);
        int[] idx = sortedIds(logits); // candidates by logit, descending (ties by id)
        int keep = n;
        if (s.topK() > 0) keep = Math.min(keep, s.topK());
        double max = logits[idx[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logits[idx[i]] - max);
            sum += p[i];
        }
        if (s.topP() < 1f) {
            double cum = 0;
            for (int i = 0; i < keep; i++) {
                cum += p[i] / sum;
                if (cum >= s.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        if (s.minP() > 0f) {
            int k = 1;
            while (k < keep && p[k] >= s.minP() * p[0]) k++;
            keep = k;
        }
        // temperature over the survivors
        double[] q = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            q[i] = Math.exp((logits[idx[i]] - max) / s.temperature());
            total += q[i];
        }
        double r = rng.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            r -= q[i];
            if (r < 0) return idx[i];
        }
        return idx[keep - 1];
    }

    /**
     * A draw from the whole vocabulary at the temperature, with no filter to apply: no candidate order is
     * needed, so the weights are summed and walked in id order (O(vocab), no sort). The weights are
     * exp((logit - max) / T) in float, by the engine's vectorised exponential (within 2 ulp of {@link Math#exp}),
     * summed in double: a K-way consultation samples K of these per step, and the scalar double exp was a fifth
     * of its time on ponder-nano.
     */
    private int drawAll(float[] logits, float max) {
        int n = logits.length;
        if (weights == null || weights.length < n) weights = new float[n];
        float[] q = weights;
        float invT = (float) (1.0 / s.temperature());
        for (int i = 0; i < n; i++) q[i] = (logits[i] - max) * invT;
        double total = EXP.expSum(q, 0, n, 0f); // q[i] = exp(q[i])
        double r = rng.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (q[i] == 0) continue;
            last = i;
            r -= q[i];
            if (r < 0) return i;
        }
        return last; // rounding left r at or above 0: the last token with any weight
    }

    /**
     * The token ids ordered by logit, descending, ties by lower id first. Sorted as primitive keys: the high
     * half is the logit's bits mapped to a signed int whose order is the float order (reversed), the low half
     * the id.
     */
    static int[] sortedIds(float[] logits) {
        int n = logits.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(logits[i] + 0f); // -0 becomes +0: equal logits tie by id
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // signed-int order = float order
            keys[i] = ((long) ~ordered << 32) | i;
        }
        java.util.Arrays.sort(keys);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = (int) keys[i];
        return ids;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
