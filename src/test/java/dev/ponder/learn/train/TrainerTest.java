package dev.ponder.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    static final LlamaConfig TINY = new LlamaConfig(32, 2, 4, 2, 64, 40, 32, 10000f, 1e-5f, true);

    /** The same batch at every step. */
    record Fixed(Batch b) implements BatchSource {
        public Batch batch(long step) { return b; }
        public int batchSize() { return b.batch(); }
        public int seqLen() { return b.seqLen(); }
    }

    static int[] randomTokens(int len, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[len];
        for (int i = 0; i < len; i++) t[i] = r.nextInt(vocab);
        return t;
    }

    @Test
    void overfitsATinyBatch() {
        int[] tokens = randomTokens(2 * 17, TINY.vocab(), 3);
        Batch b = new TokenStream(tokens, 2, 16, 0).batch(0);
        Trainer t = new Trainer(new LlamaWeights(TINY).initialize(1), TrainConfig.defaults(200).withLr(3e-3f, 3e-4f).withWeightDecay(0).withWarmup(10));
        StepRecord first = t.step(new Fixed(b)), last = first;
        while (t.step() < 200) last = t.step(new Fixed(b));
        double end = t.model().forward(b);
        System.out.printf("overfit: loss %.4f (ln vocab %.4f) -> %.5f after 200 steps%n", first.loss(), Math.log(TINY.vocab()), end);
        assertEquals(Math.log(TINY.vocab()), first.loss(), 0.1, "a fresh model is near uniform");
        assertTrue(end < 0.05, "loss on a memorised batch should fall near zero, got " + end);
    }

    @Test
    void resumingFromACheckpointIsExact(@TempDir Path dir) throws Exception {
        TokenStream data = new TokenStream(randomTokens(500, TINY.vocab(), 5), 3, 12, 9);
        TrainConfig tc = TrainConfig.defaults(8);
        Trainer straight = new Trainer(new LlamaWeights(TINY).initialize(2), tc);
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < 8; i++) losses.add(straight.step(data).loss());

        Trainer first = new Trainer(new LlamaWeights(TINY).initialize(2), tc);
        for (int i = 0; i < 4; i++) assertEquals(losses.get(i), first.step(data).loss());
        Path ck = dir.resolve("ck.bin");
        Checkpoint.save(first, ck);
        Parallel.setThreads(1); // a different thread count must not change anything
        try {
            Trainer resumed = Checkpoint.load(ck);
            assertEquals(4, resumed.step());
            assertEquals(4, resumed.history().size());
            for (int i = 4; i < 8; i++) assertEquals(losses.get(i), resumed.step(data).loss(), "step " + i + " after resume");
            for (int p = 0; p < straight.weights().params().size(); p++)
                assertArrayEquals(straight.weights().params().get(p).w, resumed.weights().params().get(p).w);
        } finally {
            Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void answerOnlyMaskTrainsOnlyAnswerTokens() {
        var ex = ExampleSet.Example.answerOnly(new int[] {1, 5, 6, 7}, new int[] {9, 10});
        ExampleSet set = new ExampleSet(List.of(ex), 1, 8, 0, 0);
        Batch b = set.batch(0);
        // predictions: 1->5, 5->6, 6->7, 7->9, 9->10; only the last two are answer tokens
        assertArrayEquals(new int[] {1, 5, 6, 7, 9, 0, 0, 0}, b.inputs());
        assertArrayEquals(new int[] {5, 6, 7, 9, 10, 0, 0, 0}, b.targets());
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 0, 0}, b.weights());
        // a masked-out position carries no gradient: changing its target changes nothing
        LlamaWeights w = new LlamaWeights(TINY).initialize(4);
        LlamaModel m = new LlamaModel(w);
        double l1 = m.forward(b);
        int[] tg = b.targets().clone();
        tg[1] = 33;
        double l2 = m.forward(new Batch(1, 8, b.inputs(), tg, b.weights()));
        assertEquals(l1, l2);
    }

    @Test
    void scheduleWarmsUpThenFollowsCosine() {
        LrSchedule s = new LrSchedule(1e-3f, 1e-4f, 10, 111); // decay over steps 10..110
        assertEquals(1e-4f, s.at(0), 1e-9);
        assertEquals(1e-3f, s.at(9), 1e-9);
        assertEquals(1e-3f, s.at(10), 1e-9);
        assertEquals(5.5e-4f, s.at(60), 1e-7); // half-way through the decay
        assertEquals(1e-4f, s.at(110), 1e-9);
        assertTrue(s.at(30) > s.at(31));
    }

    @Test
    void clippingBoundsTheGlobalNorm() {
        Param a = new Param("a", 1, 3, false), b = new Param("b", 2, 2, true);
        a.g[0] = 3;
        b.g[3] = 4; // norm 5
        assertEquals(5.0, AdamW.clipGlobalNorm(List.of(a, b), 1.0), 1e-9);
        assertEquals(1.0, AdamW.clipGlobalNorm(List.of(a, b), 0), 1e-5);
    }

    @Test
    void weightDecaySkipsNormsAndEmbeddings() {
        LlamaWeights w = new LlamaWeights(TINY).initialize(1);
        AdamW opt = new AdamW(w.params(), 0.9f, 0.95f, 1e-8f, 0.5f);
        float emb = w.tokEmb.w[0], norm = w.outNorm.w[0], q = w.layers[0].wq.w[0];
        opt.step(0.1f); // zero gradients: only decay moves weights
        assertEquals(emb, w.tokEmb.w[0]);
        assertEquals(norm, w.outNorm.w[0]);
        assertEquals(q * 0.95f, w.layers[0].wq.w[0], 1e-9);
    }
}
