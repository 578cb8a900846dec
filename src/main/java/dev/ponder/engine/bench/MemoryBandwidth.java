package dev.ponder.engine.bench;

/**
 * A STREAM-like triad, {@code a[i] = b[i] + s·c[i]} over arrays far larger than the caches, timed with 1..n
 * threads: the machine's sustainable memory bandwidth, the roofline for decoding (which streams weights).
 * Counts 3 × 8 bytes per element as STREAM does.
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {}

    /** Best-of-{@code repeats} triad bandwidth in GB/s with {@code threads} threads over {@code elements} doubles per array. */
    public static double triad(int threads, int elements, int repeats) throws InterruptedException {
        double[] a = new double[elements], b = new double[elements], c = new double[elements];
        java.util.Arrays.fill(b, 1.0);
        java.util.Arrays.fill(c, 2.0);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            Thread[] ts = new Thread[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) elements * t / threads), to = (int) ((long) elements * (t + 1) / threads);
                ts[t] = new Thread(() -> {
                    for (int i = from; i < to; i++) a[i] = b[i] + 3.0 * c[i];
                });
                ts[t].start();
            }
            for (Thread t : ts) t.join();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        if (a[elements / 2] != 7.0) throw new AssertionError("triad computed a wrong value");
        return 3.0 * 8 * elements / best / 1e9;
    }
}
