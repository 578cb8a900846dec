package dev.ponder.engine.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeBenchTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, DecodeBench.median(new double[] {3, 1, 2}));
        assertEquals(2.5, DecodeBench.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void timesEveryBatchSizeEachRoundAndReleasesItsForks(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tiny.gguf");
        SyntheticModel.write(SyntheticModel.TINY, GGMLType.Q8_0, 1, f);
        try (Model m = Model.load(f); Sequence root = m.newSequence()) {
            m.prefill(root, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
            int blocks = m.cache().blocksInUse();
            assertTrue(DecodeBench.warmUp(m, root, List.of(1, 3), 2, 0) >= 1);
            DecodeBench.Batched b = DecodeBench.batched(m, root, List.of(1, 3), 3, 4);
            assertEquals(List.of(1, 3), List.copyOf(b.msPerStep().keySet()));
            for (double[] xs : b.msPerStep().values()) {
                assertEquals(4, xs.length);
                for (double x : xs) assertTrue(x > 0);
            }
            assertEquals(b.median(3) / b.median(1), b.ratioToSingle(3), 1e-12);
            assertEquals(17, root.length(), "the root is only forked");
            assertEquals(blocks, m.cache().blocksInUse(), "every fork released");

            DecodeBench.Consult c = DecodeBench.consult(m, new int[] {5, 6, 7, 8, 9}, 3, new int[] {2, 5}, 3);
            assertEquals(5, c.promptTokens());
            for (double[][] t : new double[][][] {c.greedyMs(), c.consultMs()})
                for (int r = 0; r < 3; r++) assertTrue(t[0][r] > 0 && t[1][r] > t[0][r], "times are cumulative over steps");
            assertTrue(c.ratio(1) > 0);
            assertEquals(blocks, m.cache().blocksInUse(), "every consultation sequence released");
        }
    }
}
