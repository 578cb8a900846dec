package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ponder.knowledge.tools.InlineTools;
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
}
