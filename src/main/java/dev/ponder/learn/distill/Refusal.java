package dev.ponder.learn.distill;

/**
 * A question slow thinking is not expected to settle, in a training phrasing: if Ponder abstains on it (or
 * answers {@code unknown}), the model is taught to answer {@code unknown} in fast mode too (refusal data, in the
 * spirit of R-Tuning). A question Ponder answers is dropped, never given an answer.
 *
 * @param question the question text (never an eval question's text)
 * @param source why it should stay uncertain
 * @param entityId the world entity it is about, or empty for an entity that does not exist
 */
public record Refusal(String question, Source source, String entityId) {
    /** Why a refusal question should stay uncertain. */
    public enum Source {
        /** A fact the world never records ({@code UNRECORDED_TRAIN}) of a real entity. */
        UNRECORDED,
        /** A real relation asked of an entity that does not exist (a fresh name absent from the world). */
        FICTIONAL,
        /** A multi-hop question ({@code Chain} training template) Ponder could not settle. */
        MULTI_HOP
    }
}
