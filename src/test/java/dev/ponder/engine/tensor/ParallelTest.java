package dev.ponder.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ponder.engine.PonderException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnce() {
        try (Parallel p = new Parallel(3)) {
            for (int n : new int[] {1, 7, 100, 1001}) {
                for (int grain : new int[] {1, 3, 64, 5000}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    for (int rep = 0; rep < 20; rep++) p.forRange(n, grain, (from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(20, hits.get(i), "n=" + n + " grain=" + grain + " index " + i);
                }
            }
        }
    }

    @Test
    void chunksRespectTheGrain() {
        try (Parallel p = new Parallel(2)) {
            p.forRange(100, 30, (from, to) -> {
                if (from % 30 != 0 || to - from > 30 || (to - from < 30 && to != 100))
                    throw new AssertionError("chunk [" + from + ", " + to + ")");
            });
        }
    }

    @Test
    void firstExceptionIsRethrownToTheCaller() {
        try (Parallel p = new Parallel(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.forRange(64, 1, (from, to) -> {
                if (from == 40) throw boom;
            }));
            assertSame(boom, e);
            // the pool still works afterwards
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            p.forRange(10, 1, (from, to) -> hits.incrementAndGet(from));
            for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test
    void nestedCallsRunInline() {
        try (Parallel p = new Parallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(16 * 16);
            p.forRange(16, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int outer = i;
                    p.forRange(16, 1, (f2, t2) -> {
                        for (int j = f2; j < t2; j++) hits.incrementAndGet(outer * 16 + j);
                    });
                }
            });
            for (int i = 0; i < 256; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThrows(PonderException.class, () -> new Parallel(0));
    }
}
