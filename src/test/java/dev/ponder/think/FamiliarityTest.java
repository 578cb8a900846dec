package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Familiarity reads the logprobs of each name's tokens after its first, and only those. */
class FamiliarityTest {
    /** Scores a text split at spaces (a token is a space plus a word), with a logprob per word. */
    record WordBackend(java.util.Map<String, Double> logprobs) implements Backend {
        @Override
        public List<ScoredToken> score(String context, int from) {
            List<ScoredToken> out = new ArrayList<>();
            int start = 0;
            while (start < context.length()) {
                int end = context.indexOf(' ', start + 1);
                if (end < 0) end = context.length();
                String word = context.substring(start, end).strip();
                if (end > from) out.add(new ScoredToken(start, end, logprobs.getOrDefault(word, -1.0)));
                start = end;
            }
            return out;
        }

        @Override public Generation generate(String context, int maxTokens, String stop) { throw new UnsupportedOperationException(); }
        @Override public List<Generation> sample(String c, int n, double t, int m, String s, long seed) { throw new UnsupportedOperationException(); }
        @Override public int countTokens(String text) { return 0; }
        @Override public String name() { return "words"; }
    }

    @Test
    void meanOverEachNamesTokensAfterItsFirst() {
        var b = new WordBackend(java.util.Map.of("Vume", -9.0, "Sesri", -2.0, "Tol", -8.0, "Zan", -4.0, "Pik", -6.0));
        String q = "Is Vume Sesri older than Tol Zan Pik now?";
        String prompt = "Question: " + q + "\nAnswer:";
        Familiarity f = Familiarity.of(b, prompt, q, prompt.indexOf(q));
        assertEquals(3, f.tokens()); // Sesri; Zan, Pik (Vume and Tol open their names)
        assertEquals((-2.0 - 4.0 - 6.0) / 3, f.meanLogprob(), 1e-12);
    }

    @Test
    void nothingToScore() {
        var b = new WordBackend(java.util.Map.of());
        String q = "What is 2 plus 2?";
        assertEquals(Familiarity.NONE, Familiarity.of(b, q, q, 0)); // no names
        String one = "Where is Pasranby?";
        assertEquals(Familiarity.NONE, Familiarity.of(b, one, one, 0)); // a one-token name says nothing
        Backend cannot = new Backend() { // the interface's default: cannot score prompts
            @Override public Generation generate(String context, int maxTokens, String stop) { throw new UnsupportedOperationException(); }
            @Override public List<Generation> sample(String c, int n, double t, int m, String s, long seed) { throw new UnsupportedOperationException(); }
            @Override public int countTokens(String text) { return 0; }
            @Override public String name() { return "none"; }
        };
        assertEquals(Familiarity.NONE, Familiarity.of(cannot, "Where was Vume Sesri born?", "Where was Vume Sesri born?", 0)); // no scores
    }

    @Test
    void leadingQuestionWordIsNotAName() {
        assertEquals(List.of("Vume Sesri"), AnswerFeatures.nameSpans("Where was Vume Sesri born?").stream()
                .map(s -> "Where was Vume Sesri born?".substring(s[0], s[1])).toList());
        assertEquals(List.of("Belsir Foods", "Tol Zan"), AnswerFeatures.nameSpans("Did Belsir Foods employ Tol Zan?").stream()
                .map(s -> "Did Belsir Foods employ Tol Zan?".substring(s[0], s[1])).toList());
    }
}
