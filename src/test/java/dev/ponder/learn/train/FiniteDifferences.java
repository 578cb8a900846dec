package dev.ponder.learn.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/** What the gradient checks share: central differences, the relative error they report, and Gaussian test data. */
final class FiniteDifferences {
    /** Step of the central differences. */
    static final double H = 1e-5;
    /** Float analytic gradients against double numeric ones: the error is float rounding, ~1e-6. */
    static final double TOL = 1e-4;

    private FiniteDifferences() {}

    /** d f / d p[i] for every i, by central differences on the double array p. */
    static double[] numeric(double[] p, DoubleSupplier f) {
        return numericAt(p, java.util.stream.IntStream.range(0, p.length).toArray(), f);
    }

    /** d f / d p[i] for the indices {@code idx} only (a sample of a large tensor), by central differences. */
    static double[] numericAt(double[] p, int[] idx, DoubleSupplier f) {
        double[] g = new double[idx.length];
        for (int j = 0; j < idx.length; j++) {
            int i = idx[j];
            double keep = p[i];
            p[i] = keep + H;
            double up = f.getAsDouble();
            p[i] = keep - H;
            double down = f.getAsDouble();
            p[i] = keep;
            g[j] = (up - down) / (2 * H);
        }
        return g;
    }

    /** The entries {@code idx} of {@code a}. */
    static float[] at(float[] a, int[] idx) {
        float[] out = new float[idx.length];
        for (int j = 0; j < idx.length; j++) out[j] = a[idx[j]];
        return out;
    }

    /**
     * Weights of whole-model checks: larger than the 0.02 init (vectors near 1) so every path carries gradient
     * well above float noise.
     */
    static void spread(LlamaWeights w, SplittableRandom rnd) {
        for (Param p : w.params())
            for (int i = 0; i < p.size(); i++) p.w[i] = p.isVector() ? 1f + (float) LlamaWeights.gaussian(rnd) * 0.1f : (float) LlamaWeights.gaussian(rnd) * 0.3f;
    }

    /** A random batch of {@code batch} sequences of {@code seqLen} tokens; every fourth token from the second has weight 0. */
    static Batch randomBatch(SplittableRandom rnd, int vocab, int batch, int seqLen) {
        int n = batch * seqLen;
        int[] in = new int[n], tg = new int[n];
        float[] wt = new float[n];
        for (int i = 0; i < n; i++) {
            in[i] = rnd.nextInt(vocab);
            tg[i] = rnd.nextInt(vocab);
            wt[i] = i % 4 == 1 ? 0 : 1;
        }
        return new Batch(batch, seqLen, in, tg, wt);
    }

    /** Norm-wise relative error {@code |a − n| / max(|a|, |n|)}; fails when both are zero (a vacuous check). */
    static double relErr(float[] analytic, double[] numeric) {
        double diff = 0, na = 0, nn = 0;
        for (int i = 0; i < numeric.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            na += (double) analytic[i] * analytic[i];
            nn += numeric[i] * numeric[i];
        }
        double denom = Math.max(Math.sqrt(na), Math.sqrt(nn));
        assertTrue(denom > 0, "gradient is identically zero: the check would be vacuous");
        return Math.sqrt(diff) / denom;
    }

    /** Prints the op's relative error and fails above {@link #TOL}. */
    static void report(String op, double err) {
        System.out.printf("gradcheck %-34s relative error %.2e%n", op, err);
        assertTrue(err < TOL, op + ": relative error " + err);
    }

    /** {@code len} Gaussian values of standard deviation {@code std}. */
    static float[] randn(SplittableRandom rnd, int len, double std) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) (LlamaWeights.gaussian(rnd) * std);
        return a;
    }
}
