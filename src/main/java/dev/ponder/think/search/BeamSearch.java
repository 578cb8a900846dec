package dev.ponder.think.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search over the tokens of an answer: keeps the {@code width} most likely unfinished answers (by the
 * sum of the model's log-probabilities of their tokens), extends each by its {@code topK} allowed next tokens
 * (the same expansions as {@link Mcts}, see {@link AnswerTokens}), and decodes the kept ones together in one
 * batched step, each from a fork of its parent's KV state. Every answer that ends (a stop or end token) is
 * checked by the verifier as soon as it appears, most likely first; the search stops at the first verified
 * one, when the budget is spent, or when no beam is left. Answers still open at the length limit are
 * scored as they are.
 */
public final class BeamSearch implements Search {
    /**
     * Search settings.
     *
     * @param width beams kept per step
     * @param topK continuations considered per beam
     * @param maxAnswerTokens tokens per answer at most
     * @param stop the string that ends an answer
     */
    public record Settings(int width, int topK, int maxAnswerTokens, String stop) {
        public Settings {
            if (width < 1 || topK < 1 || maxAnswerTokens < 1) throw new IllegalArgumentException("bad beam settings");
        }

        /** Width 8, 8 continuations per beam, 24 answer tokens, answers end at a newline. */
        public static Settings defaults() {
            return new Settings(8, 8, 24, "\n");
        }

        public Settings withWidth(int w) {
            return new Settings(w, topK, maxAnswerTokens, stop);
        }

        public Settings withTopK(int k) {
            return new Settings(width, k, maxAnswerTokens, stop);
        }
    }

    /** An unfinished answer: its KV state, text and log-probability. */
    private record Beam(SearchModel.State state, String text, double logprob) {}

    /** A candidate extension of beam {@code from} (index in the current beams). */
    private record Candidate(int from, AnswerTokens.Choice choice, String text, double logprob) {}

    private final SearchModel model;
    private final Settings settings;

    public BeamSearch(SearchModel model, Settings settings) {
        this.model = model;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "beam";
    }

    @Override
    public SearchResult run(String prompt, Verifier verifier, SearchBudget budget) {
        long t0 = System.nanoTime(), prefilled0 = model.prefilledTokens(), decoded0 = model.decodedTokens();
        AnswerTokens tokens = new AnswerTokens(model, verifier, settings.stop());
        List<SearchModel.State> open = new ArrayList<>();
        int nodes = 0, checked = 0, solvedAtNode = -1;
        String best = "", stopReason = null;
        Verifier.Score bestScore = null;
        boolean cut = false; // beams were dropped for lack of budget
        try {
            SearchModel.State root = model.start(prompt);
            open.add(root);
            nodes = 1;
            List<Beam> beams = List.of(new Beam(root, "", 0));
            for (int depth = 0; stopReason == null; depth++) {
                if (beams.isEmpty()) {
                    stopReason = cut ? "nodes" : "exhausted";
                    break;
                }
                List<Candidate> cands = new ArrayList<>();
                if (depth == settings.maxAnswerTokens()) {
                    for (Beam b : beams) cands.add(new Candidate(-1, null, b.text(), b.logprob())); // scored as they are
                } else {
                    for (int i = 0; i < beams.size(); i++) {
                        Beam b = beams.get(i);
                        for (AnswerTokens.Choice c : tokens.allowed(b.text(), b.state().next(), settings.topK()))
                            cands.add(new Candidate(i, c, b.text() + c.piece(), b.logprob() + c.logprob()));
                    }
                }
                cands.sort(Comparator.comparingDouble(Candidate::logprob).reversed()); // stable: ties keep beam and token order
                List<Candidate> keep = new ArrayList<>();
                for (Candidate c : cands) {
                    if (c.choice() == null || c.choice().ends()) {
                        Verifier.Score s = tokens.score(c.text());
                        checked++;
                        if (bestScore == null || s.value() > bestScore.value()) {
                            bestScore = s;
                            best = AnswerTokens.answerOf(c.text());
                        }
                        if (s.valid()) {
                            solvedAtNode = nodes;
                            stopReason = "verified";
                            break;
                        }
                    } else if (keep.size() < settings.width()) {
                        keep.add(c);
                    }
                }
                if (stopReason != null) break;
                if (depth == settings.maxAnswerTokens()) {
                    stopReason = "exhausted";
                    break;
                }
                int room = Math.min(budget.maxNodes() - nodes, budget.maxTokens() - (int) (model.decodedTokens() - decoded0));
                if (!keep.isEmpty() && room <= 0) {
                    stopReason = nodes >= budget.maxNodes() ? "nodes" : "tokens";
                    break;
                }
                if (System.nanoTime() - t0 >= budget.maxNanos()) {
                    stopReason = "time";
                    break;
                }
                if (keep.size() > room) {
                    keep = keep.subList(0, room);
                    cut = true;
                }
                SearchModel.State[] states = new SearchModel.State[keep.size()];
                int[] next = new int[keep.size()];
                List<Beam> grown = new ArrayList<>();
                for (int i = 0; i < states.length; i++) {
                    Candidate c = keep.get(i);
                    states[i] = beams.get(c.from()).state().fork();
                    open.add(states[i]);
                    next[i] = c.choice().token();
                    grown.add(new Beam(states[i], c.text(), c.logprob()));
                }
                model.advance(states, next);
                nodes += states.length;
                for (Beam b : beams) {
                    b.state().close(); // a parent is no longer needed once its children are forked
                    open.remove(b.state());
                }
                beams = grown;
            }
        } finally {
            for (SearchModel.State s : open) s.close();
        }
        boolean verified = bestScore != null && bestScore.valid();
        return new SearchResult(name(), best, verified, bestScore == null ? 0 : bestScore.value(), nodes,
                (int) (model.decodedTokens() - decoded0), (int) (model.prefilledTokens() - prefilled0), checked, solvedAtNode,
                stopReason, System.nanoTime() - t0);
    }
}
