package dev.ponder.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
    void chunksShrinkTowardsTheGrain() {
        try (Parallel p = new Parallel(2)) {
            java.util.concurrent.ConcurrentSkipListMap<Integer, Integer> chunks = new java.util.concurrent.ConcurrentSkipListMap<>();
            p.forRange(1000, 30, (from, to) -> chunks.put(from, to));
            int expectFrom = 0, last = Integer.MAX_VALUE;
            for (var c : chunks.entrySet()) {
                int from = c.getKey(), to = c.getValue(), size = to - from;
                assertEquals(expectFrom, from, "chunks tile the range");
                assertTrue(size >= 30 || to == 1000, "chunk [" + from + ", " + to + ") smaller than the grain");
                assertTrue(size <= last, "chunk [" + from + ", " + to + ") larger than the one before");
                expectFrom = to;
                last = size;
            }
            assertEquals(1000, expectFrom);
            assertEquals(250, chunks.firstEntry().getValue(), "the first chunk takes a quarter (2 threads)");
            assertTrue(chunks.size() < 1000 / 30, "fewer claims than fixed chunks of the grain: " + chunks.size());
        }
    }

    @Test
    void firstExceptionIsRethrownToTheCaller() {
        try (Parallel p = new Parallel(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.forRange(64, 1, (from, to) -> {
                if (from <= 40 && 40 < to) throw boom; // the chunk holding index 40
            }));
            assertSame(boom, e);
            // the pool still works afterwards
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            p.forRange(10, 1, (from, to) -> {
                for (int i = from; i < to; i++) hits.incrementAndGet(i);
            });
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
