package dev.ponder.think.search;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.Result;
import dev.ponder.think.ScriptedBackendAccess;
import dev.ponder.think.Trace;
import dev.ponder.think.TraceEvent;
import dev.ponder.think.TraceRenderer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchMethodTest {
    static final String PUZZLE = "Which letter?";

    static SearchMethod method(String draft, boolean cValid, boolean answerWhenUnsure) {
        Drafter drafter = new Drafter(ScriptedBackendAccess.backend(new String[] {"Q: "}, new String[] {" " + draft}, new double[] {0.4}),
                ScriptedBackendAccess.format(), Calibration.fallback(), Budget.defaults());
        Verifier v = MctsTest.letterScores(cValid);
        return new SearchMethod(drafter, new Mcts(MctsTest.letters(), Mcts.Settings.defaults().withCPuct(1).withPriorTemperature(1)),
                q -> q.equals(PUZZLE) ? Optional.of(v) : Optional.empty(), SearchBudget.nodes(10), answerWhenUnsure);
    }

    @Test
    void aVerifiedDraftNeedsNoSearch() {
        Result r = method("C", true, false).answer(PUZZLE);
        assertEquals("C", r.answer());
        assertEquals(1.0, r.confidence());
        assertEquals(0, r.pauses());
        assertTrue(r.trace().of(TraceEvent.Search.class).isEmpty());
    }

    @Test
    void aDraftThatDoesNotVerifyStartsASearchThatFindsTheAnswer() throws Exception {
        Result r = method("A", true, false).answer(PUZZLE);
        assertEquals("C", r.answer());
        assertFalse(r.abstained());
        assertEquals(1.0, r.confidence());
        assertEquals(1, r.pauses());
        Trace t = r.trace();
        TraceEvent.Trigger trigger = t.of(TraceEvent.Trigger.class).getFirst();
        assertEquals("search", trigger.strategy());
        assertTrue(trigger.reason().contains("does not verify"), trigger.reason());
        TraceEvent.Search s = t.of(TraceEvent.Search.class).getFirst();
        assertEquals(new TraceEvent.Search(1, "mcts", 4, s.tokens(), "C", true, s.nanos()), s);
        assertTrue(TraceRenderer.render(t).contains("search (mcts): 4 nodes"), TraceRenderer.render(t));
        assertTrue(Trace.toJson(s).startsWith("{\"type\":\"search\",\"pause\":1,\"algorithm\":\"mcts\""), Trace.toJson(s));
        assertEquals(s, Trace.parse(t.toJsonLines()).of(TraceEvent.Search.class).getFirst(), "the search event survives JSON (the web page's trace)");
    }

    @Test
    void withoutAVerifiedAnswerItAbstainsOrGivesItsBestTry() {
        Result r = method("A", false, false).answer(PUZZLE);
        assertTrue(r.abstained());
        assertTrue(r.answer().startsWith("I don't know") && r.answer().contains("best try: C"), r.answer());
        assertEquals(0, r.confidence());
        Result anyway = method("A", false, true).answer(PUZZLE);
        assertFalse(anyway.abstained());
        assertEquals("C", anyway.answer());
        assertEquals(0, anyway.confidence());
    }

    @Test
    void aQuestionWithoutVerifierKeepsTheDraft() {
        Result r = method("B", true, false).answer("Something else?");
        assertEquals("B", r.answer());
        assertEquals(0, r.pauses());
        assertTrue(r.trace().of(TraceEvent.Search.class).isEmpty());
    }
}
