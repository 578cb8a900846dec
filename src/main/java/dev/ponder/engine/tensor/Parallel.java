package dev.ponder.engine.tensor;

import dev.ponder.engine.PonderException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fork-join for loops over a range of indices, built for many short calls (decoding one token
 * runs ~170 matrix-vector products). The calling thread works too; {@code threads - 1} daemon workers
 * spin briefly after each job (so the next one starts without a wake-up) and then park. Work is handed
 * out in chunks from a shared counter, so a worker that the OS delays simply takes fewer chunks.
 *
 * <p>One job runs at a time: concurrent callers take turns, and a call made from inside a running job
 * (nested parallelism) runs inline on the calling thread.
 */
public final class Parallel implements AutoCloseable {
    /** The body of a parallel loop: handles the indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /** How long an idle worker spins before parking, in nanoseconds. */
    private static final long SPIN_NANOS = 200_000;

    private static volatile Parallel common;

    /**
     * The shared pool: {@code -Dponder.threads=N} threads if set, otherwise one per available processor.
     */
    public static Parallel common() {
        Parallel p = common;
        if (p == null) {
            synchronized (Parallel.class) {
                if ((p = common) == null)
                    common = p = new Parallel(Integer.getInteger("ponder.threads", Runtime.getRuntime().availableProcessors()));
            }
        }
        return p;
    }

    /** Replaces the shared pool by one with {@code threads} threads (the old one is closed). */
    public static void setCommonThreads(int threads) {
        synchronized (Parallel.class) {
            Parallel old = common;
            common = new Parallel(threads);
            if (old != null) old.close();
        }
    }

    private final int threads;
    private final Worker[] workers;
    private volatile Job job;
    private volatile boolean closed;
    private Thread running; // the thread whose job is in progress; guarded by this

    /** A pool that runs loops on {@code threads} threads (the caller plus {@code threads - 1} workers). */
    public Parallel(int threads) {
        if (threads < 1) throw new PonderException("thread count must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, "ponder-worker-" + (i + 1));
            workers[i].start();
        }
    }

    /** Number of threads that share a loop (including the caller). */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, n)} in chunks of at least {@code grain} indices (the last may be
     * shorter) and returns when all are done. Chunks shrink as the range runs out (guided scheduling): each
     * claims {@code remaining / (2 * threads)} indices, but not fewer than {@code grain}, so the first chunks
     * are large (few claims) and the last ones small (the threads finish together instead of one waiting for
     * the other's last large chunk). An exception thrown by a chunk is rethrown here (the first one).
     */
    public void forRange(int n, int grain, RangeTask task) {
        if (n <= 0) return;
        grain = Math.max(1, grain);
        if (n <= grain || workers.length == 0 || closed || Thread.currentThread() instanceof Worker) {
            task.run(0, n);
            return;
        }
        synchronized (this) {
            if (running == Thread.currentThread()) { // nested call from the caller's own chunk
                task.run(0, n);
                return;
            }
            running = Thread.currentThread();
            try {
                Job j = new Job(task, n, grain, 2 * threads);
                job = j;
                for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
                j.work();
                j.awaitDone();
                Throwable e = j.error;
                if (e instanceof RuntimeException re) throw re;
                if (e instanceof Error er) throw er;
                if (e != null) throw new IllegalStateException(e);
            } finally {
                running = null;
            }
        }
    }

    /** Stops the workers (they finish any job they are in). */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }

    /**
     * One call of {@link #forRange}: chunks are claimed from {@code next} (the first unclaimed index), their
     * indices counted off in {@code done}.
     */
    private static final class Job {
        final RangeTask task;
        final int n, grain, divisor;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable error;

        Job(RangeTask task, int n, int grain, int divisor) {
            this.task = task;
            this.n = n;
            this.grain = grain;
            this.divisor = divisor;
        }

        /** Claims and runs chunks until none are left. */
        void work() {
            for (int from; (from = next.get()) < n; ) {
                int to = (int) Math.min(n, (long) from + Math.max(grain, (n - from) / divisor));
                if (!next.compareAndSet(from, to)) continue; // another thread claimed from here first
                try {
                    if (error == null) task.run(from, to);
                } catch (Throwable t) {
                    if (error == null) error = t;
                } finally {
                    done.addAndGet(to - from);
                }
            }
        }

        /** Waits (spinning, then yielding) until every index has been done. */
        void awaitDone() {
            for (int spins = 0; done.get() < n; spins++) {
                if (spins < 10_000) Thread.onSpinWait();
                else Thread.yield();
            }
        }
    }

    private static final class Worker extends Thread {
        private final Parallel pool;
        volatile boolean parked;

        Worker(Parallel pool, String name) {
            super(name);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job last = null;
            while (!pool.closed) {
                Job j = pool.job;
                if (j != last) {
                    j.work();
                    last = j;
                    continue;
                }
                long until = System.nanoTime() + SPIN_NANOS;
                while ((j = pool.job) == last && !pool.closed && System.nanoTime() < until) Thread.onSpinWait();
                if (j != last || pool.closed) continue;
                parked = true;
                if (pool.job == last && !pool.closed) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
