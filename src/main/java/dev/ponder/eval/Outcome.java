package dev.ponder.eval;

/**
 * What one answering method did with one question: the answer, whether it abstained, whether it was right,
 * how sure it was, and what it cost.
 *
 * @param id              question id
 * @param category        question category (K, U, N, H, A, C, R, or any other label)
 * @param answer          the answer text (empty when the method abstained)
 * @param abstained       the method declined to answer ("unknown", "I don't know")
 * @param correct         computed by the caller; on an unanswerable question (N) an abstention is correct
 * @param confidence      the method's probability, in [0, 1], that its answer is right; {@code NaN} if it has none
 * @param retrievals      retrieval calls made
 * @param retrievedTokens tokens of retrieved text put into the context
 * @param generatedTokens tokens the model generated
 * @param pauses          times the method stopped to think (retrieve, resample, re-read)
 * @param nanos           wall time of the whole answer
 * @param draftCorrect    whether the answer the confidence is about (the last draft, also when the method then
 *                        abstained) is right ({@code unknown} right only on N); equals {@code correct} for a
 *                        method that never withholds a draft
 */
public record Outcome(String id, String category, String answer, boolean abstained, boolean correct, double confidence,
        int retrievals, int retrievedTokens, int generatedTokens, int pauses, long nanos, boolean draftCorrect) {
    /** Checks the ranges: confidence in [0, 1] or NaN, counts and time non-negative. */
    public Outcome {
        if (id == null || category == null) throw new IllegalArgumentException("outcome needs an id and a category");
        if (answer == null) answer = "";
        if (!Double.isNaN(confidence) && !(confidence >= 0 && confidence <= 1))
            throw new IllegalArgumentException("confidence of " + id + " outside [0, 1]: " + confidence);
        if (retrievals < 0 || retrievedTokens < 0 || generatedTokens < 0 || pauses < 0 || nanos < 0)
            throw new IllegalArgumentException("negative count or time in outcome " + id);
    }

    /** An outcome whose confidence is about the answer it gave ({@code draftCorrect == correct}). */
    public Outcome(String id, String category, String answer, boolean abstained, boolean correct, double confidence,
                   int retrievals, int retrievedTokens, int generatedTokens, int pauses, long nanos) {
        this(id, category, answer, abstained, correct, confidence, retrievals, retrievedTokens, generatedTokens, pauses, nanos, correct);
    }

    /** True when the method gave a confidence for this answer. */
    public boolean hasConfidence() {
        return !Double.isNaN(confidence);
    }
}
