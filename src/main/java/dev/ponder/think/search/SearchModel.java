package dev.ponder.think.search;

import dev.ponder.engine.sampling.Distribution;

/**
 * What a search needs from a language model: the state after a prompt, branching a state (sharing its KV
 * cache), appending tokens in place (batched), and each state's next-token distribution. Counts the tokens
 * it prefilled and decoded, so a search can report (and a test can check) that the prompt was computed once.
 */
public interface SearchModel {
    /**
     * A point of decoding: the tokens so far, held in the KV cache, and the distribution of the next token.
     * Mutable ({@link SearchModel#advance} appends to it); {@link #fork()} gives an independent branch.
     */
    interface State extends AutoCloseable {
        /** Tokens held (prompt included). */
        int length();

        /** The next-token distribution after the last token. */
        Distribution next();

        /** A branch sharing this state's cache; both may then grow independently. */
        State fork();

        /** Frees this state's share of the cache. */
        @Override
        void close();
    }

    /** Prefills {@code prompt} into a new state. */
    State start(String prompt);

    /** Appends {@code tokens[b]} to {@code states[b]} for every b in one batched step, updating each next(). */
    void advance(State[] states, int[] tokens);

    /** Appends one token to {@code state}. */
    default void advance(State state, int token) {
        advance(new State[] {state}, new int[] {token});
    }

    /**
     * A new state holding the first {@code length} tokens of {@code state}, whose next-token distribution is
     * {@code next} (the caller recorded it when {@code state} passed that point): no token is recomputed.
     */
    State prefix(State state, int length, Distribution next);

    /** The text of token {@code id}. */
    String tokenText(int id);

    /** True if token {@code id} ends generation (end of sequence or turn). */
    boolean isEnd(int id);

    /** Vocabulary size. */
    int vocabSize();

    /** Prompt tokens prefilled since this model was created. */
    long prefilledTokens();

    /** Tokens decoded (appended one at a time, batched or not) since this model was created. */
    long decodedTokens();
}
