package dev.ponder.engine.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token from a {@link Distribution} (which it never modifies) according to
 * {@link SamplerSettings}. Stateful only through its seeded RNG: the same seed and inputs give the same choices.
 */
public final class Sampler {
    private final SamplerSettings s;
    private final SplittableRandom rng;

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
        float[] logits = d.logits();
        if (s.repeatPenalty() != 1f && history != null) {
            boolean[] seen = new boolean[n];
            for (int i = Math.max(0, history.length - s.repeatLastN()); i < history.length; i++) {
                int t = history[i];
                if (t >= 0 && t < n && !seen[t]) {
                    seen[t] = true;
                    logits[t] = logits[t] > 0 ? logits[t] / s.repeatPenalty() : logits[t] * s.repeatPenalty();
                }
            }
        }
        if (s.greedy()) return argmax(logits);
        // candidates sorted by logit, descending (ties by id)
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
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

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
