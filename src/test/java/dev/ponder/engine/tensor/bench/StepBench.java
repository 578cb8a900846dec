package dev.ponder.engine.tensor.bench;

import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.tensor.Parallel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Quick decode-step check for development on a busy machine (not JMH): median wall time and median CPU time
 * of the calling thread per step, at each batch size, in interleaved rounds. With one thread the CPU time is
 * the work itself, little disturbed by other processes.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:target/lib/* \
 *     dev.ponder.engine.tensor.bench.StepBench [model=models/ponder-nano.gguf] [threads=1] [steps=100] [rounds=7] [prompt=64]
 * </pre>
 */
public final class StepBench {
    public static void main(String[] args) {
        String model = "models/ponder-nano.gguf";
        int threads = 1, steps = 100, rounds = 7, prompt = 64;
        int[] batches = {1, 2, 4, 8};
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "model" -> model = kv[1];
                case "threads" -> threads = Integer.parseInt(kv[1]);
                case "steps" -> steps = Integer.parseInt(kv[1]);
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                case "prompt" -> prompt = Integer.parseInt(kv[1]);
                case "batches" -> batches = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException(a);
            }
        }
        Parallel.setCommonThreads(threads);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (Model m = Model.load(Path.of(model)); Sequence root = m.newSequence()) {
            SplittableRandom rnd = new SplittableRandom(1);
            int[] p = new int[prompt];
            for (int i = 0; i < p.length; i++) p[i] = rnd.nextInt(m.config().vocabSize());
            m.prefill(root, p);
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) for (int b : batches) run(m, root, b, 20, rnd, mx);
            double[][] wall = new double[batches.length][rounds], cpu = new double[batches.length][rounds];
            for (int r = 0; r < rounds; r++)
                for (int i = 0; i < batches.length; i++) {
                    long[] t = run(m, root, batches[i], steps, rnd, mx);
                    wall[i][r] = t[0] / 1e6 / steps;
                    cpu[i][r] = t[1] / 1e6 / steps;
                }
            double w1 = med(wall[0]), c1 = med(cpu[0]);
            for (int i = 0; i < batches.length; i++)
                System.out.printf("B=%d: wall %.3f ms/step (%.2fx)  cpu %.3f ms/step (%.2fx)  [wall min %.3f]%n", batches[i], med(wall[i]),
                        med(wall[i]) / w1, med(cpu[i]), med(cpu[i]) / c1, Arrays.stream(wall[i]).min().getAsDouble());
        }
        Parallel.common().close();
    }

    static long[] run(Model m, Sequence root, int b, int steps, SplittableRandom rnd, ThreadMXBean mx) {
        Sequence[] seqs = new Sequence[b];
        int[] toks = new int[b];
        for (int i = 0; i < b; i++) {
            seqs[i] = root.fork();
            toks[i] = rnd.nextInt(m.config().vocabSize());
        }
        long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            Distribution[] ds = m.decode(seqs, toks);
            for (int i = 0; i < b; i++) toks[i] = ds[i].argmax();
        }
        long[] out = {System.nanoTime() - t0, mx.getCurrentThreadCpuTime() - c0};
        for (Sequence q : seqs) q.close();
        return out;
    }

    static double med(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
