package dev.ponder.engine.tensor.bench;

import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.tensor.Parallel;
import dev.ponder.engine.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH version of {@link MatvecBench}: time of one matmul of a {@code rows x 896} matrix. Weight bytes /
 * time = streamed GB/s. Run with
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:<jmh jars> org.openjdk.jmh.Main MatvecJmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatvecJmh {
    @Param({"Q8_0", "Q4_0", "Q4_K", "Q6_K", "F16"})
    public String type;

    @Param({"4864", "151936"})
    public int rows;

    @Param({"1", "8"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Parallel pool;
    private WeightMatrix w;
    private float[] x, out;

    @Setup(Level.Trial)
    public void setUp() {
        GGMLType t = GGMLType.valueOf(type);
        int cols = (896 + t.blockSize - 1) / t.blockSize * t.blockSize;
        arena = Arena.ofShared();
        pool = new Parallel(threads);
        w = WeightMatrix.of(t, MatvecBench.random(arena, t, rows, cols), rows, cols);
        x = new float[batch * cols];
        out = new float[batch * rows];
        for (int i = 0; i < x.length; i++) x[i] = (i % 17) * 0.1f - 0.8f;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] matmul() {
        w.matmul(x, batch, out, pool);
        return out;
    }
}
