package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ponder.knowledge.tools.InlineTools;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.Agreement;
import dev.ponder.knowledge.tools.ToolRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsultEvalTest {
    @Test
    void consensusIsTheMostCommonMeaningAndTiesGoToGreedy() {
        // three votes for Nububy (case ignored) against two for the greedy answer: the first spelling seen wins
        assertEquals("nububy", ConsultEval.consensus("Patinmar", List.of("nububy", "Nububy", "Nububy", "Patinmar")));
        // a tie between Patinmar (greedy + one sample) and Nububy (two samples) goes to the greedy answer
        assertEquals("Patinmar", ConsultEval.consensus("Patinmar", List.of("Nububy", "nububy", "Patinmar")));
        assertEquals("Patinmar", ConsultEval.consensus("Patinmar", List.of("Nububy", "Kepeby")));
        assertEquals("Patinmar", ConsultEval.consensus("Patinmar", List.of("Nububy", "Patinmar.")));
    }

    @Test
    void aSampledToolCallMeansItsExactResult() {
        InlineTools tools = new InlineTools(ToolRegistry.withBuiltins());
        String a = ConsultEval.withToolResult(" <<calc 2052-1982>>71", tools);
        String b = ConsultEval.withToolResult(" <<calc 2052 - 1982>>", tools);
        assertEquals(" <<calc 2052-1982>>70", a);
        assertEquals(ConsultEval.meaning(a), ConsultEval.meaning(b));
        assertEquals("70", ConsultEval.meaning(a));
        assertEquals(" no call", ConsultEval.withToolResult(" no call", tools));
    }

    static ConsultEval.Item item(String passage, boolean greedy, boolean consensus, boolean consulted, int clusters) {
        EvalQuestion q = new EvalQuestion("q", passage == null ? Category.U : Category.R, "Where?", List.of("x"), List.of(), passage, null, null);
        Agreement a = new Agreement(1.0 / clusters, clusters > 1 ? 1 : 0, clusters);
        return new ConsultEval.Item(q, "g", greedy, "c", consensus, a, new double[0], "k", consulted);
    }

    @Test
    void readingFiguresCountOnlyQuestionsWithAPassage() {
        List<ConsultEval.Item> items = List.of(
                item("p", false, false, true, 3),   // disagree: only the consultation is right
                item("p", true, true, true, 1),     // all agree and right
                item("p", true, false, false, 2),   // disagree: only greedy is right
                item(null, false, true, true, 2));  // no passage: not a reading question
        ConsultEval.Reading r = ConsultEval.reading(items);
        assertEquals(3, r.questions());
        assertEquals(2, r.disagree());
        assertEquals(2 / 3.0, r.greedy(), 1e-12);
        assertEquals(1 / 3.0, r.consensus(), 1e-12);
        assertEquals(2 / 3.0, r.consulted(), 1e-12);
        assertEquals(0.5, r.greedyOnDisagree(), 1e-12);
        assertEquals(0.0, r.consensusOnDisagree(), 1e-12);
        assertEquals(0.5, r.consultedOnDisagree(), 1e-12);
        assertEquals(0, ConsultEval.reading(List.of(item(null, true, true, true, 1))).questions());
    }
}
