package dev.ponder.engine.tensor.bench;

import dev.ponder.engine.tensor.AttentionKernels;
import java.lang.management.ManagementFactory;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Dev timing of the attention kernels on ponder-nano's shape (head 32, kv dim 128, blocks of 16). */
public final class AttnBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();

    static void oldMix(float[] p, int pOff, float[] rows, int off, int stride, int count, int n, float[] acc, int accOff) {
        for (int d = 0; d + L <= n; d += L) {
            FloatVector a = FloatVector.fromArray(F, acc, accOff + d);
            for (int j = 0; j < count; j++)
                a = FloatVector.fromArray(F, rows, off + j * stride + d).fma(FloatVector.broadcast(F, p[pOff + j]), a);
            a.intoArray(acc, accOff + d);
        }
    }

    public static void main(String[] args) {
        AttentionKernels k = AttentionKernels.preferred();
        Random r = new Random(1);
        int blocks = 20, bs = 16, kvDim = 128, hd = 32;
        float[][] vals = new float[blocks][bs * kvDim * 4];
        float[][] keys = new float[blocks][bs * kvDim * 4];
        for (float[] v : vals) for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        for (float[] v : keys) for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        float[] p = new float[blocks * bs], acc = new float[hd], q = new float[hd];
        for (int i = 0; i < p.length; i++) p[i] = r.nextFloat();
        var mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 6; round++) {
            for (int which = 0; which < 3; which++) {
                long c0 = mx.getCurrentThreadCpuTime();
                int iters = 20000;
                for (int it = 0; it < iters; it++)
                    for (int b = 0; b < blocks; b++) {
                        int kvOff = (it & 3) * hd;
                        if (which == 0) k.mix(p, b * bs, vals[b], kvOff, kvDim, bs, hd, acc, 0);
                        else if (which == 1) oldMix(p, b * bs, vals[b], kvOff, kvDim, bs, hd, acc, 0);
                        else k.scores(q, 0, keys[b], kvOff * bs, bs, bs, hd, 0.1f, p, b * bs);
                    }
                double ns = (mx.getCurrentThreadCpuTime() - c0) / (double) iters / blocks;
                System.out.printf("%s: %.1f ns per block of 16%n", which == 0 ? "mix" : which == 1 ? "old mix" : "scores", ns);
            }
        }
        System.out.println(acc[0] + p[3]);
    }
}
