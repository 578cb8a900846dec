package dev.ponder.eval;

import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.Drafter;
import dev.ponder.think.Generation;
import dev.ponder.think.Strategy;
import dev.ponder.think.StrategyChooser;
import dev.ponder.think.Trace;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How well a {@link StrategyChooser} matches the kind of doubt to the kind of exploration: for every question,
 * draft the fast answer, ask the chooser, and compare with the kind the question's category calls for (facts
 * → retrieve, arithmetic → tool, countdown → search). A question carries a verifier when the world gives it
 * one (countdown numbers and target).
 */
public final class StrategyEval {
    private StrategyEval() {}

    /** Choices per category: category → strategy → count. */
    public record Table(Map<Category, Map<Strategy, Integer>> counts, int right, int total) {
        public double rate() {
            return total == 0 ? Double.NaN : right / (double) total;
        }
    }

    /** The strategy a question of {@code c} calls for, or null when the category does not say (reading R). */
    public static Strategy expected(Category c) {
        return switch (c) {
            case K, U, N, H -> Strategy.RETRIEVE;
            case A -> Strategy.TOOL;
            case C -> Strategy.SEARCH;
            default -> null;
        };
    }

    public static Table run(List<EvalQuestion> questions, Drafter drafter, StrategyChooser chooser) {
        Map<Category, Map<Strategy, Integer>> counts = new EnumMap<>(Category.class);
        int right = 0, total = 0;
        for (EvalQuestion q : questions) {
            Strategy want = expected(q.category());
            if (want == null) continue;
            Drafter.Drafted d = drafter.draft(q.question(), List.of(), "", 0, new Trace());
            Generation g = d.generation();
            int weak = g.weakestToken();
            StrategyChooser.Choice c = chooser.choose(q.question(), g.text(), weak < 0 ? "" : g.tokens().get(weak).text(),
                    q.numbers() != null && q.target() != null);
            counts.computeIfAbsent(q.category(), k -> new EnumMap<>(Strategy.class)).merge(c.strategy(), 1, Integer::sum);
            total++;
            if (c.strategy() == want) right++;
        }
        return new Table(counts, right, total);
    }
}
