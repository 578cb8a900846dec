/**
 * Search over continuations of an answer, checked by a verifier: Monte Carlo tree search with PUCT selection
 * ({@link dev.ponder.think.search.Mcts}) and beam search ({@link dev.ponder.think.search.BeamSearch}).
 *
 * <p>A node is a token prefix of the answer. Its children are the model's most likely next tokens that the
 * {@link dev.ponder.think.search.Verifier} still allows (the answer's alphabet and any cheap prefix check the
 * verifier offers), with their probabilities as priors. Every node owns a KV-cache state forked from its
 * parent's, so the prompt is prefilled once per search and each node costs one decoded token
 * ({@link dev.ponder.think.search.SearchModel}). The verifier is an interface, so this package does not know
 * what the answers are about (the countdown verifier lives in {@code dev.ponder.eval}).
 */
package dev.ponder.think.search;
