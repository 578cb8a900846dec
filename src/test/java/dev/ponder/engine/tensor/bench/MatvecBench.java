package dev.ponder.engine.tensor.bench;

import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.tensor.Parallel;
import dev.ponder.engine.tensor.Quantizer;
import dev.ponder.engine.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Quick throughput check (not JMH): GB/s of weights streamed by matvec for Qwen2.5-0.5B-shaped
 * matrices (4864x896 FFN, 151936x896 vocabulary), and the cost of matmul at batch 1, 2, 4, 8.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     dev.ponder.engine.tensor.bench.MatvecBench [types=Q8_0,Q4_0] [threads=1,2] [bits=512] [batches=1,2,4,8] [big=true]
 * </pre>
 */
public final class MatvecBench {
    public static void main(String[] args) {
        String types = "Q8_0,Q4_0,Q4_K,Q6_K,F16,BF16,F32", threads = "1,2", batches = "1,2,4,8";
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        boolean big = true, decode = false;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "types" -> types = kv[1];
                case "threads" -> threads = kv[1];
                case "bits" -> bits = Integer.parseInt(kv[1]);
                case "batches" -> batches = kv[1];
                case "big" -> big = Boolean.parseBoolean(kv[1]);
                case "decode" -> decode = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException(a);
            }
        }
        VectorSpecies<Float> species = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        System.out.printf("vector bits %d, cpus %d%n", bits, Runtime.getRuntime().availableProcessors());
        if (decode) {
            for (String t : types.split(","))
                for (String th : threads.split(",")) decode(GGMLType.valueOf(t), Integer.parseInt(th), species);
            return;
        }
        try (Arena arena = Arena.ofShared()) {
            for (String t : types.split(",")) {
                GGMLType type = GGMLType.valueOf(t);
                int[][] shapes = big ? new int[][] {{4864, 896}, {151936, 896}} : new int[][] {{4864, 896}};
                for (int[] shape : shapes) {
                    shape[1] = (shape[1] + type.blockSize - 1) / type.blockSize * type.blockSize; // K-quants: 1024
                    WeightMatrix w = WeightMatrix.of(type, random(arena, type, shape[0], shape[1]), shape[0], shape[1], species);
                    for (String th : threads.split(",")) {
                        try (Parallel pool = new Parallel(Integer.parseInt(th))) {
                            double base = 0;
                            for (String bs : batches.split(",")) {
                                int batch = Integer.parseInt(bs);
                                double sec = time(w, batch, pool);
                                if (batch == 1) base = sec;
                                System.out.printf("%-5s %6dx%-4d threads %s batch %d: %8.3f ms  %6.1f GB/s%s%n", type, shape[0], shape[1], th, batch,
                                        sec * 1e3, w.data().byteSize() / sec / 1e9, base > 0 ? String.format("  (%.2fx batch 1)", sec / base) : "");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * All matvecs of one decode step of a Qwen2.5-0.5B-shaped model (24 layers of q 896x896, k and v
     * 128x896, o 896x896, gate and up 4864x896, down 896x4864, then the 151936x896 output head): 169
     * calls, each layer's weights in their own memory like a real model file.
     */
    private static void decode(GGMLType type, int threads, VectorSpecies<Float> species) {
        int[][] layer = {{896, 896}, {128, 896}, {128, 896}, {896, 896}, {4864, 896}, {4864, 896}, {896, 4864}};
        try (Arena arena = Arena.ofShared(); Parallel pool = new Parallel(threads)) {
            java.util.List<WeightMatrix> ms = new java.util.ArrayList<>();
            for (int l = 0; l < 24; l++)
                for (int[] s : layer) ms.add(WeightMatrix.of(type, random(arena, type, s[0], s[1]), s[0], s[1], species));
            ms.add(WeightMatrix.of(type, random(arena, type, 151936, 896), 151936, 896, species));
            long bytes = 0;
            for (WeightMatrix m : ms) bytes += m.data().byteSize();
            float[] x = new float[4864], out = new float[151936];
            java.util.Arrays.fill(x, 0.5f);
            double best = Double.MAX_VALUE;
            long end = System.nanoTime() + 3_000_000_000L;
            for (int i = 0; i < 5 || System.nanoTime() < end; i++) {
                long t0 = System.nanoTime();
                for (WeightMatrix m : ms) m.matvec(x, out, pool);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            double head = Double.MAX_VALUE, layers = Double.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < ms.size() - 1; k++) ms.get(k).matvec(x, out, pool);
                long t1 = System.nanoTime();
                ms.getLast().matvec(x, out, pool);
                long t2 = System.nanoTime();
                layers = Math.min(layers, (t1 - t0) / 1e9);
                head = Math.min(head, (t2 - t1) / 1e9);
            }
            System.out.printf("  layers %.2f ms (%.1f GB/s), head %.2f ms (%.1f GB/s)%n", layers * 1e3,
                    (bytes - ms.getLast().data().byteSize()) / layers / 1e9, head * 1e3, ms.getLast().data().byteSize() / head / 1e9);
            System.out.printf("decode step %s threads %d: %.2f ms (%.1f tokens/s), %.0f MB, %.1f GB/s%n", type, threads, best * 1e3,
                    1 / best, bytes / 1e6, bytes / best / 1e9);
        }
    }

    /** Best-of timing of one matmul call (at least ~0.5 s of repeats after warm-up). */
    private static double time(WeightMatrix w, int batch, Parallel pool) {
        float[] x = new float[batch * w.cols()], out = new float[batch * w.rows()];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) w.matmul(x, batch, out, pool);
        double best = Double.MAX_VALUE;
        end = System.nanoTime() + 500_000_000L;
        for (int i = 0; i < 5 || System.nanoTime() < end; i++) {
            long t0 = System.nanoTime();
            w.matmul(x, batch, out, pool);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    /** A native segment holding {@code rows x cols} random values of {@code type} (a 256-row tile repeated). */
    static MemorySegment random(Arena arena, GGMLType type, int rows, int cols) {
        int tileRows = Math.min(rows, 256);
        float[] v = new float[tileRows * cols];
        Random r = new Random(42);
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian() * 0.02f;
        MemorySegment tile = MemorySegment.ofArray(Quantizer.quantize(type, v));
        MemorySegment seg = arena.allocate(type.byteSize((long) rows * cols), 64);
        for (long off = 0; off < seg.byteSize(); off += tile.byteSize())
            MemorySegment.copy(tile, 0, seg, off, Math.min(tile.byteSize(), seg.byteSize() - off));
        return seg;
    }
}
