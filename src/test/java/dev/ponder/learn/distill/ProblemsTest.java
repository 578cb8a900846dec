package dev.ponder.learn.distill;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.learn.world.Entity;
import dev.ponder.learn.world.EvalQuestion;
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
