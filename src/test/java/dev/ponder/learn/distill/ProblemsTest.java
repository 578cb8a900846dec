package dev.ponder.learn.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.learn.world.Entity;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.learn.world.Phrasings;
import dev.ponder.learn.world.WorldConfig;
import dev.ponder.learn.world.WorldGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Distillation problems never carry an eval question, and only teach what the model could not know. */
class ProblemsTest {
    static WorldGenerator.Generated g;
    static List<EvalQuestion> eval;
    static List<Problem> problems;

    @BeforeAll
    static void build() {
        g = WorldGenerator.build(WorldConfig.defaults(), 7);
        eval = new ArrayList<>(g.dev());
        eval.addAll(g.test());
        problems = Problems.unknownFacts(g.world(), eval);
    }

    @Test
    void noDevOrTestQuestionEntersTheDistillationData() {
        assertFalse(problems.isEmpty());
        Set<String> evalTexts = new HashSet<>();
        for (EvalQuestion q : eval) evalTexts.add(q.question().toLowerCase().strip());
        for (Problem p : problems) {
            assertFalse(evalTexts.contains(p.question().toLowerCase().strip()), p.question());
            assertFalse(Problems.leaks(p.question(), eval), p.question());
        }
        // the check itself can fail: an eval question (any case, any spacing) is caught
        EvalQuestion q = g.test().getFirst();
        assertTrue(Problems.leaks("  " + q.question().toUpperCase() + " ", eval));
    }

    /** Countdown distillation puzzles: never a dev or test puzzle (by numbers and target) nor an eval question's text. */
    @Test
    void noDevOrTestPuzzleEntersTheCountdownData() {
        Set<String> evalKeys = CountdownProblems.keysOf(eval);
        assertEquals(100, evalKeys.size(), "50 dev and 50 test puzzles, all distinct");
        List<EvalQuestion> heldOut = CountdownProblems.heldOut(WorldConfig.defaults(), 7, 200, eval, Set.of());
        Set<String> heldKeys = CountdownProblems.keysOf(heldOut);
        assertEquals(200, heldKeys.size());
        List<CountdownProblem> r1 = CountdownProblems.forRound(WorldConfig.defaults(), 7, 1, 300, eval, heldKeys);
        Set<String> used = new HashSet<>(heldKeys);
        for (CountdownProblem p : r1) used.add(CountdownProblems.key(p.puzzle()));
        List<CountdownProblem> r2 = CountdownProblems.forRound(WorldConfig.defaults(), 7, 2, 300, eval, used);
        assertEquals(300, r1.size());
        assertEquals(300, r2.size());
        Set<String> seen = new HashSet<>();
        for (CountdownProblem p : concat(r1, r2)) {
            String k = CountdownProblems.key(p.puzzle());
            assertFalse(evalKeys.contains(k), "an eval puzzle: " + p);
            assertFalse(heldKeys.contains(k), "a held-out puzzle: " + p);
            assertTrue(seen.add(k), "drawn twice: " + p);
            assertFalse(Problems.leaks(p.question(), eval), p.question());
            assertTrue(p.puzzle().numbers().size() == WorldConfig.defaults().countdownNumbers());
            assertTrue(Phrasings.COUNTDOWN_TRAIN.stream().anyMatch(t -> p.question().equals(Phrasings.fill(t, "nums", p.puzzle().numbersText(),
                    "target", Integer.toString(p.puzzle().target())))), "a training phrasing of its own puzzle: " + p.question());
        }
        for (EvalQuestion q : heldOut) assertFalse(evalKeys.contains(CountdownProblems.key(q.puzzle())), q.id());
        // deterministic
        assertEquals(r1, CountdownProblems.forRound(WorldConfig.defaults(), 7, 1, 300, eval, heldKeys));
        // the check itself can fail: excluding the first draws moves the generator past them, and an eval puzzle's key is caught
        List<CountdownProblem> free = CountdownProblems.forRound(WorldConfig.defaults(), 7, 1, 20, eval, Set.of());
        String firstKey = CountdownProblems.key(free.getFirst().puzzle());
        List<CountdownProblem> without = CountdownProblems.forRound(WorldConfig.defaults(), 7, 1, 20, eval, Set.of(firstKey));
        assertTrue(without.stream().noneMatch(p -> CountdownProblems.key(p.puzzle()).equals(firstKey)), "an excluded puzzle is never drawn");
        assertEquals(free.subList(1, 20).stream().map(CountdownProblem::puzzle).toList(),
                without.subList(0, 19).stream().map(CountdownProblem::puzzle).toList(), "the draw goes on past it");
        EvalQuestion c = g.test().stream().filter(q -> q.category().name().equals("C")).findFirst().orElseThrow();
        assertTrue(evalKeys.contains(CountdownProblems.key(new dev.ponder.learn.world.CountdownPuzzle(
                c.puzzle().numbers().reversed(), c.puzzle().target()))), "the key ignores the order of the numbers");
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void onlyUnknownEntitiesAndTwoDisjointHalves() {
        Map<String, Entity> byId = new HashMap<>();
        for (Entity e : g.world().entities()) byId.put(e.id(), e);
        Set<String> distilled = new HashSet<>(), held = new HashSet<>();
        for (Problem p : problems) {
            assertFalse(byId.get(p.entityId()).known(), p.entityId());
            (p.distilled() ? distilled : held).add(p.entityId());
        }
        assertTrue(distilled.stream().noneMatch(held::contains));
        assertTrue(distilled.size() > 100 && held.size() > 100, distilled.size() + " / " + held.size());
        // the test split's U questions fall in both halves, so both can be reported
        long inDistilled = g.test().stream().filter(x -> x.category().name().equals("U"))
                .filter(x -> x.support().stream().anyMatch(distilled::contains)).count();
        assertTrue(inDistilled > 5 && inDistilled < 45, "U test questions about distilled entities: " + inDistilled);
    }
}
