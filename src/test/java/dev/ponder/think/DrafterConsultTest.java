package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DrafterConsultTest {
    /** Greedy gives {@code greedy} (probability 0.6); sampling gives {@code samples} in turn (0.3 each). */
    static ScriptedBackend backend(String greedy, String... samples) {
        ScriptedBackend b = new ScriptedBackend().when("", ScriptedBackend.t(" " + greedy, 0.6));
        for (String x : samples) b.sampling(ScriptedBackend.t(" " + x, 0.3));
        return b;
    }

    static final List<Passage> EVIDENCE = List.of(new Passage("person-1", "Ada Lovo", "Ada Lovo was born in Dolsinby in 1950. Bob Rev lives in Kartanford.", 0));

    static Drafter drafter(Backend b) {
        return new Drafter(b, ScriptedBackend.FORMAT, Calibration.fallback(), Budget.defaults());
    }

    @Test
    void anUnsupportedNameTakesTheMostCommonSampleThePassageHolds() {
        // greedy completes the copied name from memory; the samples mostly copy it, some take another slot or drift
        ScriptedBackend b = backend("Dolsesholm", "Dolsinby", "Dolsesholm", "Kartanford", "Dolsinby", "Dolsinby", "unknown", "Nowhere", ".", "born");
        Drafter dr = drafter(b);
        Trace trace = new Trace();
        Drafter.Drafted d = dr.draft("Where was Ada Lovo born?", EVIDENCE, "", 1, trace);
        assertEquals("Dolsesholm", d.answer());
        Drafter.Consultation r = dr.consult("Where was Ada Lovo born?", EVIDENCE, "", d, 9, 1, trace);
        Drafter.Drafted c = r.taken().orElseThrow();
        assertEquals(9, r.sampledTokens(), "each scripted sample is one token");
        assertEquals("Dolsinby", c.answer());
        TraceEvent.Consult e = trace.of(TraceEvent.Consult.class).getFirst();
        assertEquals("Dolsinby", e.chosen());
        assertEquals(9, e.samples());
        assertEquals(9, e.tokens());
        // only names the passage holds (and "unknown") are counted: not Dolsesholm or Nowhere, nor "." or "born" (in the passage, not names)
        assertEquals(List.of(new TraceEvent.Vote("Dolsinby", 3), new TraceEvent.Vote("Kartanford", 1), new TraceEvent.Vote("unknown", 1)), e.votes());
        assertEquals(1, c.features()[AnswerFeatures.NAMES.indexOf("answer_in_evidence")], "the new draft is supported");
        assertEquals("Dolsinby", trace.of(TraceEvent.Draft.class).getLast().answer(), "the trace records the new draft");
    }

    @Test
    void nothingToConsultOnLeavesTheDraft() {
        // a supported name, a year, a tool call, "unknown", or no evidence: no sampling at all
        for (String greedy : new String[] {"Dolsinby", "1949", "<<calc 2000-1950>>50", "unknown"}) {
            ScriptedBackend b = backend(greedy, "Dolsinby");
            Drafter dr = drafter(b);
            Trace trace = new Trace();
            Drafter.Drafted d = dr.draft("Where was Ada Lovo born?", EVIDENCE, "", 1, trace);
            Drafter.Consultation none = dr.consult("Where was Ada Lovo born?", EVIDENCE, "", d, 8, 1, trace);
            assertTrue(none.taken().isEmpty(), greedy);
            assertEquals(0, none.sampledTokens(), greedy);
            assertEquals(0, b.sampleCalls, greedy);
        }
        ScriptedBackend b = backend("Dolsesholm", "Dolsinby");
        Drafter dr = drafter(b);
        Drafter.Drafted d = dr.draft("Where was Ada Lovo born?", List.of(), "", 0, new Trace());
        assertTrue(dr.consult("Where was Ada Lovo born?", List.of(), "", d, 8, 0, new Trace()).taken().isEmpty(), "no evidence");
        assertTrue(dr.consult("Where was Ada Lovo born?", EVIDENCE, "", d, 0, 1, new Trace()).taken().isEmpty(), "k = 0");
        assertEquals(0, b.sampleCalls);
    }

    @Test
    void noSupportedSampleKeepsTheDraftAndSaysSo() {
        ScriptedBackend b = backend("Dolsesholm", "Dolsesholm", "Lurfisford");
        Drafter dr = drafter(b);
        Trace trace = new Trace();
        Drafter.Drafted d = dr.draft("Where was Ada Lovo born?", EVIDENCE, "", 1, trace);
        Drafter.Consultation r = dr.consult("Where was Ada Lovo born?", EVIDENCE, "", d, 4, 1, trace);
        assertTrue(r.taken().isEmpty());
        assertEquals(4, r.sampledTokens(), "the samples were drawn, and cost their tokens");
        TraceEvent.Consult e = trace.of(TraceEvent.Consult.class).getFirst();
        assertNull(e.chosen());
        assertTrue(e.votes().isEmpty());
        assertTrue(TraceRenderer.render(trace).contains("consult: "), "rendered for people");
    }

    @Test
    void ponderConsultsAfterReadingAndCanBeTurnedOff() {
        ScriptedBackend b = backend("Dolsesholm", "Dolsinby");
        Drafter dr = new Drafter(b, ScriptedBackend.FORMAT, Calibration.fallback().withThresholds(0.9, 0.9, 0.2), Budget.defaults().withMaxPauses(1));
        PonderTest.ListRetriever lib = new PonderTest.ListRetriever(EVIDENCE.getFirst());
        Result on = new Ponder(dr, lib, Ponder.Mode.ANSWER, false).answer("Where was Ada Lovo born?");
        assertEquals("Dolsinby", on.answer().strip());
        assertEquals(1, on.trace().of(TraceEvent.Consult.class).size());
        Drafter noConsult = new Drafter(b, ScriptedBackend.FORMAT, Calibration.fallback().withThresholds(0.9, 0.9, 0.2),
                Budget.defaults().withMaxPauses(1).withConsultSamples(0));
        Result off = new Ponder(noConsult, lib, Ponder.Mode.ANSWER, false).answer("Where was Ada Lovo born?");
        assertEquals("Dolsesholm", off.answer().strip());
        assertTrue(off.trace().of(TraceEvent.Consult.class).isEmpty());
        assertEquals(off.generatedTokens() + 16, on.generatedTokens(), "the 16 one-token samples count as generated tokens");
    }
}
