package dev.ponder.learn.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.knowledge.tools.Rational;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckerTest {
    private static EvalQuestion q(Category c, String answer) {
        return new EvalQuestion("x", c, "q?", List.of(answer), List.of(), null, null, null);
    }

    @Test
    void exactMatchNormalizesButRejectsOtherAnswers() {
        Checker c = Checker.forQuestion(q(Category.K, "Zunda Works"));
        for (String ok : new String[] {"Zunda Works", "zunda works", "  Zunda   Works. ", "\"Zunda Works\"", "the Zunda Works"}) {
            assertTrue(c.accepts(ok), ok);
        }
        for (String wrong : new String[] {"Zunda", "Zunda Works Ltd", "Zonda Works", "", "unknown", "Works Zunda"}) {
            assertFalse(c.accepts(wrong), wrong);
        }
        Checker prof = Checker.forQuestion(q(Category.U, "engineer"));
        assertTrue(prof.accepts("an engineer"));
        assertFalse(prof.accepts("an architect"));
        Checker year = Checker.forQuestion(q(Category.H, "1987"));
        assertTrue(year.accepts("1987"));
        assertFalse(year.accepts("1988"));
        assertFalse(year.accepts("in 1987")); // exact match, not containment
        Checker none = Checker.forQuestion(q(Category.N, PromptFormat.UNKNOWN));
        assertTrue(none.accepts("Unknown."));
        assertFalse(none.accepts("1987"));
    }

    @Test
    void numericCheckReadsTheToolResult() {
        Checker c = Checker.forQuestion(q(Category.A, "44"));
        assertTrue(c.accepts("<<calc 2031-1987>>44"));
        assertTrue(c.accepts("44"));
        assertTrue(c.accepts("44 years"));
        assertTrue(c.accepts("88/2"));
        assertFalse(c.accepts("<<calc 2031-1987>>45"));
        assertFalse(c.accepts("<<calc 2031-1987>>")); // the result was never inserted
        assertFalse(c.accepts("2031-1987"));
        assertFalse(c.accepts("forty-four"));
        assertFalse(c.accepts(""));
        assertTrue(Checker.numeric(Rational.parse("-7/3")).accepts("-7/3"));
        assertFalse(Checker.numeric(Rational.parse("-7/3")).accepts("7/3"));
    }

    @Test
    void countdownCheckAcceptsAnyValidSolution() {
        EvalQuestion cq = new EvalQuestion("c", Category.C, "q", List.of("25*4+3"), List.of(), null, List.of(3, 4, 7, 25), 103);
        Checker c = Checker.forQuestion(cq);
        assertTrue(c.accepts("25*4+3"));
        assertTrue(c.accepts("3+4*25"));
        assertFalse(c.accepts("103"));
        assertFalse(c.accepts("25*4+4"));
        assertFalse(c.accepts("25*4+3+3"));
    }

    @Test
    void evalQuestionsRoundTripThroughJson() {
        EvalQuestion r = new EvalQuestion("dev-R-0001", Category.R, "Where?", List.of("Kavoton"), List.of(), "Passage text.", null, null);
        EvalQuestion c = new EvalQuestion("dev-C-0001", Category.C, "Make 24.", List.of("6/(1-3/4)"), List.of(), null, List.of(1, 3, 4, 6), 24);
        EvalQuestion k = new EvalQuestion("dev-K-0001", Category.K, "Who?", List.of("A B"), List.of("person-0001"), null, null, null);
        for (EvalQuestion e : List.of(r, c, k)) assertEquals(e, EvalQuestion.fromJson(e.toJson()));
        assertEquals("{\"id\":\"dev-K-0001\",\"category\":\"K\",\"question\":\"Who?\",\"answers\":[\"A B\"],\"support\":[\"person-0001\"]}", k.toJson());
        assertEquals("Passage: Passage text.\nQuestion: Where?\nAnswer:", r.prompt());
        assertEquals("Question: Who?\nAnswer:", k.prompt());
        assertEquals("A B", PromptFormat.answerOf(" A B\nQuestion: next"));
    }
}
