package dev.ponder.think.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class BeamSearchTest {
    /**
     * Two letters then a newline. P(A)=.5, P(B)=.3, P(C)=.2; after A: A .5, B .5; after B: C .9, A .1; after C:
     * A 1. Only "CA" verifies (log-probability ln .2, ranked fourth of the two-letter answers).
     */
    static FakeSearchModel twoLetters() {
        return new FakeSearchModel(MctsTest.LETTERS, text -> switch (text) {
            case "" -> new double[] {0.5, 0.3, 0.2, 0};
            case "A" -> new double[] {0.5, 0.5, 0, 0};
            case "B" -> new double[] {0.1, 0, 0.9, 0};
            case "C" -> new double[] {1, 0, 0, 0};
            default -> new double[] {0, 0, 0, 1};
        });
    }

    static final Verifier ONLY_CA = new Verifier() {
        @Override
        public Score score(String answer) {
            return answer.equals("CA") ? Score.verified() : Score.rejected(0.1, "not CA");
        }

        @Override
        public String alphabet() {
            return "ABC";
        }

        @Override
        public boolean allowsEnd(String answer) {
            return answer.length() == 2;
        }
    };

    static SearchResult beam(FakeSearchModel m, int width, int nodes) {
        return new BeamSearch(m, BeamSearch.Settings.defaults().withWidth(width)).run("Q:", ONLY_CA, SearchBudget.nodes(nodes));
    }

    /** Width 3 keeps A, B, C, then BC (.27), AA (.25), AB (.25): CA (.2) falls off the beam. */
    @Test
    void widthThreeMissesTheFourthMostLikelyAnswer() {
        FakeSearchModel m = twoLetters();
        SearchResult r = beam(m, 3, 100);
        assertFalse(r.verified());
        assertEquals("exhausted", r.stopReason());
        assertEquals(1 + 3 + 3, r.nodes());
        assertEquals(3, r.answersChecked(), "BC, AA, AB");
        assertEquals("BC", r.best(), "the most likely of the equally scored attempts");
        assertEquals(6, r.tokens());
        assertEquals(2, r.prefilledTokens());
        assertEquals(0, m.live);
    }

    /** Width 4 also keeps CA; at depth 2 the answers are checked most likely first: BC, AA, AB, CA. */
    @Test
    void widthFourFindsItAndStops() {
        FakeSearchModel m = twoLetters();
        SearchResult r = beam(m, 4, 100);
        assertTrue(r.verified());
        assertEquals("CA", r.best());
        assertEquals(1 + 3 + 4, r.nodes());
        assertEquals(8, r.solvedAtNode());
        assertEquals(4, r.answersChecked());
        assertEquals(0, m.live);
    }

    @Test
    void theNodeBudgetCutsTheBeam() {
        FakeSearchModel m = twoLetters();
        SearchResult r = beam(m, 4, 6); // root + A, B, C + only BC, AA
        assertFalse(r.verified());
        assertEquals(6, r.nodes());
        assertEquals("nodes", r.stopReason());
        assertEquals(2, r.answersChecked());
        assertEquals(0, m.live);
    }

    @Test
    void randomTreesNeverReportAnUnverifiedAnswerAsSolved() {
        for (int seed = 0; seed < 30; seed++) {
            FakeSearchModel m = RandomTrees.model(seed);
            Verifier v = RandomTrees.verifier(seed % 3 == 0 ? 1000 : 9);
            for (int width : List.of(1, 3, 8)) {
                for (int budget : List.of(1, 5, 60)) {
                    long dec0 = m.decoded;
                    SearchResult r = new BeamSearch(m, BeamSearch.Settings.defaults().withWidth(width)).run("prompt", v,
                            SearchBudget.nodes(budget).withMaxTokens(40));
                    assertTrue(r.nodes() <= budget);
                    assertTrue(r.tokens() <= 40);
                    assertEquals(m.decoded - dec0, r.tokens());
                    assertEquals(6, r.prefilledTokens());
                    assertEquals(r.verified(), !r.best().isEmpty() && v.score(r.best()).valid());
                    assertEquals(0, m.live);
                }
            }
        }
    }
}
