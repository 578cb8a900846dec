package dev.ponder.learn.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuestionNoiseTest {
    @Test
    void noiseKeepsTheSubjectAndChangesOneWord() {
        Rng rng = new Rng(3);
        for (int i = 0; i < 500; i++) {
            String q = i % 2 == 0 ? "What is Keszer Motors's founding year?" : "Keszer Motors was founded in which year?";
            String n = QuestionNoise.noise(q, "Keszer Motors", rng);
            assertNotEquals(q, n);
            assertTrue(n.contains("Keszer Motors"), n);
            int delta = n.split(" ").length - q.split(" ").length;
            assertTrue(delta == 0 || delta == 1, n);
            assertTrue(n.endsWith("?"), n);
            assertTrue(Character.isUpperCase(n.charAt(0)), n);
        }
    }

    @Test
    void pseudoWordsNeverLookLikeGeneratedNames() {
        Rng rng = new Rng(5);
        for (int i = 0; i < 2000; i++) {
            String w = QuestionNoise.pseudoWord(rng);
            assertTrue(w.matches("[a-z]+") && w.matches(".*([hcjw]|[aeiou]{2}).*"), w);
        }
    }

    @Test
    void shareZeroLeavesQuestionsAlone() {
        Rng rng = new Rng(9);
        assertEquals("Where was Ada Lovo born?", QuestionNoise.maybeNoise("Where was Ada Lovo born?", "Ada Lovo", 0.0, rng));
    }
}
