package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.learn.world.CountdownPuzzle;
import dev.ponder.learn.world.CountdownSolver;
import dev.ponder.learn.world.Rng;
import dev.ponder.think.search.Verifier;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CountdownVerifierTest {
    static final CountdownVerifier V = new CountdownVerifier(new CountdownPuzzle(List.of(4, 8, 75, 100), 150));

    @Test
    void acceptsASolutionAndRejectsWrongExpressions() {
        assertTrue(V.score("75*8/4").valid());
        assertEquals(1.0, V.score(" (75*8)/4 ").value());
        Verifier.Score wrongValue = V.score("75+8");
        assertFalse(wrongValue.valid());
        assertTrue(wrongValue.value() > 0 && wrongValue.value() < CountdownVerifier.PARTIAL_MAX, "" + wrongValue);
        assertTrue(V.score("100+75-8-4").value() > V.score("75+8").value(), "163 is closer to 150 than 83");
        for (String bad : List.of("75*75/4", "75*8/4+4", "-75+100", "75 8", "(75*8/4", "", "150", "75*8/4=151", "abc", "<<calc 75*8/4>>", "3*50")) {
            Verifier.Score s = V.score(bad);
            assertFalse(s.valid(), bad);
            assertEquals(0, s.value(), bad + ": " + s);
        }
    }

    @Test
    void prunesPrefixesThatCannotBecomeAnswers() {
        for (String ok : List.of("", " ", " (", "7", "75", "75+", "(75*8", "100-", "8/4*", "((", "10", "75*8/4*100"))
            assertTrue(V.allowsPrefix(ok), ok);
        for (String no : List.of("77", "75+75", "75)", "+", "*8", "75 8", "75(", "5", "75*8/4*100*", "(75*8/4*100-", "7.5", "x", "="))
            assertFalse(V.allowsPrefix(no), no);
        for (String end : List.of("75", "75*8", "(75*8)/4", " 100 - 4 ")) assertTrue(V.allowsEnd(end), end);
        for (String open : List.of("", "7", "10", "75+", "(75*8", "75*8)")) assertFalse(V.allowsEnd(open), open);
    }

    @Test
    void aNumberListedTwiceMayBeUsedTwice() {
        CountdownVerifier v = new CountdownVerifier(new CountdownPuzzle(List.of(7, 7, 75, 100), 89));
        assertTrue(v.score("75+7+7").valid());
        assertTrue(v.allowsPrefix("7+7+"));
        assertTrue(v.allowsPrefix("7+7+7"), "may become 7+7+75");
        assertFalse(v.allowsEnd("7+7+7"));
        assertFalse(v.allowsPrefix("7+7+7+"));
    }

    /** Pruning is sound: every prefix of every solution the solver finds is allowed, and the whole ends. */
    @Test
    void neverPrunesAValidSolution() {
        Rng rng = new Rng(11);
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            CountdownSolver.Solved s = CountdownSolver.randomPuzzle(rng, 4, 10, 250);
            CountdownVerifier v = new CountdownVerifier(s.puzzle());
            StringBuilder spaced = new StringBuilder(r.nextBoolean() ? " " : "");
            for (char c : s.solution().toString().toCharArray()) spaced.append(c).append(r.nextInt(4) == 0 && !Character.isDigit(c) ? " " : "");
            for (String answer : List.of(s.solution().toString(), spaced.toString())) {
                assertTrue(v.score(answer).valid(), answer);
                for (int k = 0; k <= answer.length(); k++) assertTrue(v.allowsPrefix(answer.substring(0, k)), answer.substring(0, k));
                assertTrue(v.allowsEnd(answer), answer);
            }
        }
    }

    /**
     * And it agrees with the puzzle's check on random strings over the alphabet: nothing valid is ever pruned,
     * except numbers written with leading zeros ({@code 010}), which the check reads as 10 and pruning does not
     * offer (the same answer without the zeros is allowed).
     */
    @Test
    void randomStringsThatVerifyAreAllowed() {
        CountdownVerifier v = new CountdownVerifier(new CountdownPuzzle(List.of(2, 3, 5, 10), 13));
        Random r = new Random(3);
        String[] pieces = {"2", "3", "5", "10", "1", "0", "+", "-", "*", "/", "(", ")", " "};
        int valid = 0;
        for (int i = 0; i < 60_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(9);
            for (int j = 0; j < n; j++) sb.append(pieces[r.nextInt(pieces.length)]);
            String a = sb.toString();
            boolean ok = v.score(a).valid();
            if (ok) valid++;
            if (ok && !a.matches(".*(^|[^0-9])0.*")) assertTrue(v.allowsEnd(a), a); // numbers written with leading zeros are pruned
            if (v.allowsEnd(a) && !ok) assertTrue(v.score(a).value() > 0 || a.contains("/"), a + " is well formed, so it scores above 0 unless it divides by zero");
        }
        assertTrue(valid > 10, "some random strings should verify: " + valid);
    }

    @Test
    void readsTheWorldsCountdownPhrasings() {
        var a = CountdownVerifier.forQuestion("Combine 2, 6, 9, 75 with + - * / (each at most once) to get 129.").orElseThrow();
        assertEquals(new CountdownPuzzle(List.of(2, 6, 9, 75), 129), a.puzzle());
        var b = CountdownVerifier.forQuestion("Target 89; available numbers 7, 7, 75, 100; each may be used once at most, with + - * /. Give an expression.")
                .orElseThrow();
        assertEquals(new CountdownPuzzle(List.of(7, 7, 75, 100), 89), b.puzzle());
        assertTrue(CountdownVerifier.forQuestion("Reach 24 from 3, 8 using + - * / and each number at most once.").isPresent());
        assertTrue(CountdownVerifier.forQuestion("Where was Lurku Pikirken born?").isEmpty());
        assertTrue(CountdownVerifier.forQuestion("Combine 2, 6 with + - * / (each at most once) to get 99999999999.").isEmpty());
    }
}
