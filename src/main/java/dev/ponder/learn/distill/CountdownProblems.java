package dev.ponder.learn.distill;

import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.CountdownPuzzle;
import dev.ponder.learn.world.CountdownSolver;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.learn.world.Phrasings;
import dev.ponder.learn.world.Rng;
import dev.ponder.learn.world.WorldConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fresh countdown puzzles for distillation and for a held-out measurement, drawn with the world's own generator
 * ({@link CountdownSolver#randomPuzzle} with the world's number count and target range) from forks of the world
 * seed that the world itself never uses. A puzzle is identified by its numbers and target ({@link #key}); a puzzle
 * with the key of an eval (dev or test) C question, or of any key the caller excludes (the corpus's puzzles,
 * the held-out set, earlier rounds), is never drawn — checked here, not assumed from the seeds. Distillation
 * questions use the training phrasings ({@link Phrasings#COUNTDOWN_TRAIN}) and never the text of an eval question;
 * the held-out set uses the eval phrasings, as the test split does.
 */
public final class CountdownProblems {
    private CountdownProblems() {}

    /** A puzzle's identity: its numbers (ascending) and target, e.g. {@code [3, 7, 25, 100]->115}. */
    public static String key(CountdownPuzzle p) {
        List<Integer> sorted = new ArrayList<>(p.numbers());
        sorted.sort(null);
        return sorted + "->" + p.target();
    }

    /** The keys of the C questions of {@code eval}. */
    public static Set<String> keysOf(List<EvalQuestion> eval) {
        Set<String> keys = new HashSet<>();
        for (EvalQuestion q : eval) if (q.category() == Category.C) keys.add(key(q.puzzle()));
        return keys;
    }

    /**
     * {@code count} distinct puzzles for distillation round {@code round}, in training phrasings: none with a key of
     * {@code eval}'s C questions or of {@code exclude}, none whose text is an eval question's. Deterministic in
     * {@code seed}, {@code round} and the exclusions.
     */
    public static List<CountdownProblem> forRound(WorldConfig config, long seed, int round, int count, List<EvalQuestion> eval, Set<String> exclude) {
        List<CountdownProblem> out = new ArrayList<>();
        Rng rng = new Rng(seed).fork("distill-countdown-round-" + round), phrasing = rng.fork("phrasing");
        for (CountdownSolver.Solved s : draw(rng, config, count, eval, exclude)) {
            String q = fill(phrasing.pick(Phrasings.COUNTDOWN_TRAIN), s.puzzle());
            if (Problems.leaks(q, eval)) continue; // cannot happen with disjoint phrasings; checked all the same
            out.add(new CountdownProblem(q, s.puzzle()));
        }
        return out;
    }

    /**
     * {@code count} distinct held-out puzzles as C eval questions (eval phrasings, ids {@code heldout-C-0001} …), none
     * with a key of {@code eval}'s C questions or of {@code exclude}. Deterministic in {@code seed} and the exclusions.
     */
    public static List<EvalQuestion> heldOut(WorldConfig config, long seed, int count, List<EvalQuestion> eval, Set<String> exclude) {
        List<EvalQuestion> out = new ArrayList<>();
        Rng rng = new Rng(seed).fork("distill-countdown-held-out"), phrasing = rng.fork("phrasing");
        for (CountdownSolver.Solved s : draw(rng, config, count, eval, exclude)) {
            String q = fill(phrasing.pick(Phrasings.COUNTDOWN_EVAL), s.puzzle());
            out.add(new EvalQuestion(String.format(Locale.ROOT, "heldout-C-%04d", out.size() + 1), Category.C, q,
                    List.of(s.solution().toString()), List.of(), null, s.puzzle().numbers(), s.puzzle().target()));
        }
        return out;
    }

    private static List<CountdownSolver.Solved> draw(Rng rng, WorldConfig config, int count, List<EvalQuestion> eval, Set<String> exclude) {
        Set<String> taken = new HashSet<>(exclude);
        taken.addAll(keysOf(eval));
        List<CountdownSolver.Solved> out = new ArrayList<>();
        for (int attempt = 0; out.size() < count && attempt < 20 * count + 100; attempt++) {
            CountdownSolver.Solved s = CountdownSolver.randomPuzzle(rng, config.countdownNumbers(), WorldConfig.COUNTDOWN_MIN_TARGET,
                    config.countdownMaxTarget());
            if (taken.add(key(s.puzzle()))) out.add(s);
        }
        return out;
    }

    private static String fill(String template, CountdownPuzzle p) {
        return Phrasings.fill(template, "nums", p.numbersText(), "target", Integer.toString(p.target()));
    }
}
