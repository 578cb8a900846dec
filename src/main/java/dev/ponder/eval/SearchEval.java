package dev.ponder.eval;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.Checker;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.search.BeamSearch;
import dev.ponder.think.search.EngineSearchModel;
import dev.ponder.think.search.Mcts;
import dev.ponder.think.search.Search;
import dev.ponder.think.search.SearchBudget;
import dev.ponder.think.search.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Search on countdown (C) questions: for every puzzle, fast mode (one unconstrained greedy answer), then each
 * search algorithm at each node budget, every run separate (a run at budget N is not derived from a larger
 * one). An answer counts as solved only if {@link Checker#countdown} accepts it again, independently of what
 * the search claimed.
 */
public final class SearchEval {
    /** The fast-mode baseline's method name. */
    public static final String FAST = "fast";

    /**
     * One method's attempt at one puzzle.
     *
     * @param method {@code fast}, {@code mcts} or {@code beam}
     * @param budget node budget (0 for fast mode)
     * @param width beam width (0 unless beam)
     * @param id question id
     * @param answer the answer given (the search's best attempt when unverified)
     * @param claimed the search said the verifier accepted it (always false for fast mode)
     * @param solved the puzzle's checker accepts the answer (checked here, again)
     * @param nodes nodes expanded (0 for fast mode)
     * @param tokens tokens decoded
     * @param prefilledTokens prompt tokens computed
     * @param nanos wall time
     * @param stopReason why the search stopped ({@code greedy} for fast mode)
     */
    public record Attempt(String method, int budget, int width, String id, String answer, boolean claimed, boolean solved, int nodes,
                          int tokens, int prefilledTokens, long nanos, String stopReason) {}

    /**
     * What to run.
     *
     * @param algorithms {@code mcts} and/or {@code beam}
     * @param budgets node budgets, ascending
     * @param mcts MCTS settings
     * @param beam beam settings (its width is replaced per budget, see {@link #beamWidth})
     * @param beamDepth answer length, in tokens, a beam is expected to need: at budget N the width is N / beamDepth
     */
    public record Settings(List<String> algorithms, List<Integer> budgets, Mcts.Settings mcts, BeamSearch.Settings beam, int beamDepth) {
        public Settings {
            algorithms = List.copyOf(algorithms);
            budgets = budgets.stream().sorted().distinct().toList();
            for (String a : algorithms) if (!a.equals("mcts") && !a.equals("beam")) throw new PonderException("unknown search algorithm: " + a + " (mcts or beam)");
            if (algorithms.isEmpty()) throw new PonderException("no search algorithm given (mcts, beam)");
            if (budgets.isEmpty() || budgets.getFirst() < 1) throw new PonderException("search budgets must be at least 1 node");
            if (beamDepth < 1) throw new PonderException("beam depth must be at least 1");
        }
    }

    private SearchEval() {}

    /** The beam width used at node budget {@code budget}: enough beams to spend the budget on answers of {@code depth} tokens. */
    public static int beamWidth(int budget, int depth) {
        return Math.max(1, budget / depth);
    }

    /** Runs fast mode and every algorithm × budget on the C questions of {@code questions}; {@code onEach} sees every attempt. */
    public static List<Attempt> run(Model model, List<EvalQuestion> questions, Settings settings, int maxTokens, Consumer<Attempt> onEach) {
        List<EvalQuestion> cs = questions.stream().filter(q -> q.category() == Category.C).toList();
        if (cs.isEmpty()) throw new PonderException("no countdown (C) questions to search");
        GreedyAnswerer fast = new GreedyAnswerer(model, model.tokenizer(), maxTokens, false);
        EngineSearchModel sm = new EngineSearchModel(model);
        List<Attempt> out = new ArrayList<>();
        for (EvalQuestion q : cs) {
            Checker checker = Checker.countdown(q.puzzle());
            GreedyAnswerer.Answer a = fast.answer(q.prompt());
            add(out, onEach, new Attempt(FAST, 0, 0, q.id(), a.answer(), false, checker.accepts(a.answer()), 0, a.generatedTokens(),
                    model.tokenizer().encode(q.prompt(), model.tokenizer().addsBos(), false).length, a.nanos(), "greedy"));
            CountdownVerifier verifier = new CountdownVerifier(q.puzzle());
            for (int budget : settings.budgets()) {
                for (String alg : settings.algorithms()) {
                    int width = alg.equals("beam") ? beamWidth(budget, settings.beamDepth()) : 0;
                    Search s = alg.equals("mcts") ? new Mcts(sm, settings.mcts().withMaxAnswerTokens(maxTokens))
                            : new BeamSearch(sm, new BeamSearch.Settings(width, settings.beam().topK(), maxTokens, settings.beam().stop()));
                    SearchResult r = s.run(q.prompt(), verifier, SearchBudget.nodes(budget));
                    add(out, onEach, new Attempt(alg, budget, width, q.id(), r.best(), r.verified(), r.verified() && checker.accepts(r.best()),
                            r.nodes(), r.tokens(), r.prefilledTokens(), r.nanos(), r.stopReason()));
                }
            }
        }
        return out;
    }

    private static void add(List<Attempt> out, Consumer<Attempt> onEach, Attempt a) {
        out.add(a);
        onEach.accept(a);
    }
}
