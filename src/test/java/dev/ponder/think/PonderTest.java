package dev.ponder.think;

import static dev.ponder.think.ScriptedBackend.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PonderTest {
    /** A retriever over fixed passages: ranks by how many query words a passage contains. */
    static final class ListRetriever implements Retriever {
        final List<Passage> docs;
        final List<String> queries = new ArrayList<>();

        ListRetriever(Passage... docs) {
            this.docs = List.of(docs);
        }

        @Override
        public List<Passage> search(String query, int k) {
            queries.add(query);
            String q = query.toLowerCase(Locale.ROOT);
            List<Passage> scored = new ArrayList<>();
            for (Passage p : docs) {
                int s = 0;
                for (String w : p.text().toLowerCase(Locale.ROOT).split("\\W+")) if (w.length() > 3 && q.contains(w)) s++;
                if (s > 0) scored.add(new Passage(p.docId(), p.title(), p.text(), s));
            }
            scored.sort((a, b) -> Double.compare(b.score(), a.score()));
            return scored.subList(0, Math.min(k, scored.size()));
        }
    }

    static final Passage ADA = new Passage("person-1", "Ada Lovo", "Ada Lovo was born in Gamma City.", 0);
    static final Passage CITY = new Passage("city-1", "Gamma City", "Gamma City is a city in Deltaland.", 0);
    static final Passage OTHER = new Passage("person-2", "Bob Rev", "Bob Rev is a baker.", 0);

    static Drafter drafter(Backend b, int pauses) {
        Budget budget = new Budget(pauses, 1, 100, 10_000_000_000L, 16);
        return new Drafter(b, ScriptedBackend.FORMAT, Calibration.fallback(), budget);
    }

    @Test
    void confidentDraftAnswersWithoutPause() {
        ScriptedBackend b = new ScriptedBackend().when("Q:", t(" Alpha", 0.95));
        Result r = new Ponder(drafter(b, 3), new ListRetriever(ADA), Ponder.Mode.ABSTAIN).answer("Where was Ada Lovo born?");
        assertEquals("Alpha", r.answer());
        assertEquals(0, r.pauses());
        assertEquals(0, r.retrievals());
        assertEquals(1, b.contexts.size());
    }

    @Test
    void pauseInjectsRetrievedPassageAndRedecodesOnlyTheUncertainSpan() {
        ScriptedBackend b = new ScriptedBackend()
                .when("P: Ada Lovo was born in Gamma City.", t(" City", 0.97))
                .when("Q:", t(" Gamma", 0.9), t(" Tow", 0.2), t("n", 0.9));
        ListRetriever lib = new ListRetriever(OTHER, ADA);
        Result r = new Ponder(drafter(b, 3), lib, Ponder.Mode.ABSTAIN).answer("Where was Ada Lovo born?");

        assertEquals("Gamma City", r.answer());
        assertFalse(r.abstained());
        assertEquals(1, r.pauses());
        TraceEvent.Inject inject = r.trace().of(TraceEvent.Inject.class).getFirst();
        assertEquals(List.of("person-1"), inject.docIds(), "the injected passage is the one the retriever returned");
        assertEquals(ADA.text(), inject.text());
        TraceEvent.Rollback rb = r.trace().of(TraceEvent.Rollback.class).getFirst();
        assertEquals(1, rb.fromToken(), "rollback starts at the first unsure word");
        assertEquals(" Gamma", rb.kept());
        assertEquals(" Town", rb.discarded());
        // the second call continues after the kept prefix: only the uncertain span is decoded again
        String second = b.contexts.get(1);
        assertTrue(second.endsWith("A: Gamma"), second);
        List<TraceEvent.Draft> drafts = r.trace().of(TraceEvent.Draft.class);
        assertEquals(List.of(" City"), drafts.get(1).tokens().stream().map(TraceEvent.Token::text).toList());
    }

    @Test
    void secondPauseLooksUpTheEntityTheFirstPassageRevealed() {
        ScriptedBackend b = new ScriptedBackend()
                .when("P: Gamma City is a city in Deltaland.", t(" Deltaland", 0.95))
                .when("P: Ada Lovo", t(" Epsilonia", 0.3))
                .when("Q:", t(" Zetaland", 0.1));
        ListRetriever lib = new ListRetriever(OTHER, ADA, CITY);
        Result r = new Ponder(drafter(b, 3), lib, Ponder.Mode.ABSTAIN).answer("In which country was Ada Lovo born?");
        assertEquals("Deltaland", r.answer());
        assertEquals(2, r.pauses());
        String second = r.trace().of(TraceEvent.Retrieve.class).get(1).query();
        assertTrue(second.contains("Gamma City"), "second query carries the first passage: " + second);
        assertEquals(List.of("city-1"), r.trace().of(TraceEvent.Inject.class).get(1).docIds());
    }

    @Test
    void aDraftThatWouldBeWithheldButNamesAnUnreadDocumentReadsItAsTheNextHop() {
        ScriptedBackend b = new ScriptedBackend()
                .when("P: Gamma City is a city in Deltaland.", t(" Deltaland", 0.95))
                .when("P: Ada Lovo", t(" Gamma City", 0.35)) // accepted (>= 0.2) but below the abstain bar (0.5)
                .when("Q:", t(" Zetaland", 0.1));
        Budget budget = new Budget(3, 1, 100, 10_000_000_000L, 16);
        Drafter drafter = new Drafter(b, ScriptedBackend.FORMAT, Calibration.fallback().withThresholds(0.5, 0.2, 0.5), budget);
        ListRetriever lib = new ListRetriever(OTHER, ADA, CITY);
        Result r = new Ponder(drafter, lib, Ponder.Mode.ABSTAIN).answer("In which country was Ada Lovo born?");
        assertEquals("Deltaland", r.answer());
        assertEquals(2, r.pauses());
        TraceEvent.Trigger hop = r.trace().of(TraceEvent.Trigger.class).get(1);
        assertTrue(hop.reason().contains("next hop") && hop.reason().contains("Gamma City"), hop.reason());
        assertEquals("Gamma City", r.trace().of(TraceEvent.Retrieve.class).get(1).query(), "the hop reads the named document");
        assertEquals(List.of("city-1"), r.trace().of(TraceEvent.Inject.class).get(1).docIds());

        // a draft as unsure that names no document (or one already read) is withheld after the first reading
        ScriptedBackend year = new ScriptedBackend().when("P: Ada Lovo", t(" 1957", 0.35)).when("Q:", t(" 1900", 0.1));
        Result withheld = new Ponder(new Drafter(year, ScriptedBackend.FORMAT, drafter.calibration(), budget), new ListRetriever(OTHER, ADA, CITY),
                Ponder.Mode.ABSTAIN).answer("In which year did Ada Lovo retire?");
        assertTrue(withheld.abstained());
        assertEquals(1, withheld.pauses());
    }

    @Test
    void aLaterPauseFollowsTheLinksOfThePassageReadLast() {
        Passage ada = new Passage("person-1", "Ada Lovo", "Ada Lovo works at Beta Works. Ada Lovo was born in Gamma City.", 0);
        Passage works = new Passage("company-1", "Beta Works", "Beta Works is a company in Omega Town.", 0);
        ScriptedBackend b = new ScriptedBackend()
                .when("P: Gamma City is a city in Deltaland.", t(" Deltaland", 0.95))
                .when("P: Ada Lovo", t(" Epsilonia", 0.3))
                .when("Q:", t(" Zetaland", 0.1));
        ListRetriever lib = new ListRetriever(OTHER, ada, works, CITY);
        Result r = new Ponder(drafter(b, 3), lib, Ponder.Mode.ABSTAIN).answer("In which country was Ada Lovo born?");
        assertEquals("Deltaland", r.answer());
        assertEquals(2, r.pauses());
        // the second pause reads both entities the first passage named, not only the best hit
        assertEquals(java.util.Set.of("company-1", "city-1"), java.util.Set.copyOf(r.trace().of(TraceEvent.Inject.class).get(1).docIds()));
    }

    @Test
    void aDraftOfAnotherClassThanAskedIsNotAcceptedAndLeadsToItsDocument() {
        Passage ada = new Passage("person-1", "Ada Lovo", "Ada Lovo was born in Gamma City.", 0);
        Passage gamma = new Passage("city-1", "Gamma City", "Gamma City is a city in Deltaland.", 0);
        ScriptedBackend b = new ScriptedBackend()
                .when("P: Gamma City is a city in Deltaland.", t(" Deltaland", 0.95))
                .when("P: Ada Lovo", t(" Gamma City", 0.9)) // sure, but a city where a country is asked
                .when("Q:", t(" Zetaland", 0.1));
        ListRetriever lib = new ListRetriever(OTHER, ada, gamma);
        Result r = new Ponder(drafter(b, 3), lib, Ponder.Mode.ABSTAIN, false).answer("What is Ada Lovo's country of birth?");
        assertEquals("Deltaland", r.answer());
        TraceEvent.Trigger second = r.trace().of(TraceEvent.Trigger.class).get(1);
        assertTrue(second.reason().contains("is a city in the library, but the question asks for a country"), second.reason());

        // with nothing more to read, the wrong-class draft is withheld, in answer mode too
        Result withheld = new Ponder(drafter(b, 1), new ListRetriever(OTHER, ada, gamma), Ponder.Mode.ANSWER, false)
                .answer("What is Ada Lovo's country of birth?");
        assertTrue(withheld.abstained(), withheld.answer());
        assertTrue(withheld.answer().contains("asks for a country"), withheld.answer());
        assertEquals(0, withheld.confidence(), "a rejected draft is not believed");
    }

    @Test
    void theConfidenceAQuestionEndsWithGoesThroughTheFinalMap() {
        ScriptedBackend b = new ScriptedBackend().when("Q:", t(" Alpha", 0.95));
        Isotonic map = new Isotonic(new double[] {0.5, 0.9}, new double[] {0.2, 0.99});
        Budget budget = new Budget(3, 1, 100, 10_000_000_000L, 16);
        Drafter d = new Drafter(b, ScriptedBackend.FORMAT, Calibration.fallback().withFinalMap(map), budget);
        Result r = new Ponder(d, new ListRetriever(ADA), Ponder.Mode.ABSTAIN).answer("Where was Ada Lovo born?");
        assertEquals("Alpha", r.answer());
        assertEquals(0.99, r.confidence(), 1e-12, "0.95 through the map");
        assertEquals(0.95, r.trace().of(TraceEvent.Draft.class).getFirst().confidence(), 1e-9, "the draft keeps its own");
    }

    @Test
    void nextHopIsAnUnreadDocumentWhoseTitleIsTheAnswer() {
        ListRetriever lib = new ListRetriever(OTHER, ADA, CITY);
        assertEquals("city-1", Ponder.nextHop(lib, " Gamma City ", List.of("person-1")).orElseThrow().docId());
        assertTrue(Ponder.nextHop(lib, "Gamma City", List.of("city-1")).isEmpty(), "already read");
        assertTrue(Ponder.nextHop(lib, "Gamma", List.of()).isEmpty(), "not a title");
        assertTrue(Ponder.nextHop(lib, "1957", List.of()).isEmpty(), "not a name");
        assertTrue(Ponder.nextHop(null, "Gamma City", List.of()).isEmpty(), "no library");
    }

    @Test
    void abstainsWhenStillUnsureAfterTheBudget() {
        ScriptedBackend b = new ScriptedBackend().when("Q:", t(" Omega", 0.2));
        Result r = new Ponder(drafter(b, 2), new ListRetriever(ADA, CITY), Ponder.Mode.ABSTAIN).answer("Who is the spouse of Ada Lovo?");
        assertTrue(r.abstained());
        assertTrue(r.answer().startsWith("I don't know"), r.answer());
        assertTrue(r.answer().contains("searched"), r.answer());
        assertEquals(2, r.pauses());

        Result answered = new Ponder(drafter(b, 2), new ListRetriever(ADA, CITY), Ponder.Mode.ANSWER).answer("Who is the spouse of Ada Lovo?");
        assertFalse(answered.abstained());
        assertEquals("Omega", answered.answer());
        assertTrue(answered.confidence() < 0.5);
    }

    @Test
    void modelSayingUnknownAfterReadingIsAnAbstentionEvenWhenAnswering() {
        ScriptedBackend b = new ScriptedBackend().when("P:", t(" unknown", 0.99)).when("Q:", t(" Omega", 0.2));
        Result r = new Ponder(drafter(b, 1), new ListRetriever(ADA), Ponder.Mode.ANSWER).answer("Who is the spouse of Ada Lovo?");
        assertTrue(r.abstained());
    }

    @Test
    void noPassageFoundEndsThePause() {
        ScriptedBackend b = new ScriptedBackend().when("Q:", t(" Omega", 0.2));
        Result r = new Ponder(drafter(b, 3), new ListRetriever(), Ponder.Mode.ABSTAIN).answer("What is xyz?");
        assertEquals(1, r.retrievals());
        assertTrue(r.abstained());
        assertEquals(1, b.contexts.size());
    }

    @Test
    void traceRoundTripsAsJsonLinesAndRenders() throws Exception {
        ScriptedBackend b = new ScriptedBackend()
                .when("P: Ada Lovo", t(" Gamma City", 0.97))
                .when("Q:", t(" Town", 0.2));
        Result r = new Ponder(drafter(b, 3), new ListRetriever(ADA), Ponder.Mode.ABSTAIN).answer("Where was Ada Lovo born?");
        String jl = r.trace().toJsonLines();
        Trace back = Trace.parse(jl);
        assertEquals(r.trace().events().size(), back.events().size());
        assertEquals(jl, back.toJsonLines());
        assertTrue(jl.lines().allMatch(l -> l.contains("\"type\":")));
        String text = TraceRenderer.render(r.trace());
        assertTrue(text.contains("pause 1") && text.contains("[person-1]") && text.contains("A: Gamma City"), text);
    }

    @Test
    void aMultiHopQuestionThatOneReadingDidNotSettleIsDecomposed() {
        Passage works = new Passage("person-1", "Ada Lovo", "Ada Lovo works at Acme Works.", 0);
        Passage acme = new Passage("company-1", "Acme Works", "Acme Works was founded by Bob Rev.", 0);
        ScriptedBackend b = new ScriptedBackend()
                .when("Q: What is Ada Lovo's employer?", t(" Acme", 0.97), t(" Works", 0.99))
                .when("Q: Who is the founder of Acme Works?", t(" Bob", 0.97), t(" Rev", 0.99))
                .when("Q: Who is the founder of Ada Lovo's employer?", t(" Acme", 0.2));
        String q = "Who is the founder of Ada Lovo's employer?";
        Result r = new Ponder(drafter(b, 3), new ListRetriever(works, acme), Ponder.Mode.ABSTAIN).answer(q);
        assertEquals("Bob Rev", r.answer());
        assertFalse(r.abstained());
        List<TraceEvent.SubQuestion> subs = r.trace().of(TraceEvent.SubQuestion.class);
        assertEquals(List.of("inner", "outer"), subs.stream().map(TraceEvent.SubQuestion::role).toList());
        assertEquals("What is Ada Lovo's employer?", subs.get(0).question());
        assertEquals("Acme Works", subs.get(0).answer());
        assertEquals("Who is the founder of Acme Works?", subs.get(1).question());
        List<TraceEvent.Trigger> triggers = r.trace().of(TraceEvent.Trigger.class);
        assertEquals("decompose", triggers.getLast().strategy()); // after the reading the loop could do
        assertTrue(triggers.subList(0, triggers.size() - 1).stream().allMatch(t -> t.strategy().equals("retrieve")));
        TraceEvent.Draft last = r.trace().of(TraceEvent.Draft.class).getLast();
        assertEquals("Bob Rev", last.answer()); // the answer the confidence is about
        assertEquals(r.confidence(), last.confidence(), 1e-12);
        assertEquals(subs.get(0).confidence() * subs.get(1).confidence(), r.confidence(), 1e-12);

        // without decomposition the same loop keeps reading and gives no answer
        Result plain = new Ponder(drafter(b, 3), new ListRetriever(works, acme), Ponder.Mode.ABSTAIN, false).answer(q);
        assertTrue(plain.trace().of(TraceEvent.SubQuestion.class).isEmpty());
        assertTrue(plain.abstained());
    }

    @Test
    void anInnerQuestionThatIsACompoundIsSplitOnceMore() {
        Passage ada = new Passage("person-1", "Ada Lovo", "Ada Lovo was born in Gamma City.", 0);
        Passage gamma = new Passage("city-1", "Gamma City", "Gamma City is a city in Deltaland.", 0);
        Passage delta = new Passage("country-1", "Deltaland", "Deltaland is a country. Its capital is Delta Town.", 0);
        ScriptedBackend b = new ScriptedBackend()
                .when("Q: Where was Ada Lovo born?", t(" Gamma", 0.97), t(" City", 0.99))
                .when("Q: Which country is Gamma City located in?", t(" Deltaland", 0.97))
                .when("Q: Which city is the capital of Deltaland?", t(" Delta", 0.97), t(" Town", 0.99))
                .when("Q:", t(" Zeta", 0.2)); // anything else: unsure
        String q = "Which city is the capital of Ada Lovo's country of birth?";
        Result r = new Ponder(drafter(b, 2), new ListRetriever(ada, gamma, delta), Ponder.Mode.ABSTAIN).answer(q);
        assertEquals("Delta Town", r.answer());
        List<TraceEvent.SubQuestion> subs = r.trace().of(TraceEvent.SubQuestion.class);
        assertEquals(List.of("What is Ada Lovo's country of birth?", "Which city is the capital of Deltaland?"),
                subs.stream().map(TraceEvent.SubQuestion::question).toList());
        assertEquals("Deltaland", subs.get(0).answer(), "the inner compound, answered by splitting it once more");
    }
}
