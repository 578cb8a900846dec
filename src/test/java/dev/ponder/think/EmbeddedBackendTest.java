package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.model.Model;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded backend on the committed ponder-nano: KV reuse changes nothing but cost. */
class EmbeddedBackendTest {
    static Model model;

    @BeforeAll
    static void load() {
        model = Model.load(Path.of("models/ponder-nano.gguf"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void reusingTheSharedPrefixGivesTheSameTokensAsAFreshRun() {
        String a = "Question: Where was Lurku Pikirken born?\nAnswer:";
        String b = "Passage: Lurku Pikirken is a baker. Lurku was born in Fozuton.\nQuestion: Where was Lurku Pikirken born?\nAnswer:";
        try (EmbeddedBackend warm = new EmbeddedBackend(model, "nano")) {
            Generation g1 = warm.generate(b, 8, "\n");
            assertEquals(0, g1.reusedTokens());
            // same context again: everything but the last token is reused
            Generation g2 = warm.generate(b, 8, "\n");
            assertEquals(g1.prefilledTokens() - 1, g2.reusedTokens());
            assertEquals(1, g2.prefilledTokens());
            assertEquals(g1.text(), g2.text());
            // a context that changes early reuses only the common prefix
            Generation g3 = warm.generate(a, 8, "\n");
            assertTrue(g3.reusedTokens() >= 1 && g3.reusedTokens() < 5, "reused " + g3.reusedTokens());
            try (EmbeddedBackend fresh = new EmbeddedBackend(model, "nano")) {
                Generation f = fresh.generate(a, 8, "\n");
                assertEquals(f.text(), g3.text());
                for (int i = 0; i < f.tokens().size(); i++) {
                    assertEquals(f.tokens().get(i).id(), g3.tokens().get(i).id());
                    assertEquals(f.tokens().get(i).logprob(), g3.tokens().get(i).logprob(), 1e-4);
                }
            }
            // an answer prefix appended after the question reuses the whole question
            Generation g4 = warm.generate(a + " F", 8, "\n");
            assertTrue(g4.prefilledTokens() <= 2, "computed " + g4.prefilledTokens());
        }
    }

    @Test
    void samplesAreDecodedAsOneBatchFromTheSharedPrefix() {
        String a = "Question: Where was Lurku Pikirken born?\nAnswer:";
        try (EmbeddedBackend be = new EmbeddedBackend(model, "nano")) {
            Generation greedy = be.generate(a, 8, "\n");
            List<Generation> cold = be.sample(a, 4, 1e-4, 8, "\n", 3);
            assertEquals(4, cold.size());
            for (Generation g : cold) assertEquals(greedy.text(), g.text());
            List<Generation> hot = be.sample(a, 6, 1.5, 8, "\n", 3);
            assertEquals(6, hot.size());
            for (Generation g : hot) assertTrue(!g.text().contains("\n"));
            assertEquals(hot.stream().map(Generation::text).toList(), be.sample(a, 6, 1.5, 8, "\n", 3).stream().map(Generation::text).toList(),
                    "seeded sampling is reproducible");
        }
    }

    @Test
    void scoringAPromptGivesEachTokensLogprobAsATokenByTokenRunDoes() {
        String text = "Question: What kind of work does Vume Sesri do?\nAnswer:";
        int from = text.indexOf("Vume");
        try (EmbeddedBackend b = new EmbeddedBackend(model, "nano")) {
            b.generate(text, 2, "\n"); // a cache holding the whole prompt: scoring must still compute the scored positions
            List<Backend.ScoredToken> scored = b.score(text, from);
            int[] ids = model.tokenizer().encode(text, model.tokenizer().addsBos(), false);
            // the reference: one decode step per token on a fresh sequence
            double[] ref = new double[ids.length];
            try (var s = model.newSequence()) {
                var d = model.prefill(s, new int[] {ids[0]});
                for (int i = 1; i < ids.length; i++) {
                    ref[i] = d.logprob(ids[i]);
                    if (i + 1 < ids.length) d = model.decode(s, ids[i]);
                }
            }
            assertTrue(!scored.isEmpty());
            int first = ids.length - scored.size();
            assertTrue(scored.getFirst().end() > from && scored.getFirst().start() <= from, "first scored token covers the start");
            assertEquals(text.length(), scored.getLast().end());
            for (int i = 0; i < scored.size(); i++) {
                assertEquals(ref[first + i], scored.get(i).logprob(), 1e-4, "token " + (first + i));
                if (i > 0) assertEquals(scored.get(i - 1).end(), scored.get(i).start());
            }
            // and a generation after scoring starts from the scored prompt: nothing computed again, same tokens
            Generation g = b.generate(text, 2, "\n");
            assertEquals(ids.length, g.reusedTokens());
            assertEquals(0, g.prefilledTokens());
            try (EmbeddedBackend fresh = new EmbeddedBackend(model, "nano")) {
                Generation again = fresh.generate(text, 2, "\n");
                assertEquals(again.text(), g.text());
                assertEquals(again.tokens().getFirst().logprob(), g.tokens().getFirst().logprob(), 1e-5);
            }
        }
    }

    @Test
    void scoringASpanComputesOnlyItsTokensAndTheEndAndAgreesWithScoringTheTail() {
        String text = "Question: What kind of work does Vume Sesri do?\nAnswer:";
        int from = text.indexOf("Vume"), to = text.indexOf(" do?");
        try (EmbeddedBackend b = new EmbeddedBackend(model, "nano")) {
            List<Backend.ScoredToken> tail = b.score(text, from);
            List<Backend.ScoredToken> span = b.score(text, from, to);
            List<Backend.ScoredToken> expected = tail.stream().filter(t -> t.start() < to).toList();
            assertTrue(span.size() >= 2 && span.size() < tail.size(), span + " of " + tail);
            assertEquals(expected, span, "the same tokens with bit-identical logprobs");
            assertTrue(span.getLast().end() >= to - 1 && span.getLast().start() < to);
            // the distribution after the prompt's last token was computed too: a generation reuses it
            Generation g = b.generate(text, 2, "\n");
            assertEquals(0, g.prefilledTokens());
        }
    }
}
