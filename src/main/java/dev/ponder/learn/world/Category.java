package dev.ponder.learn.world;

/** The kinds of eval questions. */
public enum Category {
    /** A single-hop fact about a known entity (closed-book answerable). */
    K,
    /** A single-hop fact about an unknown entity: only its library document has it. */
    U,
    /** Unanswerable: an entity or fact that no document has; the answer is "unknown". */
    N,
    /** Multi-hop: two or three facts in a row (known or unknown subjects). */
    H,
    /** Arithmetic over known facts, answered with a calculator call. */
    A,
    /** Countdown: reach a target from given numbers; any verified expression is right. */
    C,
    /** Reading comprehension: answer from the supplied passage about entities seen nowhere else. */
    R
}
