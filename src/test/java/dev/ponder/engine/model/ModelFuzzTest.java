package dev.ponder.engine.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGUFFuzzTest;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.testutil.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged copies of a real model file go through the whole loading path (GGUF, configuration, weights,
 * tokenizer, one decoding step): each must work or end in one of our own deliberate errors — not an
 * unexpected exception (which the loader would report as "cannot load model"), a hang or running out of memory.
 */
class ModelFuzzTest {
    static final int CASES = 1000;
    @TempDir Path dir;

    @Test
    void damagedModelsEndInOurOwnError() throws Exception {
        byte[] seed = Files.readAllBytes(Reference.file("models/stories260K.gguf"));
        SplittableRandom rnd = new SplittableRandom(42);
        int loaded = 0, rejected = 0;
        Path f = dir.resolve("m.gguf");
        for (int c = 0; c < CASES; c++) {
            byte[] b = GGUFFuzzTest.mutate(seed, rnd, c);
            Files.write(f, b);
            long t0 = System.nanoTime();
            try (Model m = Model.load(f)) {
                Tokenizer tok = Tokenizer.fromGGUF(m.gguf());
                int[] ids = tok.encode("Once upon a time", true, false);
                m.prefill(m.newSequence(), ids).top(3);
                loaded++;
            } catch (PonderException e) {
                String msg = e.getMessage();
                assertFalse(msg.contains("\n"), msg);
                assertFalse(msg.contains("cannot load model:"), "unexpected exception inside the loader, case " + c + ": " + msg);
                rejected++;
            } catch (Throwable t) {
                fail("case " + c + " ended in " + t, t);
            }
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "case " + c + " took too long");
        }
        System.out.printf("model fuzz: %d cases, %d loaded and ran, %d rejected with our error%n", CASES, loaded, rejected);
    }
}
