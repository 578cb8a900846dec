package dev.ponder.think;

/**
 * Limits on exploring one question.
 *
 * @param maxPauses pauses at most
 * @param passagesPerPause passages taken into the context per retrieval
 * @param maxEvidenceTokens evidence tokens in the context at most (older passages beyond it are not added)
 * @param maxNanos wall time after which no new pause starts
 * @param maxAnswerTokens tokens per answer draft
 */
public record Budget(int maxPauses, int passagesPerPause, int maxEvidenceTokens, long maxNanos, int maxAnswerTokens) {
    /** Three pauses, two passages each, 200 evidence tokens, 10 s, 24 answer tokens. */
    public static Budget defaults() {
        return new Budget(3, 2, 200, 10_000_000_000L, 24);
    }

    public Budget withMaxPauses(int n) {
        return new Budget(n, passagesPerPause, maxEvidenceTokens, maxNanos, maxAnswerTokens);
    }
}
