package dev.ponder.think.search;

import dev.ponder.think.TraceEvent;

/**
 * What a search found and what it spent.
 *
 * @param algorithm {@code mcts} or {@code beam}
 * @param best the verified answer, or else the best-scoring complete answer seen ("" if none)
 * @param verified true only if the verifier accepted {@code best}
 * @param score the verifier's score of {@code best} (1 when verified)
 * @param nodes nodes expanded (root prefill included)
 * @param tokens tokens decoded (node expansions and rollouts)
 * @param prefilledTokens prompt tokens computed (the prompt is prefilled once per search)
 * @param answersChecked complete answers the verifier scored
 * @param solvedAtNode the node count when the verified answer was found, or -1
 * @param stopReason why the search ended ({@code verified}, {@code nodes}, {@code tokens}, {@code time}, {@code exhausted})
 * @param nanos wall time
 */
public record SearchResult(String algorithm, String best, boolean verified, double score, int nodes, int tokens,
                           int prefilledTokens, int answersChecked, int solvedAtNode, String stopReason, long nanos) {
    /** The search as a trace event of pause {@code pause}. */
    public TraceEvent.Search event(int pause) {
        return new TraceEvent.Search(pause, algorithm, nodes, tokens, best, verified, nanos);
    }
}
