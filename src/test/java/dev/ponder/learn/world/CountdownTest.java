package dev.ponder.learn.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.knowledge.tools.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CountdownTest {
    private final CountdownPuzzle p = new CountdownPuzzle(List.of(3, 4, 7, 25), 103);

    @Test
    void verifierAcceptsValidExpressions() {
        assertTrue(p.check("25*4+3").valid());
        assertTrue(p.check("(25*4)+3").valid());
        assertTrue(p.check(" 3 + 4*25 ").valid());
        assertTrue(p.check("25*4+3 = 103").valid());
        assertTrue(p.check("4*(25)+3").valid());
        // Fractions on the way are fine: 6/(1-3/4) = 24.
        assertTrue(new CountdownPuzzle(List.of(1, 3, 4, 6), 24).check("6/(1-3/4)").valid());
        // A number listed twice may be used twice.
        assertTrue(new CountdownPuzzle(List.of(5, 5, 2), 50).check("5*5*2").valid());
    }

    @Test
    void verifierRejectsWrongAnswersWithAReason() {
        Map<String, String> bad = Map.of(
                "25*4+7", "evaluates to 107",
                "25*4+3+7-7", "used 7 too often",
                "100+3", "number not available: 100",
                "25*4+3 = 104", "claims 104",
                "-(3-25*4)", "unary minus",
                "25*4+3.0", "not a whole number",
                "25/(4-4)+3", "used 4 too often",
                "25*4+", "bad expression",
                "", "no expression",
                "twenty-five times four", "bad expression");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            CountdownPuzzle.Verdict v = p.check(e.getKey());
            assertFalse(v.valid(), e.getKey());
            assertTrue(v.reason().contains(e.getValue()), e.getKey() + " -> " + v.reason());
        }
        assertFalse(new CountdownPuzzle(List.of(3, 3, 1), 3).check("3/(3-3)").valid());
    }

    @Test
    void aWorkedAnswerIsCheckedByTheExpressionAfterItsCalculation() {
        // the calculation is scratch work; the expression after it is the answer
        assertTrue(p.check("<<calc 103-25>>78; 25*4+3").valid());
        assertTrue(p.check("<<calc 103-25>>78, 25*4+3").valid());
        assertTrue(p.check("<<calc 25*4+3>>103").valid(), "nothing after the call: its expression is the answer");
        assertTrue(p.check("<<calc 103/25>>103/25 <<calc 103-3>>100; 3+25*4").valid(), "several calculations: the last one counts");
        assertEquals("25*4+3", CountdownPuzzle.expressionOf("<<calc 103-25>>78; 25*4+3"));
        assertEquals("25*4+3", CountdownPuzzle.expressionOf("25*4+3"));
        // and is checked as strictly as a plain one: a right calculation does not rescue a wrong expression
        for (String bad : List.of("<<calc 103-25>>78; 25*4+7", "<<calc 103-25>>78; 100+3", "<<calc 103-25>>78", "<<calc 25*4+7>>107",
                "<<calc 103-25>>78;", "<<calc 103-25>>78; 25*4+3 = 104", "<<calc 25*4+3", "25*4+3 <<calc 1+1>>2"))
            assertFalse(p.check(bad).valid(), bad);
    }

    @Test
    void solverFindsVerifiedSolutionsAndFewestNumbers() {
        Optional<Expr> s = CountdownSolver.solve(p);
        assertTrue(s.isPresent());
        assertTrue(p.check(s.get().toString()).valid(), s.get().toString());
        assertTrue(CountdownSolver.solve(new CountdownPuzzle(List.of(1, 1), 50)).isEmpty());
        CountdownSolver solver = CountdownSolver.of(List.of(2, 3, 7));
        assertEquals(1, solver.fewestNumbers().get(7L));
        assertEquals(2, solver.fewestNumbers().get(21L));
        assertEquals(3, solver.fewestNumbers().get(42L));
        // Every value the search reaches comes with a solution the verifier accepts.
        Rng rng = new Rng(3);
        for (int i = 0; i < 8; i++) {
            List<Integer> nums = new ArrayList<>(List.of(rng.between(1, 10), rng.between(1, 10), rng.between(1, 10), rng.pick(25, 50, 75, 100)));
            nums.sort(null);
            CountdownSolver sv = CountdownSolver.of(nums);
            for (long v : sv.fewestNumbers().keySet()) {
                if (v > 2000) continue;
                CountdownPuzzle q = new CountdownPuzzle(nums, (int) v);
                assertTrue(q.check(sv.solve((int) v).orElseThrow().toString()).valid(), q + " " + sv.solve((int) v));
            }
        }
    }

    @Test
    void randomPuzzlesAreSolvableAndNeedSeveralNumbers() {
        Rng rng = new Rng(9);
        for (int i = 0; i < 200; i++) {
            CountdownSolver.Solved s = CountdownSolver.randomPuzzle(rng, 4, 10, 250);
            CountdownPuzzle q = s.puzzle();
            assertTrue(q.target() >= 10 && q.target() <= 250);
            assertTrue(q.check(s.solution().toString()).valid());
            assertTrue(CountdownSolver.of(q.numbers()).fewestNumbers().get((long) q.target()) >= 3);
        }
        CountdownSolver.Solved six = CountdownSolver.randomPuzzle(rng, 6, 100, 999);
        assertTrue(six.puzzle().check(six.solution().toString()).valid());
    }
}
