package dev.ponder.think.search;

/**
 * What one search may spend; it stops at the first verified answer or when any limit is reached.
 *
 * @param maxNodes nodes expanded at most (a node is one new KV-cache state: the root's prefill or one decoded token)
 * @param maxTokens tokens decoded at most (node expansions and rollouts together)
 * @param maxNanos wall time after which no new node is expanded
 */
public record SearchBudget(int maxNodes, int maxTokens, long maxNanos) {
    public SearchBudget {
        if (maxNodes < 1) throw new IllegalArgumentException("a search needs at least one node, got " + maxNodes);
        if (maxTokens < 0 || maxNanos <= 0) throw new IllegalArgumentException("negative search budget");
    }

    /** At most {@code n} nodes, no token or time limit. */
    public static SearchBudget nodes(int n) {
        return new SearchBudget(n, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    public SearchBudget withMaxTokens(int tokens) {
        return new SearchBudget(maxNodes, tokens, maxNanos);
    }

    public SearchBudget withMaxNanos(long nanos) {
        return new SearchBudget(maxNodes, maxTokens, nanos);
    }
}
