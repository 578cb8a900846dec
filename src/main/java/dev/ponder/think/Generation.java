package dev.ponder.think;

import java.util.List;

/**
 * A generated continuation with the signal of every token, and what producing it cost.
 *
 * @param text the generated text (up to, not including, the stop string)
 * @param tokens the signal of each generated token, in order
 * @param reusedTokens context tokens whose KV cache was reused from the previous call
 * @param prefilledTokens context tokens that had to be computed
 * @param nanos wall time
 */
public record Generation(String text, List<TokenSignal> tokens, int reusedTokens, int prefilledTokens, long nanos) {
    public Generation {
        tokens = List.copyOf(tokens);
    }

    /** Lowest chosen-token probability (1 if nothing was generated). */
    public double minProb() {
        double m = 1;
        for (TokenSignal t : tokens) m = Math.min(m, t.prob());
        return m;
    }

    /** Index of the least likely token, or -1 if none. */
    public int weakestToken() {
        int at = -1;
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < tokens.size(); i++) if (tokens.get(i).logprob() < m) { m = tokens.get(i).logprob(); at = i; }
        return at;
    }

    /** Sum of the chosen tokens' log-probabilities: the log-probability of the whole text. */
    public double logprob() {
        double s = 0;
        for (TokenSignal t : tokens) s += t.logprob();
        return s;
    }
}
