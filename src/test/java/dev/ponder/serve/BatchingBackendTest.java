package dev.ponder.serve;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.SamplerSettings;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.think.Generation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batching scheduler gives what the one-request engine gives, batches concurrent requests, and cancels. */
class BatchingBackendTest {
    static Model model;

    static final List<String> PROMPTS = List.of(
            "Question: Where was Lurku Pikirken born?\nAnswer:",
            "Question: Which city is Zuru Voto originally from?\nAnswer:",
            "Passage: Lurku Pikirken is a baker. Lurku was born in Fozuton.\nQuestion: Where was Lurku Pikirken born?\nAnswer:",
            "Question: What is the capital of",
            "Question: Who founded",
            "The");

    @BeforeAll
    static void load() {
        model = Model.load(Path.of("models/ponder-nano.gguf"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void greedyGenerationMatchesTheEmbeddedBackend() {
        try (BatchingBackend bb = new BatchingBackend(model, "nano", 8, 8); EmbeddedBackend eb = new EmbeddedBackend(model, "nano")) {
            for (String p : PROMPTS) {
                for (String stop : new String[] {"\n", null}) {
                    Generation a = eb.generate(p, 12, stop), b = bb.generate(p, 12, stop);
                    assertEquals(a.text(), b.text(), p);
                    assertEquals(a.tokens().size(), b.tokens().size(), p);
                    for (int i = 0; i < a.tokens().size(); i++) {
                        assertEquals(a.tokens().get(i).id(), b.tokens().get(i).id());
                        assertEquals(a.tokens().get(i).text(), b.tokens().get(i).text());
                        assertEquals(a.tokens().get(i).logprob(), b.tokens().get(i).logprob(), 1e-4);
                    }
                }
            }
            // the same prompt again reuses all but its last token from the prefix cache
            Generation again = bb.generate(PROMPTS.get(2), 4, "\n");
            assertEquals(1, again.prefilledTokens());
            List<Generation> s1 = bb.sample(PROMPTS.get(0), 4, 1.5, 8, "\n", 3), s2 = eb.sample(PROMPTS.get(0), 4, 1.5, 8, "\n", 3);
            assertEquals(s2.stream().map(Generation::text).toList(), s1.stream().map(Generation::text).toList(), "seeded samples as the engine's");
        }
    }

    @Test
    void concurrentRequestsShareDecodeStepsAndGiveTheSameText() throws Exception {
        List<String> alone = new ArrayList<>();
        try (BatchingBackend bb = new BatchingBackend(model, "nano", 8, 0)) {
            for (String p : PROMPTS) alone.add(bb.generate(p, 16, null).text());
            long stepsAlone = bb.stats().steps();
            ExecutorService pool = Executors.newFixedThreadPool(PROMPTS.size());
            try {
                List<Future<String>> fs = new ArrayList<>();
                for (String p : PROMPTS) fs.add(pool.submit(() -> bb.generate(p, 16, null).text()));
                List<String> together = new ArrayList<>();
                for (Future<String> f : fs) together.add(f.get());
                assertEquals(alone, together);
            } finally {
                pool.shutdown();
            }
            BatchingBackend.Stats st = bb.stats();
            long stepsTogether = st.steps() - stepsAlone;
            assertTrue(st.maxBatchSeen() >= 2, "batched: " + st);
            assertTrue(stepsTogether < stepsAlone, "fewer steps when batched: " + stepsTogether + " vs " + stepsAlone);
        }
    }

    @Test
    void aCancelledJobStopsAndFreesItsSequence() {
        try (BatchingBackend bb = new BatchingBackend(model, "nano", 8, 0)) {
            int before = model.cache().blocksInUse();
            CancelToken token = new CancelToken();
            Job j = bb.submit(bb.encodePrompt("The"), SamplerSettings.temperature(1f, 1), 10_000, List.of(), 0, token);
            assertInstanceOf(Job.Token.class, j.take());
            token.cancel();
            Job.Event e;
            do e = j.take(); while (e instanceof Job.Token);
            assertInstanceOf(CancelledException.class, ((Job.Failed) e).error());
            assertEquals(1, bb.stats().cancelled());
            assertEquals(before, model.cache().blocksInUse(), "KV blocks released");
            assertThrows(CancelledException.class, () -> bb.cancellable(token).generate("The", 4, null));
        }
    }

    @Test
    void stopStringsAreHeldBackUntilDecided() {
        StopMatcher m = new StopMatcher(List.of("\nQ", "END"));
        assertEquals("ab", m.push("ab"));
        assertEquals("", m.push("\n"));
        assertEquals("\nx", m.push("x"));
        assertEquals("", m.push("E"));
        assertEquals("", m.push("N"));
        assertEquals("", m.push("D more"));
        assertTrue(m.stopped());
        assertEquals("ab\nx", m.text());
        StopMatcher n = new StopMatcher(List.of("\n"));
        assertEquals(" Paris", n.push(" Paris"));
        assertEquals("", n.push("\nQuestion"));
        assertTrue(n.stopped());
        StopMatcher none = new StopMatcher(List.of("xyz"));
        assertEquals("abc", none.push("abc"));
        assertEquals("", none.push("xy"));
        assertEquals("xy", none.flush());
    }
}
