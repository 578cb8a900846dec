package dev.ponder.learn.train;

import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Speed figures for the trainer: the machine's FMA peak as the Vector API reaches it (a tight loop of
 * independent FMAs, per thread count), the matmul kernels, and whole training steps.
 */
public final class TrainBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private TrainBenchmark() {}

    /**
     * GFLOPS of {@code threads} threads each running 12 independent FMA chains: the best of {@code windows}
     * windows of about {@code millis} ms, so that time slices lost to other processes on a shared machine do
     * not lower the estimate.
     */
    public static double fmaPeak(int threads, int windows, long millis) throws InterruptedException {
        double best = 0;
        for (int w = 0; w < windows; w++) best = Math.max(best, fmaWindow(threads, millis));
        return best;
    }

    private static double fmaWindow(int threads, long millis) throws InterruptedException {
        DoubleAdder flops = new DoubleAdder();
        long deadline = System.nanoTime() + millis * 1_000_000;
        Thread[] ts = new Thread[threads];
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(() -> {
                float[] sink = new float[S.length()];
                long iters = 0;
                while (System.nanoTime() < deadline) {
                    fmaChains(sink, 20_000);
                    iters += 20_000;
                }
                flops.add(iters * 12.0 * S.length() * 2);
            });
            ts[i].start();
        }
        for (Thread t : ts) t.join();
        return flops.sum() / (System.nanoTime() - start);
    }

    private static void fmaChains(float[] sink, int iters) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f), a = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < iters; i++) {
            c0 = c0.fma(m, a); c1 = c1.fma(m, a); c2 = c2.fma(m, a); c3 = c3.fma(m, a);
            c4 = c4.fma(m, a); c5 = c5.fma(m, a); c6 = c6.fma(m, a); c7 = c7.fma(m, a);
            c8 = c8.fma(m, a); c9 = c9.fma(m, a); c10 = c10.fma(m, a); c11 = c11.fma(m, a);
        }
        c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).intoArray(sink, 0);
    }

    /** GFLOPS of forward, backward-input and backward-weight products of shape n×in×out, best of {@code reps}. */
    public static double[] matmul(int n, int in, int out, int reps) {
        float[] x = new float[n * in], w = new float[out * in], y = new float[n * out], dx = new float[n * in], dw = new float[out * in];
        java.util.Arrays.fill(x, 0.5f);
        java.util.Arrays.fill(w, 0.25f);
        double flops = MatMul.flops(n, in, out);
        double[] best = new double[3];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            MatMul.forward(x, w, y, n, in, out);
            long t1 = System.nanoTime();
            MatMul.backwardInput(y, w, dx, n, in, out);
            long t2 = System.nanoTime();
            MatMul.backwardWeight(y, x, dw, n, in, out);
            long t3 = System.nanoTime();
            best[0] = Math.max(best[0], flops / (t1 - t0));
            best[1] = Math.max(best[1], flops / (t2 - t1));
            best[2] = Math.max(best[2], flops / (t3 - t2));
        }
        return best;
    }

    /** Result of {@link #trainSteps}. */
    public record StepSpeed(double msPerStep, double gflops, double tokensPerSecond, double bestMs, double bestGflops) {}

    /** Times {@code steps} training steps (after {@code warmup} untimed ones) of model {@code c} on random tokens. */
    public static StepSpeed trainSteps(LlamaConfig c, int batch, int seqLen, int warmup, int steps) {
        return trainSteps(c, batch, seqLen, warmup, steps, null);
    }

    /**
     * Like {@link #trainSteps(LlamaConfig, int, int, int, int)}, training rank-{@code lora.rank()} adapters on the frozen model
     * when {@code lora} is non-null (its GFLOPS figures still count the full model's step).
     */
    public static StepSpeed trainSteps(LlamaConfig c, int batch, int seqLen, int warmup, int steps, Lora.Settings lora) {
        int[] tokens = new int[batch * seqLen * 4 + 1];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < tokens.length; i++) tokens[i] = r.nextInt(c.vocab());
        TokenStream data = new TokenStream(tokens, batch, seqLen, 1);
        LlamaWeights w = new LlamaWeights(c).initialize(1);
        Trainer t = new Trainer(w, TrainConfig.defaults(warmup + steps), lora == null ? null : new Lora(w, lora, 1));
        for (int i = 0; i < warmup; i++) t.step(data);
        long start = System.nanoTime(), best = Long.MAX_VALUE;
        for (int i = 0; i < steps; i++) best = Math.min(best, t.step(data).nanos());
        double sec = (System.nanoTime() - start) / 1e9 / steps;
        double flops = t.model().stepFlops(batch, seqLen);
        return new StepSpeed(sec * 1e3, flops / sec / 1e9, batch * seqLen / sec, best / 1e6, flops / best);
    }

    /** Prints all figures; {@code quick} keeps it to a few seconds. */
    public static String report(boolean quick) throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        int cores = Runtime.getRuntime().availableProcessors();
        float[] sink = new float[S.length()];
        for (int i = 0; i < 20_000; i++) fmaChains(sink, 200); // get the loop compiled before timing
        int windows = quick ? 5 : 20;
        double p1 = fmaPeak(1, windows, 50), pn = fmaPeak(cores, windows, 50);
        sb.append(String.format(Locale.ROOT, "vector species: %d floats%n", S.length()));
        sb.append(String.format(Locale.ROOT, "FMA peak (Vector API): %.1f GFLOPS on 1 thread, %.1f GFLOPS on %d threads%n", p1, pn, cores));
        int[][] shapes = {{512, 256, 256}, {512, 256, 768}, {512, 768, 256}};
        for (int[] s : shapes) {
            double[] g = matmul(s[0], s[1], s[2], quick ? 10 : 40);
            sb.append(String.format(Locale.ROOT, "matmul %dx%dx%d: forward %.1f, backward-input %.1f, backward-weight %.1f GFLOPS (%.0f%% of peak)%n",
                    s[0], s[1], s[2], g[0], g[1], g[2], 100 * (g[0] + g[1] + g[2]) / 3 / pn));
        }
        LlamaConfig c = LlamaConfig.of(256, 4, 8, 4, 768, 512, 256, true);
        int before = Parallel.threads();
        try {
            for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
                Parallel.setThreads(threads);
                StepSpeed sp = trainSteps(c, 4, 128, 3, quick ? 5 : 20);
                double peak = threads == 1 ? p1 : pn;
                sb.append(String.format(Locale.ROOT, "training step, %d thread%s (dim 256, 4 layers, 8 heads/4 kv, ffn 768, vocab 512, batch 4x128, %.2f GFLOP): "
                                + "mean %.0f ms = %.1f GFLOPS, %.0f tokens/s; best %.0f ms = %.1f GFLOPS (%.0f%% of the measured %d-thread peak)%n",
                        threads, threads == 1 ? "" : "s", t0Flops(c), sp.msPerStep(), sp.gflops(), sp.tokensPerSecond(), sp.bestMs(), sp.bestGflops(),
                        100 * sp.bestGflops() / peak, threads));
                StepSpeed lo = trainSteps(c, 4, 128, 3, quick ? 5 : 20, Lora.Settings.all(16, 32f));
                sb.append(String.format(Locale.ROOT, "  the same with LoRA rank 16 on all seven matrices (base frozen): mean %.0f ms, %.0f tokens/s; best %.0f ms (%.2fx the full step's best)%n",
                        lo.msPerStep(), lo.tokensPerSecond(), lo.bestMs(), lo.bestMs() / sp.bestMs()));
            }
        } finally {
            Parallel.setThreads(before);
        }
        return sb.toString();
    }

    private static double t0Flops(LlamaConfig c) {
        return new LlamaModel(new LlamaWeights(c)).stepFlops(4, 128) / 1e9;
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.print(report(args.length > 0 && args[0].equals("--quick")));
    }
}
