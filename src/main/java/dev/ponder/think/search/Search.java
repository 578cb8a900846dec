package dev.ponder.think.search;

/** A search over continuations of a prompt's answer for one the verifier accepts. */
public interface Search {
    /** Short name for traces and reports ({@code mcts}, {@code beam}). */
    String name();

    /**
     * Searches continuations of {@code prompt} (which ends where the answer starts) until {@code verifier}
     * accepts one or {@code budget} is spent. Never reports an answer as verified unless
     * {@link Verifier#score} said so.
     */
    SearchResult run(String prompt, Verifier verifier, SearchBudget budget);
}
