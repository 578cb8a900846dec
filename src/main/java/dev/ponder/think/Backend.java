package dev.ponder.think;

import java.util.List;

/**
 * A language model the controller drives: greedy continuation of a text with every token's signals, and k
 * samples of a continuation. An implementation may keep state between calls to reuse work (the embedded
 * engine keeps the KV cache of the longest shared token prefix), but each call is defined by its
 * arguments alone.
 */
public interface Backend extends AutoCloseable {
    /**
     * Greedy continuation of {@code context}: at most {@code maxTokens} tokens, ending before the first
     * occurrence of {@code stop} (if not null) or at end of generation.
     */
    Generation generate(String context, int maxTokens, String stop);

    /**
     * {@code n} sampled continuations of {@code context} at {@code temperature}, decoded together where the
     * backend can, seeded by {@code seed}.
     */
    List<Generation> sample(String context, int n, double temperature, int maxTokens, String stop, long seed);

    /**
     * How probable the model found the text of {@code context} from character {@code from} on: every token
     * of {@code context} that ends after {@code from}, with its character span and its logprob given all the
     * text before it. Null if this backend cannot score a prompt.
     */
    default List<ScoredToken> score(String context, int from) {
        return null;
    }

    /**
     * {@link #score(String, int)} for the tokens that overlap characters {@code [from, to)} only (null if this
     * backend cannot score a prompt). A backend that scores by computing the model's distribution at each
     * position may compute only these; the default scores from {@code from} on and keeps these.
     */
    default List<ScoredToken> score(String context, int from, int to) {
        List<ScoredToken> all = score(context, from);
        return all == null ? null : all.stream().filter(t -> t.start() < to).toList();
    }

    /** A token of a scored text: its characters {@code [start, end)} and its logprob given the text before it. */
    record ScoredToken(int start, int end, double logprob) {}

    /** Number of tokens {@code text} takes in this backend's vocabulary (for budgets). */
    int countTokens(String text);

    /** A short name for traces ({@code embedded:ponder-nano}, {@code openai:http://…}). */
    String name();

    @Override
    default void close() {}
}
