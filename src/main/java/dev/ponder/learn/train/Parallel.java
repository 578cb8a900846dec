package dev.ponder.learn.train;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges across a fixed pool of worker threads. Work is divided into contiguous chunks and every
 * output element is computed by exactly one thread in a fixed order, so results do not depend on the thread
 * count (training is bit-for-bit reproducible on any machine with the same vector width).
 */
public final class Parallel {
    /** A body that handles indices {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static volatile ForkJoinPool pool;
    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private Parallel() {}

    /** Sets the number of worker threads (default: available processors). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1");
        if (n == threads && pool != null) return;
        threads = n;
        ForkJoinPool old = pool;
        pool = null;
        if (old != null) old.shutdown();
    }

    public static int threads() {
        return threads;
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    pool = new ForkJoinPool(threads, f -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(f);
                        t.setDaemon(true);
                        t.setName("ponder-train-" + t.getPoolIndex());
                        return t;
                    }, null, false);
                }
                p = pool;
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into chunks whose boundaries are multiples of {@code align}.
     * {@code work} estimates the total cost in flops; small jobs run on the calling thread.
     */
    public static void forRange(int n, int align, long work, Range body) {
        int t = threads;
        if (t == 1 || n <= align || work < 200_000) {
            body.run(0, n);
            return;
        }
        int units = (n + align - 1) / align;
        int chunks = Math.min(units, t * 4);
        ForkJoinPool p = pool();
        if (ForkJoinTask.getPool() == p) { // already inside a worker: do not nest
            body.run(0, n);
            return;
        }
        p.invoke(new Split(body, n, align, units, 0, chunks, chunks));
    }

    private static final class Split extends RecursiveAction {
        final Range body;
        final int n, align, units, lo, hi, chunks;

        Split(Range body, int n, int align, int units, int lo, int hi, int chunks) {
            this.body = body;
            this.n = n;
            this.align = align;
            this.units = units;
            this.lo = lo;
            this.hi = hi;
            this.chunks = chunks;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                int from = (int) ((long) units * lo / chunks) * align;
                int to = Math.min(n, (int) ((long) units * (lo + 1) / chunks) * align);
                if (from < to) body.run(from, to);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Split(body, n, align, units, lo, mid, chunks), new Split(body, n, align, units, mid, hi, chunks));
        }
    }
}
