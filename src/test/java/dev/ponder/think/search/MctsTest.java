package dev.ponder.think.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MctsTest {
    /** Vocabulary A, B, C and a newline; the answer is one letter then the newline. */
    static final List<String> LETTERS = List.of("A", "B", "C", "\n");

    static FakeSearchModel letters() {
        return new FakeSearchModel(LETTERS, text -> text.isEmpty() ? new double[] {0.6, 0.3, 0.1, 0} : new double[] {0, 0, 0, 1});
    }

    /** Scores A 0.2, B 0.5, and C 0.9 (or verifies C when {@code cValid}); answers use A, B, C only. */
    static Verifier letterScores(boolean cValid) {
        Map<String, Double> partial = Map.of("A", 0.2, "B", 0.5, "C", 0.9);
        return new Verifier() {
            @Override
            public Score score(String answer) {
                if (cValid && answer.equals("C")) return Score.verified();
                return Score.rejected(partial.getOrDefault(answer, 0.0), "not it");
            }

            @Override
            public String alphabet() {
                return "ABC";
            }
        };
    }

    static Mcts mcts(SearchModel m, double c) {
        return new Mcts(m, Mcts.Settings.defaults().withCPuct(c).withPriorTemperature(1));
    }

    /**
     * By hand, cPuct = 1, priors A .6, B .3, C .1 (the newline is not allowed as the first token):
     * <pre>
     * root: prefill (node 1); rollout A\n -> 0.2                                         root 1
     * it 2: U(A)=.6, U(B)=.3, U(C)=.1 -> A (node 2, reuses the root's rollout: 0.2)      A 1, root 2
     * it 3: U(A)=.2+.6*√2/2=.624, U(B)=.3*√2=.424 -> A; A's only child "\n" ends: 0.2,
     *       A exhausted                                                                  A 2, root 3
     * it 4: U(B)=.3*√3=.520, U(C)=.1*√3=.173 -> B (node 3, decoded); rollout B\n: 0.5   B 1, root 4
     * it 5: U(B)=.5+.3*2/2=.8, U(C)=.1*2=.2 -> B; its child "\n" ends: 0.5, exhausted    B 2, root 5
     * it 6: only C is left, it needs node 4 > budget 3: stop.
     * </pre>
     */
    @Test
    void puctVisitsPriorsAndBackupMatchAHandComputation() {
        FakeSearchModel m = letters();
        Mcts s = mcts(m, 1.0);
        SearchResult r = s.run("Q:", letterScores(false), SearchBudget.nodes(3));
        Mcts.Node root = s.lastRoot();
        assertEquals(3, r.nodes());
        assertEquals("nodes", r.stopReason());
        assertEquals(5, root.visits);
        assertEquals(1.6, root.valueSum, 1e-12);
        assertArrayEquals(new double[] {0.6, 0.3, 0.1}, root.priors, 1e-6); // float logits
        Mcts.Node a = root.child(0), b = root.child(1);
        assertEquals(2, a.visits);
        assertEquals(0.4, a.valueSum, 1e-12);
        assertTrue(a.exhausted);
        assertEquals(2, b.visits);
        assertEquals(1.0, b.valueSum, 1e-12);
        assertNull(root.child(2), "C was never expanded");
        assertEquals(1.0, a.priors[0], 1e-12, "the newline is A's only allowed child");
        // the best attempt is reported, but not as verified
        assertEquals("B", r.best());
        assertFalse(r.verified());
        assertEquals(0.5, r.score(), 1e-12);
        assertEquals(-1, r.solvedAtNode());
        // root rollout decoded A; A reused it; B was decoded: 2 tokens; the prompt was prefilled once
        assertEquals(2, r.tokens());
        assertEquals(2, r.prefilledTokens(), "\"Q:\" once");
        assertEquals(1, m.prefixes, "A took its KV state from the root's rollout");
        assertEquals(4, r.answersChecked());
        assertEquals(0, m.live, "every state is closed");
    }

    @Test
    void priorTemperatureFlattensThePriors() {
        Mcts s = new Mcts(letters(), Mcts.Settings.defaults().withPriorTemperature(2));
        s.run("Q:", letterScores(false), SearchBudget.nodes(2));
        double z = Math.sqrt(0.6) + Math.sqrt(0.3) + Math.sqrt(0.1);
        assertArrayEquals(new double[] {Math.sqrt(0.6) / z, Math.sqrt(0.3) / z, Math.sqrt(0.1) / z}, s.lastRoot().priors, 1e-6);
    }

    @Test
    void stopsAtTheFirstVerifiedAnswer() {
        FakeSearchModel m = letters();
        SearchResult r = mcts(m, 1.0).run("Q:", letterScores(true), SearchBudget.nodes(100));
        // as above, then it 6 expands C (node 4) and its rollout verifies
        assertTrue(r.verified());
        assertEquals("C", r.best());
        assertEquals(1.0, r.score());
        assertEquals(4, r.nodes());
        assertEquals(4, r.solvedAtNode());
        assertEquals("verified", r.stopReason());
        assertEquals(0, m.live);
    }

    @Test
    void exhaustsASmallTreeAndStops() {
        FakeSearchModel m = letters();
        SearchResult r = mcts(m, 1.0).run("Q:", letterScores(false), SearchBudget.nodes(100));
        assertEquals("exhausted", r.stopReason());
        assertEquals(4, r.nodes(), "root, A, B, C");
        assertEquals("C", r.best());
        assertFalse(r.verified());
    }

    @Test
    void tokenBudgetIsRespected() {
        FakeSearchModel m = RandomTrees.model(3);
        for (int maxTokens : new int[] {0, 1, 5, 17}) {
            SearchResult r = mcts(m, 1.5).run("Q:", RandomTrees.verifier(1000), SearchBudget.nodes(500).withMaxTokens(maxTokens));
            assertTrue(r.tokens() <= maxTokens, r.tokens() + " > " + maxTokens);
            assertTrue(r.verified() || r.stopReason().equals("tokens"), r.stopReason());
        }
        assertEquals(0, m.live);
    }

    @Test
    void randomTreesNeverReportAnUnverifiedAnswerAsSolvedAndRespectTheNodeBudget() {
        for (int seed = 0; seed < 40; seed++) {
            FakeSearchModel m = RandomTrees.model(seed);
            Verifier v = RandomTrees.verifier(seed % 4 == 0 ? 1000 : 37); // some puzzles have no solution
            for (int budget : new int[] {1, 2, 7, 30}) {
                long dec0 = m.decoded;
                SearchResult r = mcts(m, 1.5).run("prompt", v, SearchBudget.nodes(budget));
                assertTrue(r.nodes() <= budget, "nodes " + r.nodes() + " > " + budget);
                assertEquals(m.decoded - dec0, r.tokens());
                assertEquals("prompt".length(), r.prefilledTokens(), "the prompt is prefilled once per search");
                if (r.verified()) {
                    assertTrue(v.score(r.best()).valid(), "reported verified: " + r.best());
                    assertTrue(r.solvedAtNode() >= 1 && r.solvedAtNode() <= r.nodes());
                } else {
                    assertFalse(r.best().isEmpty() && r.score() > 0);
                    assertTrue(r.best().isEmpty() || !v.score(r.best()).valid());
                }
                assertEquals(0, m.live);
            }
        }
    }

    /** A smaller node budget stops the same search earlier: solved within b nodes exactly when the big run solved by node b. */
    @Test
    void aSmallerBudgetIsAPrefixOfTheSameSearch() {
        int solvedSomewhere = 0;
        for (int seed = 0; seed < 20; seed++) {
            Verifier v = RandomTrees.verifier(9);
            SearchResult big = mcts(RandomTrees.model(seed), 1.5).run("p", v, SearchBudget.nodes(40));
            if (big.verified()) solvedSomewhere++;
            for (int b = 1; b <= 40; b += 3) {
                SearchResult small = mcts(RandomTrees.model(seed), 1.5).run("p", v, SearchBudget.nodes(b));
                boolean expected = big.verified() && big.solvedAtNode() <= b;
                assertEquals(expected, small.verified(), "seed " + seed + " budget " + b);
                if (expected) {
                    assertEquals(big.best(), small.best());
                    assertEquals(big.solvedAtNode(), small.solvedAtNode());
                }
            }
        }
        assertTrue(solvedSomewhere > 3, "the random trees should have solutions to find: " + solvedSomewhere);
    }
}
