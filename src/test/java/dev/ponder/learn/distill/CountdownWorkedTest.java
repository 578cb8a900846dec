package dev.ponder.learn.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.learn.world.CountdownPuzzle;
import dev.ponder.learn.world.CountdownSolver;
import dev.ponder.learn.world.Rng;
import dev.ponder.learn.world.WorldConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CountdownWorkedTest {
    @Test
    void leadsWithTheLargestListedNumberAndShowsWhatIsLeftToMake() {
        CountdownPuzzle p = new CountdownPuzzle(List.of(7, 7, 75, 100), 89);
        assertEquals(Optional.of("<<calc 89-75>>14; 75+7+7"), CountdownWorked.of(p, "7+75+7"));
        CountdownPuzzle q = new CountdownPuzzle(List.of(8, 8, 10, 10), 180);
        assertEquals(Optional.of("<<calc 180/10>>18; 10*(10+8)"), CountdownWorked.of(q, "(10+8)*10"));
        CountdownPuzzle r = new CountdownPuzzle(List.of(4, 8, 75, 100), 150);
        assertEquals(Optional.of("<<calc 150/75>>2; 75*8/4"), CountdownWorked.of(r, "75*8/4"));
        // a subtracted or divided number never leads: 100-25-4 leads with 100, and what is left may be negative
        CountdownPuzzle s = new CountdownPuzzle(List.of(4, 25, 100), 71);
        assertEquals(Optional.of("<<calc 71-100>>-29; 100-25-4"), CountdownWorked.of(s, "100-25-4"));
        assertEquals(Optional.of("<<calc 71-100>>-29; 100-(25+4)"), CountdownWorked.of(s, "100-(25+4)"));
        // products inside a sum keep their form; no listed number at the top level: no worked answer
        CountdownPuzzle t = new CountdownPuzzle(List.of(2, 5, 5, 50), 73);
        assertEquals(Optional.of("<<calc 73-50>>23; 50+5*5-2"), CountdownWorked.of(t, "5*5+50-2"));
        CountdownPuzzle u = new CountdownPuzzle(List.of(2, 3, 4, 5), 45);
        assertEquals(Optional.empty(), CountdownWorked.of(u, "(2+3)*(4+5)"));
        assertEquals(Optional.empty(), CountdownWorked.of(u, "not an expression"));
    }

    @Test
    void everyWorkedAnswerOfTheWorldsPuzzlesChecksAndMostSolutionsHaveOne() {
        Rng rng = new Rng(11);
        int worked = 0, n = 300;
        for (int i = 0; i < n; i++) {
            CountdownSolver.Solved s = CountdownSolver.randomPuzzle(rng, 4, WorldConfig.COUNTDOWN_MIN_TARGET, 250);
            Optional<String> w = CountdownWorked.of(s.puzzle(), s.solution().toString());
            if (w.isEmpty()) continue;
            worked++;
            assertTrue(s.puzzle().check(w.get()).valid(), w.get() + " for " + s.puzzle());
            assertTrue(w.get().startsWith("<<calc " + s.puzzle().target()), w.get());
        }
        assertTrue(worked > n * 3 / 4, worked + " of " + n + " solutions have a worked form");
    }
}
