package dev.ponder.engine.sampling;

import dev.ponder.engine.tensor.AttentionKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The model's next-token distribution at one step: an immutable value holding its own copy of the raw
 * logits, so the caller (the controller, a sampler, a trace) can inspect it freely before and after
 * choosing. Probabilities are the plain softmax of the logits (each exponential in float within 2 ulp, the sums
 * in double precision); samplers never modify a distribution, they read it.
 */
public final class Distribution {
    private static final AttentionKernels EXP = AttentionKernels.preferred();

    private final float[] logits;
    private final IntFunction<String> vocab;
    private final int argmax;
    private double logZ = Double.NaN; // log Σ exp(logit), computed on first use
    private double entropy = Double.NaN, varentropy = Double.NaN;

    /** Takes ownership of {@code logits} (callers pass a fresh array). */
    public Distribution(float[] logits, IntFunction<String> vocab) {
        if (logits.length == 0) throw new IllegalArgumentException("empty distribution");
        this.logits = logits;
        this.vocab = vocab;
        int best = 0;
        float max = logits[0];
        for (int i = 1; i < logits.length; i++)
            if (logits[i] > max) {
                max = logits[i];
                best = i;
            }
        argmax = best;
    }

    /**
     * log Σ exp(logit), the sum taken in double precision; computed once, on first use (greedy decoding never pays
     * for it). Each exp(logit - max) is the engine's vectorised float exponential (within 2 ulp of {@link Math#exp}):
     * 4096 scalar double exps per distribution were most of what scoring a prompt's tokens cost.
     */
    private double logZ() {
        if (Double.isNaN(logZ)) sumExps(logits.clone());
        return logZ;
    }

    /** Turns {@code e}, a copy of the logits, into exp(logit - max) in place; caches logZ from their sum and returns the sum. */
    private double sumExps(float[] e) {
        float max = logits[argmax];
        double s = EXP.expSum(e, 0, e.length, max);
        logZ = max + Math.log(s);
        return s;
    }

    public int size() {
        return logits.length;
    }

    public float logit(int id) {
        return logits[id];
    }

    /** A copy of the raw logits. */
    public float[] logits() {
        return logits.clone();
    }

    /** The raw logits themselves, for a {@link Sampler} that only reads them (never modify or hand them on). */
    float[] logitsView() {
        return logits;
    }

    public double logprob(int id) {
        return logits[id] - logZ();
    }

    public double prob(int id) {
        return Math.exp(logprob(id));
    }

    /** The most likely token (lowest id on ties). */
    public int argmax() {
        return argmax;
    }

    public String text(int id) {
        return vocab == null ? "" : vocab.apply(id);
    }

    /** The {@code k} most likely tokens, most likely first (ties: lower id first). */
    public List<TokenProb> top(int k) {
        k = Math.min(k, logits.length);
        int[] best = new int[k];
        int n = 0;
        for (int i = 0; i < logits.length; i++) {
            if (n < k) {
                int j = n++;
                while (j > 0 && better(i, best[j - 1])) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = i;
            } else if (better(i, best[k - 1])) {
                int j = k - 1;
                while (j > 0 && better(i, best[j - 1])) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = i;
            }
        }
        List<TokenProb> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) out.add(new TokenProb(best[i], text(best[i]), logprob(best[i])));
        return out;
    }

    private boolean better(int a, int b) {
        return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
    }

    /** Shannon entropy in nats. */
    public double entropy() {
        if (Double.isNaN(entropy)) moments();
        return entropy;
    }

    /** Variance of the surprisal −log p (nats²): high when the mass is split between very different candidates. */
    public double varentropy() {
        if (Double.isNaN(varentropy)) moments();
        return varentropy;
    }

    private void moments() {
        // one pass of exponentials serves logZ and the moments: e[i] = exp(logit_i - max), s their sum, p_i = e[i] / s
        float[] e = logits.clone();
        double s = sumExps(e), z = logZ;
        double h = 0, h2 = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] == 0f) continue; // p = 0 adds nothing (and -inf logits would make 0 * -inf)
            double lp = logits[i] - z, p = e[i] / s;
            h -= p * lp;
            h2 += p * lp * lp;
        }
        entropy = h;
        varentropy = Math.max(0, h2 - h * h);
    }

    /** Probability of the most likely token. */
    public double topProb() {
        return prob(argmax);
    }

    /** Probability of the most likely token minus that of the runner-up. */
    public double margin() {
        List<TokenProb> t = top(2);
        return t.size() < 2 ? t.get(0).prob() : t.get(0).prob() - t.get(1).prob();
    }

    @Override
    public String toString() {
        return "Distribution" + Arrays.toString(top(3).toArray());
    }
}
