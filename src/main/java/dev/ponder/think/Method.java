package dev.ponder.think;

/** A way of answering a question: fast greedy, always-retrieve, FLARE-style, or Ponder's controller. */
public interface Method {
    /** Short name used in reports ({@code fast}, {@code rag}, {@code flare}, {@code ponder}). */
    String name();

    /** Answers {@code question}, recording every step in the result's trace. */
    Result answer(String question);
}
