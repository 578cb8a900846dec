package dev.ponder.learn.train;

import static dev.ponder.learn.train.FiniteDifferences.numeric;
import static dev.ponder.learn.train.FiniteDifferences.relErr;
import static dev.ponder.learn.train.FiniteDifferences.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.kv.KVCache;
import dev.ponder.engine.kv.KVPrecision;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA: the adapter's hand-written backward against central finite differences of a double-precision reference
 * (as {@link GradCheckTest} does for the other ops), the frozen base, the optimizer state, exact resume, and the
 * merged export run by the engine against the trainer's forward with adapters.
 */
class LoraTest {
    private final SplittableRandom rnd = new SplittableRandom(11);

    private float[] randn(int len, double std) {
        return FiniteDifferences.randn(rnd, len, std);
    }

    /** {@code W + scale·B·A} in double: W [out][in], B [out][r], A [r][in]. */
    static double[] mergedRef(double[] w, double[] b, double[] a, int out, int in, int r, double scale) {
        double[] m = w.clone();
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int k = 0; k < r; k++) s += b[o * r + k] * a[k * in + i];
                m[o * in + i] += scale * s;
            }
        return m;
    }

    /** One adapted linear layer {@code y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ}: d(x), d(A), d(B); W gets no gradient. */
    @Test
    void adapterGradients() {
        // shapes with rank below, at and above a vector's width, and tails in every dimension
        for (int[] s : new int[][] {{9, 37, 19, 4}, {8, 64, 36, 8}, {5, 70, 68, 17}}) {
            int n = s[0], in = s[1], out = s[2], r = s[3];
            float scale = 2f;
            Param w = new Param("blk.0.attn_q.weight", out, in, true);
            System.arraycopy(randn(out * in, 1), 0, w.w, 0, w.size());
            Lora.Adapter ad = new Lora.Adapter(w, r, scale);
            System.arraycopy(randn(r * in, 1), 0, ad.a.w, 0, ad.a.size());
            System.arraycopy(randn(out * r, 1), 0, ad.b.w, 0, ad.b.size()); // B non-zero, so every path carries gradient
            float[] x = randn(n * in, 1), rr = randn(n * out, 1);
            float[] y = new float[n * out];
            MatMul.forward(x, w.w, y, n, in, out);
            ad.forward(x, y, n);
            float[] dx = new float[n * in];
            MatMul.backwardInput(rr, w.w, dx, n, in, out);
            ad.backward(rr, x, dx, n);
            double[] xd = RefOps.toDouble(x), wd = RefOps.toDouble(w.w), ad_ = RefOps.toDouble(ad.a.w), bd = RefOps.toDouble(ad.b.w);
            DoubleSupplier f = () -> {
                double[] yy = RefOps.matmul(xd, mergedRef(wd, bd, ad_, out, in, r, scale), n, in, out);
                double sum = 0;
                for (int i = 0; i < yy.length; i++) sum += yy[i] * rr[i];
                return sum;
            };
            double[] yRef = RefOps.matmul(xd, mergedRef(wd, bd, ad_, out, in, r, scale), n, in, out);
            for (int i = 0; i < y.length; i++) assertEquals(yRef[i], y[i], 1e-4 * (1 + Math.abs(yRef[i])), "forward");
            String shape = n + "x" + in + "x" + out + " r" + r;
            report("lora d(x) " + shape, relErr(dx, numeric(xd, f)));
            report("lora d(A) " + shape, relErr(ad.a.g, numeric(ad_, f)));
            report("lora d(B) " + shape, relErr(ad.b.g, numeric(bd, f)));
            for (float g : w.g) assertEquals(0f, g, "the base matrix gets no gradient");
        }
    }

    /** Whole model with adapters on all seven matrices: every adapter factor against the double model on merged weights. */
    @Test
    void wholeModelAdapterGradients() {
        for (boolean tied : new boolean[] {true, false}) {
            LlamaConfig c = new LlamaConfig(16, 2, 4, 2, 24, 11, 16, 10000f, 1e-5f, tied);
            LlamaWeights w = new LlamaWeights(c).initialize(7);
            FiniteDifferences.spread(w, rnd);
            Lora lora = new Lora(w, Lora.Settings.all(3, 6f), 5);
            for (Param p : lora.params()) for (int i = 0; i < p.size(); i++) p.w[i] = (float) LlamaWeights.gaussian(rnd) * 0.3f;
            Batch b = FiniteDifferences.randomBatch(rnd, c.vocab(), 2, 5);
            LlamaModel m = new LlamaModel(w, lora);
            double loss = m.forward(b);
            w.zeroGrad();
            for (Param p : lora.params()) p.zeroGrad();
            m.backward();
            for (Param p : w.params()) for (float g : p.g) assertEquals(0f, g, p.name + " is frozen: no gradient");

            // the double reference: base weights with every adapter merged in double precision
            Map<String, double[]> base = new HashMap<>(), adapters = new HashMap<>();
            for (Param p : w.params()) base.put(p.name, RefOps.toDouble(p.w));
            for (Param p : lora.params()) adapters.put(p.name, RefOps.toDouble(p.w));
            DoubleSupplier f = () -> RefOps.modelLoss(c, mergedMap(c, lora, base, adapters), b);
            assertEquals(f.getAsDouble(), loss, 1e-5, "float forward with adapters matches the double model on merged weights");
            for (Param p : lora.params()) {
                int[] idx = rnd.ints(0, p.size()).distinct().limit(Math.min(24, p.size())).toArray();
                double[] num = FiniteDifferences.numericAt(adapters.get(p.name), idx, f);
                report("model " + (tied ? "tied   " : "untied ") + p.name, relErr(FiniteDifferences.at(p.g, idx), num));
            }
        }
    }

    private static Map<String, double[]> mergedMap(LlamaConfig c, Lora lora, Map<String, double[]> base, Map<String, double[]> adapters) {
        Map<String, double[]> m = new HashMap<>(base);
        double scale = lora.settings().scale();
        for (int l = 0; l < c.layers(); l++)
            for (Lora.Target t : Lora.Target.values()) {
                Lora.Adapter ad = lora.adapter(l, t);
                if (ad == null) continue;
                m.put(ad.base.name, mergedRef(base.get(ad.base.name), adapters.get(ad.b.name), adapters.get(ad.a.name), ad.out, ad.in, ad.r, scale));
            }
        return m;
    }

    @Test
    void freshAdaptersLeaveTheModelUnchangedAndTrainingTouchesOnlyThem() {
        LlamaConfig c = TrainerTest.TINY;
        LlamaWeights w = new LlamaWeights(c).initialize(3);
        int[] tokens = TrainerTest.randomTokens(400, c.vocab(), 4);
        TokenStream data = new TokenStream(tokens, 2, 16, 1);
        float[] before = new LlamaModel(w).logits(2, 16, data.batch(0).inputs()).clone();
        Lora lora = new Lora(w, Lora.Settings.all(4, 8f), 9);
        assertArrayEquals(before, new LlamaModel(w, lora).logits(2, 16, data.batch(0).inputs()), "B = 0: adapters add exactly nothing");

        List<float[]> base = new ArrayList<>();
        for (Param p : w.params()) base.add(p.w.clone());
        Trainer t = new Trainer(w, TrainConfig.defaults(30).withLr(1e-2f, 1e-3f), lora);
        assertEquals(lora.params().size(), t.optimizer.m.length, "AdamW moments for the adapters only");
        assertEquals(2 * 7 * c.layers(), lora.params().size());
        long expected = 0;
        for (int l = 0; l < c.layers(); l++)
            for (Lora.Target tg : Lora.Target.values()) {
                Param p = tg.of(w.layers[l]);
                expected += 4L * (p.rows + p.cols);
            }
        assertEquals(expected, lora.parameterCount());
        TrainerTest.Fixed one = new TrainerTest.Fixed(data.batch(0)); // one batch to memorise
        double first = t.step(one).loss(), last = first;
        while (t.step() < 30) last = t.step(one).loss();
        System.out.printf("lora tiny: loss %.4f -> %.4f in 30 steps, %d trainable of %d%n", first, last, lora.parameterCount(), c.parameterCount());
        assertTrue(last < first - 0.05, "adapters alone lower the loss: " + first + " -> " + last);
        for (int i = 0; i < base.size(); i++) assertArrayEquals(base.get(i), w.params().get(i).w, w.params().get(i).name + " stays frozen");
        LlamaWeights merged = t.exportWeights();
        assertArrayEquals(base.get(0), merged.tokEmb.w, "the embedding is not adapted");
        assertTrue(!java.util.Arrays.equals(base.get(2), merged.layers[0].wq.w), "the merged attn_q differs from the base");
    }

    @Test
    void resumingALoraCheckpointIsExact(@TempDir Path dir) throws Exception {
        LlamaConfig c = TrainerTest.TINY;
        TokenStream data = new TokenStream(TrainerTest.randomTokens(500, c.vocab(), 5), 3, 12, 9);
        TrainConfig tc = TrainConfig.defaults(8).withLr(5e-3f, 5e-4f);
        Lora.Settings s = new Lora.Settings(2, 4f, EnumSet.of(Lora.Target.Q, Lora.Target.V, Lora.Target.DOWN));
        LlamaWeights w1 = new LlamaWeights(c).initialize(2);
        Trainer straight = new Trainer(w1, tc, new Lora(w1, s, 1));
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < 8; i++) losses.add(straight.step(data).loss());

        LlamaWeights w2 = new LlamaWeights(c).initialize(2);
        Trainer first = new Trainer(w2, tc, new Lora(w2, s, 1));
        for (int i = 0; i < 4; i++) assertEquals(losses.get(i), first.step(data).loss());
        Path ck = dir.resolve("lora.ckpt");
        Checkpoint.save(first, ck);
        Trainer resumed = Checkpoint.load(ck);
        assertEquals(s, resumed.lora().settings());
        for (int i = 4; i < 8; i++) assertEquals(losses.get(i), resumed.step(data).loss(), "step " + i + " after resume");
        for (int p = 0; p < straight.lora().params().size(); p++)
            assertArrayEquals(straight.lora().params().get(p).w, resumed.lora().params().get(p).w);
    }

    /** The merged GGUF in the engine gives the trainer's distributions with adapters (F32 exactly as the plain round trip; Q8_0 close). */
    @Test
    void engineRunsTheMergedExportAsTheTrainerRunsTheAdapters(@TempDir Path dir) throws Exception {
        LlamaConfig c = new LlamaConfig(64, 2, 4, 2, 96, ByteVocab.SIZE, 64, 10000f, 1e-5f, false);
        int[] text = ByteVocab.encode("one two three four five six seven eight nine ten. ".repeat(20).getBytes());
        LlamaWeights w = new LlamaWeights(c).initialize(5);
        Lora lora = new Lora(w, Lora.Settings.all(4, 8f), 3);
        Trainer t = new Trainer(w, TrainConfig.defaults(25).withLr(1e-2f, 1e-3f), lora);
        TokenStream data = new TokenStream(text, 4, 32, 1);
        for (int i = 0; i < 25; i++) t.step(data);
        double bNorm = 0;
        for (Param p : lora.params()) if (p.name.endsWith("lora_b")) for (float v : p.w) bNorm += v * v;
        assertTrue(bNorm > 1e-4, "training moved B away from zero");

        int seq = 24;
        int[] prompt = java.util.Arrays.copyOfRange(text, 3, 3 + seq);
        float[] ours = t.model().logits(1, seq, prompt).clone();
        float[] baseOnly = new LlamaModel(w).logits(1, seq, prompt);
        double adapterEffect = 0;
        for (int i = 0; i < ours.length; i++) adapterEffect = Math.max(adapterEffect, Math.abs(ours[i] - baseOnly[i]));
        Path f32 = dir.resolve("lora.gguf"), q8 = dir.resolve("lora.q8.gguf");
        LlamaGguf.export(t.exportWeights(), "lora", ByteVocab.metadata(), GGMLType.F32, f32);
        LlamaGguf.export(t.exportWeights(), "lora", ByteVocab.metadata(), GGMLType.Q8_0, q8);
        double f32Err = EngineRoundTripTest.maxLogprobError(f32, prompt, ours, c.vocab()), q8Err = EngineRoundTripTest.maxLogprobError(q8, prompt, ours, c.vocab());
        System.out.printf("lora merged export in the engine: max |logprob| difference F32 %.2e, Q8_0 %.2e (adapters moved logits by up to %.3f)%n",
                f32Err, q8Err, adapterEffect);
        assertTrue(adapterEffect > 0.01, "the adapters must matter for this check to mean anything: " + adapterEffect);
        assertTrue(f32Err < 1e-4, "merged F32 export must run as the adapters do, off by " + f32Err);
        assertTrue(q8Err < 0.05, "merged Q8_0 export should stay close, off by " + q8Err);
    }

    @Test
    void settingsAreChecked() {
        assertEquals(EnumSet.of(Lora.Target.Q, Lora.Target.GATE), Lora.Target.parse("q, gate"));
        assertThrows(PonderException.class, () -> Lora.Target.parse("q,bogus"));
        assertThrows(PonderException.class, () -> Lora.Settings.all(0, 1f));
        assertThrows(PonderException.class, () -> Lora.Settings.all(4, 0f));
        assertEquals(0.5f, Lora.Settings.all(8, 4f).scale());
    }
}
