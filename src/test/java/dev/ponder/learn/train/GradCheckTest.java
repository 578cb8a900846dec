package dev.ponder.learn.train;

import static dev.ponder.learn.train.FiniteDifferences.numeric;
import static dev.ponder.learn.train.FiniteDifferences.relErr;
import static dev.ponder.learn.train.FiniteDifferences.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Checks every hand-written float backward pass against central finite differences (step 1e-5) of the
 * double-precision forward passes in {@link RefOps}. Each op is wrapped in the scalar loss {@code Σ out·R}
 * with a random R, so the analytic gradient is the op's backward applied to R. The reported figure is the
 * norm-wise relative error {@code |g_analytic − g_numeric| / max(|g_analytic|, |g_numeric|)}.
 */
class GradCheckTest {

    private final SplittableRandom rnd = new SplittableRandom(42);

    private float[] randn(int len, double std) {
        return FiniteDifferences.randn(rnd, len, std);
    }

    private static double dotR(double[] out, float[] r) {
        double s = 0;
        for (int i = 0; i < out.length; i++) s += out[i] * r[i];
        return s;
    }

    @Test
    void embedding() {
        int vocab = 7, dim = 5, n = 9;
        float[] emb = randn(vocab * dim, 1);
        int[] tokens = {3, 1, 3, 0, 6, 3, 2, 1, 5}; // repeats must sum
        float[] r = randn(n * dim, 1);
        float[] demb = new float[emb.length];
        Ops.embedBackward(r, tokens, demb, n, dim);
        double[] e = RefOps.toDouble(emb);
        double[] num = numeric(e, () -> {
            double s = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < dim; j++) s += e[tokens[i] * dim + j] * r[i * dim + j];
            return s;
        });
        report("embedding d(emb)", relErr(demb, num));
        float[] x = new float[n * dim];
        Ops.embed(emb, tokens, x, n, dim);
        assertEquals(emb[6 * dim + 2], x[4 * dim + 2]);
    }

    @Test
    void rmsnorm() {
        int n = 4, dim = 11;
        float eps = 1e-5f;
        float[] x = randn(n * dim, 1), w = randn(dim, 1), r = randn(n * dim, 1);
        float[] y = new float[n * dim], rinv = new float[n], dx = new float[n * dim], dw = new float[dim];
        Ops.rmsnorm(x, w, y, rinv, n, dim, eps);
        Ops.rmsnormBackward(r, x, w, rinv, dx, dw, n, dim);
        double[] xd = RefOps.toDouble(x), wd = RefOps.toDouble(w);
        DoubleSupplier f = () -> dotR(RefOps.rmsnorm(xd, wd, n, dim, eps), r);
        report("rmsnorm d(x)", relErr(dx, numeric(xd, f)));
        report("rmsnorm d(w)", relErr(dw, numeric(wd, f)));
        double[] ref = RefOps.rmsnorm(xd, wd, n, dim, eps);
        for (int i = 0; i < y.length; i++) assertEquals(ref[i], y[i], 1e-5);
    }

    @Test
    void matmul() {
        // sizes that exercise the 4x4 tiles, the row/column remainders and the non-vector tails
        for (int[] s : new int[][] {{9, 37, 19}, {8, 64, 36}, {5, 70, 68}}) {
            int n = s[0], in = s[1], out = s[2];
            float[] x = randn(n * in, 1), w = randn(out * in, 1), r = randn(n * out, 1);
            float[] dx = new float[n * in], dw = new float[out * in];
            MatMul.backwardInput(r, w, dx, n, in, out);
            MatMul.backwardWeight(r, x, dw, n, in, out);
            double[] xd = RefOps.toDouble(x), wd = RefOps.toDouble(w);
            DoubleSupplier f = () -> dotR(RefOps.matmul(xd, wd, n, in, out), r);
            String shape = n + "x" + in + "x" + out;
            report("matmul d(x) " + shape, relErr(dx, numeric(xd, f)));
            report("matmul d(w) " + shape, relErr(dw, numeric(wd, f)));
        }
    }

    @Test
    void rope() {
        int seqLen = 6, n = 12, heads = 3, hd = 8;
        float base = 10000f;
        float[] x = randn(n * heads * hd, 1), r = randn(n * heads * hd, 1);
        float[][] tables = Ops.ropeTables(seqLen, hd, base);
        float[] y = x.clone();
        Ops.rope(y, n, seqLen, heads, hd, tables, false);
        float[] dx = r.clone();
        Ops.rope(dx, n, seqLen, heads, hd, tables, true);
        double[] xd = RefOps.toDouble(x);
        report("rope d(x)", relErr(dx, numeric(xd, () -> dotR(RefOps.rope(xd, n, seqLen, heads, hd, base), r))));
        double[] ref = RefOps.rope(xd, n, seqLen, heads, hd, base);
        for (int i = 0; i < y.length; i++) assertEquals(ref[i], y[i], 1e-5);
    }

    @Test
    void attentionWithAndWithoutGqa() {
        for (int kvHeads : new int[] {4, 2, 1}) {
            int batch = 2, seqLen = 5, heads = 4, hd = 6, n = batch * seqLen;
            float[] q = randn(n * heads * hd, 1), k = randn(n * kvHeads * hd, 1), v = randn(n * kvHeads * hd, 1);
            float[] r = randn(n * heads * hd, 1);
            Attention att = new Attention(batch, seqLen, heads, kvHeads, hd);
            float[] probs = new float[batch * heads * seqLen * seqLen], out = new float[n * heads * hd];
            att.forward(q, k, v, probs, out);
            float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
            att.backward(r, q, k, v, probs, dq, dk, dv);
            double[] qd = RefOps.toDouble(q), kd = RefOps.toDouble(k), vd = RefOps.toDouble(v);
            DoubleSupplier f = () -> dotR(RefOps.attention(qd, kd, vd, batch, seqLen, heads, kvHeads, hd), r);
            String tag = " (heads 4, kv " + kvHeads + ")";
            report("attention d(q)" + tag, relErr(dq, numeric(qd, f)));
            report("attention d(k)" + tag, relErr(dk, numeric(kd, f)));
            report("attention d(v)" + tag, relErr(dv, numeric(vd, f)));
            double[] ref = RefOps.attention(qd, kd, vd, batch, seqLen, heads, kvHeads, hd);
            for (int i = 0; i < out.length; i++) assertEquals(ref[i], out[i], 1e-5);
        }
    }

    @Test
    void swiglu() {
        int len = 40;
        float[] g = randn(len, 2), u = randn(len, 1), r = randn(len, 1);
        float[] dg = new float[len], du = new float[len], h = new float[len];
        Ops.swiglu(g, u, h, len);
        Ops.swigluBackward(r, g, u, dg, du, len);
        double[] gd = RefOps.toDouble(g), ud = RefOps.toDouble(u);
        DoubleSupplier f = () -> dotR(RefOps.swiglu(gd, ud), r);
        report("swiglu d(gate)", relErr(dg, numeric(gd, f)));
        report("swiglu d(up)", relErr(du, numeric(ud, f)));
    }

    @Test
    void crossEntropyWithMask() {
        int n = 6, vocab = 9;
        float[] logits = randn(n * vocab, 2);
        int[] targets = {1, 8, 0, 4, 4, 2};
        float[] weights = {1, 0, 1, 1, 0, 0.5f};
        float[] lse = new float[n], dl = new float[n * vocab];
        double loss = Ops.crossEntropy(logits, targets, weights, lse, n, vocab);
        Ops.crossEntropyBackward(logits, targets, weights, lse, dl, n, vocab);
        double[] ld = RefOps.toDouble(logits);
        DoubleSupplier f = () -> RefOps.crossEntropy(ld, targets, weights, n, vocab);
        assertEquals(f.getAsDouble(), loss, 1e-5);
        report("cross-entropy d(logits)", relErr(dl, numeric(ld, f)));
        for (int i = vocab; i < 2 * vocab; i++) assertEquals(0f, dl[i], "masked row has no gradient");
    }

    /** Whole-model gradients: every parameter tensor, both tied and untied output, with GQA. */
    @Test
    void wholeModelTiedAndUntied() {
        for (boolean tied : new boolean[] {true, false}) {
            LlamaConfig c = new LlamaConfig(16, 2, 4, 2, 24, 11, 16, 10000f, 1e-5f, tied);
            LlamaWeights w = new LlamaWeights(c).initialize(7);
            FiniteDifferences.spread(w, rnd);
            Batch b = FiniteDifferences.randomBatch(rnd, c.vocab(), 2, 5);
            LlamaModel m = new LlamaModel(w);
            double loss = m.forward(b);
            w.zeroGrad();
            m.backward();
            Map<String, double[]> pd = new HashMap<>();
            for (Param p : w.params()) pd.put(p.name, RefOps.toDouble(p.w));
            assertEquals(RefOps.modelLoss(c, pd, b), loss, 1e-5, "float forward matches the double reference");
            for (Param p : w.params()) {
                // up to 40 entries per tensor (all of the small ones) keep the double-precision model evaluations few
                int[] idx = rnd.ints(0, p.size()).distinct().limit(Math.min(40, p.size())).toArray();
                double[] sub = FiniteDifferences.numericAt(pd.get(p.name), idx, () -> RefOps.modelLoss(c, pd, b));
                String what = p.name.equals("token_embd.weight") && tied ? "token_embd (tied output)" : p.name;
                report("model " + (tied ? "tied   " : "untied ") + what, relErr(FiniteDifferences.at(p.g, idx), sub));
            }
        }
    }
}
