package dev.ponder.think;

/**
 * A method's answer to one question and what it cost.
 *
 * @param question the question
 * @param answer the answer text (for an abstention, the honest "I don't know" message)
 * @param abstained true if the method declined to answer
 * @param confidence the calibrated probability that the answer is right (for an abstention, of the answer it
 *     would have given)
 * @param trace every step
 * @param pauses times the method stopped to explore
 * @param retrievals retrieval calls
 * @param retrievedTokens tokens of evidence placed in the context
 * @param generatedTokens tokens decoded (all drafts included)
 * @param nanos wall time
 */
public record Result(String question, String answer, boolean abstained, double confidence, Trace trace, int pauses,
                     int retrievals, int retrievedTokens, int generatedTokens, long nanos) {}
