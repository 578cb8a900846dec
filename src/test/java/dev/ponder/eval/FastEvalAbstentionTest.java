package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.Checker;
import dev.ponder.learn.world.EvalQuestion;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fast mode's 'unknown' answers count as abstentions; precision is over the rest. */
class FastEvalAbstentionTest {
    private static FastEval.Scored scored(Category c, String gold, String answer) {
        EvalQuestion q = new EvalQuestion("q", c, "Question?", List.of(gold), List.of(), null, null, null);
        return new FastEval.Scored(q, new GreedyAnswerer.Answer(" " + answer + "\n", answer, 2, 0, 0), Checker.forQuestion(q).accepts(answer));
    }

    @Test
    void unknownIsAnAbstentionAndPrecisionCountsOnlyTheAnswered() {
        List<FastEval.Scored> s = new ArrayList<>();
        s.add(scored(Category.K, "Sorvaton", "Sorvaton"));   // answered, right
        s.add(scored(Category.U, "1961", "1958"));           // answered, wrong
        s.add(scored(Category.U, "1961", "Unknown"));        // abstained (any case)
        s.add(scored(Category.N, "unknown", "unknown"));     // abstained (and right for N)
        s.add(scored(Category.N, "unknown", "Kavoton"));     // answered, wrong
        s.add(scored(Category.R, "Mira", "Mira"));           // outside the K U N H scope
        FastEval.Abstention kunh = FastEval.abstention(s, EnumSet.of(Category.K, Category.U, Category.N, Category.H));
        assertEquals(new FastEval.Abstention(5, 2, 3, 1), kunh);
        assertEquals(1.0 / 3, kunh.precision(), 1e-12);
        assertEquals(0.4, kunh.abstentionRate(), 1e-12);
        FastEval.Abstention all = FastEval.abstention(s, EnumSet.allOf(Category.class));
        assertEquals(new FastEval.Abstention(6, 2, 4, 2), all);
        assertTrue(Double.isNaN(FastEval.abstention(s, EnumSet.of(Category.C)).precision()));
    }
}
