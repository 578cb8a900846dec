package dev.ponder.engine.kv;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.testutil.Reference;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Branching, rollback and batching must not change what the model computes. */
class ForkTruncateBatchTest {
    static Model model;
    static final int[] PROMPT = {1, 403, 407, 261, 378, 432, 383, 286, 261, 400, 310};

    @BeforeAll
    static void load() {
        model = Model.load(Reference.file("models/stories260K.gguf"));
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    /** Greedy continuation of {@code seq} for n tokens, starting from distribution d. */
    static int[] greedy(Sequence seq, Distribution d, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = d.argmax();
            d = model.decode(seq, out[i]);
        }
        return out;
    }

    @Test
    void forkedBranchEqualsFreshRun() {
        for (int p : new int[] {1, 5, 15, 16, 17, PROMPT.length}) {
            Sequence trunk = model.newSequence();
            Distribution d = model.prefill(trunk, Arrays.copyOf(PROMPT, p));
            Sequence branch = trunk.fork();
            long copiedBefore = model.cache().copiedBlocks();
            int[] fromBranch = greedy(branch, d, 40);
            assertTrue(model.cache().copiedBlocks() - copiedBefore <= 1, "a fork copies at most one partial block");
            // the trunk is untouched by the branch: continuing it gives the same tokens
            int[] fromTrunk = greedy(trunk, d, 40);
            Sequence fresh = model.newSequence();
            int[] fromFresh = greedy(fresh, model.prefill(fresh, Arrays.copyOf(PROMPT, p)), 40);
            assertArrayEquals(fromFresh, fromBranch, "branch forked at " + p);
            assertArrayEquals(fromFresh, fromTrunk, "trunk after fork at " + p);
            trunk.close();
            branch.close();
            fresh.close();
        }
    }

    @Test
    void truncateRollsBackExactly() {
        Sequence s = model.newSequence();
        model.prefill(s, PROMPT);
        greedy(s, model.decode(s, 300), 25); // wander off
        s.truncate(7);
        assertEquals(7, s.length());
        assertArrayEquals(Arrays.copyOf(PROMPT, 7), s.tokens());
        Distribution after = model.prefill(s, Arrays.copyOfRange(PROMPT, 7, PROMPT.length));
        Sequence fresh = model.newSequence();
        Distribution direct = model.prefill(fresh, PROMPT);
        assertArrayEquals(direct.logits(), after.logits(), 1e-5f);
        s.close();
        fresh.close();
    }

    @Test
    void batchedDecodeEqualsSeparateRuns() {
        int B = 5;
        Sequence[] batch = new Sequence[B], alone = new Sequence[B];
        int[] next = new int[B];
        for (int b = 0; b < B; b++) {
            batch[b] = model.newSequence();
            alone[b] = model.newSequence();
            int[] p = Arrays.copyOf(PROMPT, 3 + 2 * b); // different lengths
            next[b] = model.prefill(batch[b], p).argmax();
            model.prefill(alone[b], p);
        }
        double worst = 0;
        for (int step = 0; step < 20; step++) {
            Distribution[] ds = model.decode(batch, next.clone());
            for (int b = 0; b < B; b++) {
                Distribution single = model.decode(alone[b], next[b]);
                float[] x = ds[b].logits(), y = single.logits();
                for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
                next[b] = ds[b].argmax();
            }
        }
        assertTrue(worst <= 1e-4, "batched vs separate logits differ by " + worst);
        System.out.printf("batched decode B=%d: worst logit difference %.2e%n", B, worst);
    }

    @Test
    void prefillInOneBatchEqualsTokenByToken() {
        Sequence a = model.newSequence(), b = model.newSequence();
        Distribution da = model.prefill(a, PROMPT);
        Distribution db = null;
        for (int t : PROMPT) db = model.decode(b, t);
        assertArrayEquals(db.logits(), da.logits(), 1e-4f);
        a.close();
        b.close();
    }

    @Test
    void closedSequencesReturnTheirBlocks() {
        int before = model.cache().blocksInUse();
        Sequence s = model.newSequence();
        model.prefill(s, PROMPT);
        Sequence f = s.fork();
        model.decode(f, 5);
        s.close();
        f.close();
        assertEquals(before, model.cache().blocksInUse());
    }
}
