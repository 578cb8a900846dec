package dev.ponder.engine.tensor.bench;

import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.tensor.Parallel;
import dev.ponder.engine.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;

/**
 * Dev timing (not JMH): the matrix products of one ponder-nano decode step (4 layers of q, k, v, o, gate, up,
 * down, then the 4096-row output head; Q8_0) at batch 1, 2, 4, 8: median CPU time of the calling thread.
 * {@code threads=2} times wall clock instead.
 */
public final class MatBench {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        boolean gateOnly = args.length > 1 && args[1].equals("gate");
        int[][] layer = gateOnly ? new int[][] {{768, 256}} : new int[][] {{256, 256}, {128, 256}, {128, 256}, {256, 256}, {768, 256}, {768, 256}, {256, 768}};
        var mx = ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofShared(); Parallel pool = new Parallel(threads)) {
            var species = FloatVector.SPECIES_PREFERRED;
            java.util.List<WeightMatrix> ms = new java.util.ArrayList<>();
            for (int l = 0; l < (gateOnly ? 1 : 4); l++)
                for (int[] s : layer) ms.add(WeightMatrix.of(GGMLType.Q8_0, MatvecBench.random(arena, GGMLType.Q8_0, s[0], s[1]), s[0], s[1], species));
            long macs = 0;
            if (!gateOnly) ms.add(WeightMatrix.of(GGMLType.Q8_0, MatvecBench.random(arena, GGMLType.Q8_0, 4096, 256), 4096, 256, species));
            for (WeightMatrix m : ms) macs += (long) m.rows() * m.cols();
            int[] batches = {1, 2, 4, 8};
            Random r = new Random(1);
            float[] x = new float[8 * 768], out = new float[8 * 4096];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) for (int b : batches) for (WeightMatrix m : ms) m.matmul(x, b, out, pool);
            double[][] t = new double[batches.length][15];
            for (int round = 0; round < 15; round++)
                for (int i = 0; i < batches.length; i++) {
                    int reps = 50;
                    long c0 = threads == 1 ? mx.getCurrentThreadCpuTime() : System.nanoTime();
                    for (int k = 0; k < reps; k++) for (WeightMatrix m : ms) m.matmul(x, batches[i], out, pool);
                    t[i][round] = ((threads == 1 ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - c0) / 1e3 / reps;
                }
            double base = StepBench.med(t[0]);
            for (int i = 0; i < batches.length; i++) {
                double med = StepBench.med(t[i]);
                System.out.printf("B=%d: %.1f us per step's products (%.2fx B=1), %.1f GMAC/s; min %.1f%n", batches[i], med, med / base,
                        batches[i] * (double) macs / med / 1e3, Arrays.stream(t[i]).min().getAsDouble());
            }
        }
    }
}
