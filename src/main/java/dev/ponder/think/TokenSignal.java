package dev.ponder.think;

import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.sampling.TokenProb;
import java.util.List;

/**
 * What the model's distribution said at one generated token: the chosen token and how sure the model was.
 *
 * @param id the chosen token
 * @param text its text
 * @param logprob natural-log probability of the chosen token
 * @param entropy entropy of the distribution, in nats
 * @param varentropy variance of the surprisal, in nats²
 * @param topProb probability of the most likely token
 * @param margin probability gap between the two most likely tokens
 * @param top the most likely alternatives, best first
 */
public record TokenSignal(int id, String text, double logprob, double entropy, double varentropy, double topProb,
                          double margin, List<TokenProb> top) {
    /** Number of alternatives kept per token. */
    public static final int TOP = 5;

    /** The signal of choosing {@code id} from {@code d} ({@code text} is the decoded text of the token). */
    public static TokenSignal of(Distribution d, int id, String text) {
        return new TokenSignal(id, text, d.logprob(id), d.entropy(), d.varentropy(), d.topProb(), d.margin(), d.top(TOP));
    }

    /** Probability of the chosen token. */
    public double prob() {
        return Math.exp(logprob);
    }
}
