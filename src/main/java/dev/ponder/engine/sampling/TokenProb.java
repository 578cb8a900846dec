package dev.ponder.engine.sampling;

/**
 * One candidate token of a distribution.
 *
 * @param id      token id
 * @param text    the token's text (empty when no vocabulary was attached)
 * @param logprob natural-log probability under the plain softmax of the logits
 */
public record TokenProb(int id, String text, double logprob) {
    public double prob() {
        return Math.exp(logprob);
    }
}
