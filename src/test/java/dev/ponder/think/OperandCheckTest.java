package dev.ponder.think;

import static dev.ponder.think.ScriptedBackend.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OperandCheckTest {
    /** Subtraction only, as {@code a-b} or {@code a+b}. */
    static final ToolRunner CALC = new ToolRunner() {
        @Override
        public boolean has(String tool) {
            return tool.equals("calc");
        }

        @Override
        public Output run(String tool, String arguments) {
            String[] ab = arguments.split("[-+]");
            long r = arguments.contains("+") ? Long.parseLong(ab[0]) + Long.parseLong(ab[1]) : Long.parseLong(ab[0]) - Long.parseLong(ab[1]);
            return new Output(Long.toString(r), false, Long.toString(r));
        }
    };
    static final Passage ACME = new Passage("company-1", "Acme Works", "Acme Works is a company founded in 1860.", 0);
    static final Passage ADA = new Passage("person-1", "Ada Lovo", "Ada Lovo is a nurse who works at Acme Works.", 0);
    static final String Q = "For how many years had Acme Works been around by 1976?";

    static ScriptedBackend model(String plainYear) {
        return new ScriptedBackend()
                .when("Q: In which year was Acme Works founded?", t(" " + plainYear, 0.95))
                .when(">>", t("", 0.99)) // nothing after a call's result
                .when("Q: " + Q, t(" <<", 0.99), t("calc", 0.99), t(" 1976-1826", 0.99), t(">>", 0.99));
    }

    static Drafter drafter(Backend b) {
        return new Drafter(b, ScriptedBackend.FORMAT, Calibration.fallback(), new Budget(2, 1, 100, 10_000_000_000L, 16)).withTools(CALC);
    }

    @Test
    void aRecalledYearThePlainAnswerContradictsIsAConflictWithItsReplacement() {
        Drafter d = drafter(model("1860"));
        PonderTest.ListRetriever lib = new PonderTest.ListRetriever(ACME, ADA);
        OperandCheck.Conflict c = OperandCheck.check(d, lib, Q, "<<calc 1976-1826>>150").orElseThrow();
        assertEquals("1826", c.operand());
        assertEquals(List.of("In which year was Acme Works founded?"), c.asked());
        assertEquals(List.of("1860"), c.answers());
        assertEquals("1860", c.replacement());
        assertEquals("<<calc 1976-1860>>", c.corrected("<<calc 1976-1826>>150"));
        assertTrue(c.reason().contains("uses 1826"), c.reason());

        assertTrue(OperandCheck.check(drafter(model("1826")), lib, Q, "<<calc 1976-1826>>150").isEmpty(), "the plain answer agrees");
        assertTrue(OperandCheck.check(d, lib, Q, "<<calc 1976-1860>>116").isEmpty(), "the recalled year is the plain answer's");
        assertTrue(OperandCheck.check(d, lib, "For how many years had Acme Works been around by 1976? It began in 1826.", "<<calc 1976-1826>>150").isEmpty(),
                "numbers the question gives are not recalled");
        assertTrue(OperandCheck.check(d, lib, Q, "150").isEmpty(), "no calculation");
        assertTrue(OperandCheck.check(d, new PonderTest.ListRetriever(ADA), Q, "<<calc 1976-1826>>150").isEmpty(), "no document: no plain question");
        assertEquals("In which year was Ada Lovo born?", OperandCheck.startQuestion(new PonderTest.ListRetriever(ADA), "Ada Lovo").orElseThrow());
    }

    @Test
    void aNumberOfTheQuestionNoCallUsesReplacesAMiscopiedOne() {
        Drafter d = drafter(model("1826"));
        OperandCheck.Conflict c = OperandCheck.check(d, new PonderTest.ListRetriever(ACME, ADA), Q, "<<calc 1970-1826>>144").orElseThrow();
        assertEquals("1970", c.operand());
        assertEquals("1976", c.replacement(), "the question's 1976, which no call uses");
        assertEquals("<<calc 1976-1826>>", c.corrected("<<calc 1970-1826>>144"));
    }

    @Test
    void aNegativeCountOfYearsIsNotAdopted() {
        Drafter d = drafter(model("1990")); // the plain answer is later than the question's year: wrong
        Result r = new Ponder(d, new PonderTest.ListRetriever(ACME, ADA), Ponder.Mode.ANSWER).answer(Q);
        assertFalse(r.answer().contains("-14"), r.answer());
        assertFalse(r.trace().of(TraceEvent.Retrieve.class).isEmpty(), "the controller reads instead");
    }

    @Test
    void noReplacementWhenTwoRecalledYearsConflict() {
        OperandCheck.Conflict c = new OperandCheck.Conflict("1826", List.of("q"), List.of("1860"), List.of(0.9), null);
        assertNull(c.corrected("<<calc 1976-1826>>150"));
        OperandCheck.Conflict two = new OperandCheck.Conflict("1826", List.of("q"), List.of("1860"), List.of(0.9), "1860");
        assertNull(two.corrected("<<calc 1976-1826>>150 <<calc 150-1>>149"), "one call only");
    }

    @Test
    void ponderComputesAgainFromThePlainAnswer() {
        Drafter d = drafter(model("1860"));
        Result r = new Ponder(d, new PonderTest.ListRetriever(ACME, ADA), Ponder.Mode.ANSWER).answer(Q);
        assertEquals("<<calc 1976-1860>>116", r.answer());
        assertEquals(0, r.retrievals(), "computed again without reading");
        TraceEvent.Trigger trigger = r.trace().of(TraceEvent.Trigger.class).getFirst();
        assertEquals("decompose", trigger.strategy());
        TraceEvent.SubQuestion sub = r.trace().of(TraceEvent.SubQuestion.class).getFirst();
        assertEquals("operand", sub.role());
        assertEquals("1860", sub.answer());

        // without decomposition the conflict makes the controller read instead
        Result read = new Ponder(d, new PonderTest.ListRetriever(ACME, ADA), Ponder.Mode.ANSWER, false).answer(Q);
        assertFalse(read.trace().of(TraceEvent.Retrieve.class).isEmpty());
        assertTrue(read.trace().of(TraceEvent.Trigger.class).getFirst().reason().contains("uses 1826"));
    }
}
