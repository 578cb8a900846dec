package dev.ponder.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every fast kernel against its scalar reference, at 128-, 256- and 512-bit vectors: single-row dot,
 * matvec and matmul (batches 1, 3, 5, 6: every group size of the 4-wide batch kernel; 8 and 11: Q8_0's 8-input tile, which
 * only a matrix too large for the cache takes) on one and three threads, and each batched result equal to the single-row dot bit for bit.
 *
 * <p>Tolerance: |fast - reference| <= 5e-5 * sum_i |w_i x_i| (float rounding of two different summation
 * orders over at most a few thousand terms is far below this; one wrong element is ~1e-3 of the sum).
 */
class KernelConformanceTest {
    static final double TOL = 5e-5;
    private static final Parallel POOL3 = new Parallel(3);

    @AfterAll
    static void closePool() {
        POOL3.close();
    }

    static Stream<Arguments> cases() {
        return types().flatMap(t -> Stream.of(128, 256, 512).map(bits -> Arguments.of(t, bits)));
    }

    static VectorSpecies<Float> species(int bits) {
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    /** A random matrix; columns not a multiple of the vector width for the float formats (tail loops). */
    static WeightMatrix matrix(GGMLType t, int rows, int cols, int bits, long seed) {
        Random r = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * (1 + (i / 64) % 3)); // varied block ranges
        return WeightMatrix.of(t, MemorySegment.ofArray(Quantizer.quantize(t, v)), rows, cols, species(bits));
    }

    static int colsFor(GGMLType t) {
        return t.blockSize == 1 ? 517 : 2 * 256 + (t.blockSize == 32 ? 64 : 0);
    }

    static float[] input(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** sum_i |W[row][i] * x[off + i]|, the scale of a dot product's rounding error. */
    static double magnitude(WeightMatrix w, int row, float[] x, int off) {
        float[] wr = new float[w.cols()];
        w.dequantizeRow(row, wr, 0);
        double s = 0;
        for (int i = 0; i < wr.length; i++) s += Math.abs((double) wr[i] * x[off + i]);
        return s;
    }

    @ParameterizedTest(name = "{0} at {1} bits")
    @MethodSource("cases")
    void dotMatchesReference(GGMLType t, int bits) {
        int rows = 7, cols = colsFor(t);
        WeightMatrix w = matrix(t, rows, cols, bits, 11);
        assertEquals(bits, w.species().vectorBitSize());
        assertEquals(t, w.type());
        float[] x = input(cols + 3, 5);
        for (int row = 0; row < rows; row++) {
            for (int off : new int[] {0, 3}) {
                double ref = w.dotReference(row, x, off), fast = w.dot(row, x, off);
                double tol = TOL * magnitude(w, row, x, off);
                assertEquals(ref, fast, tol, t + " row " + row + " offset " + off);
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1} bits")
    @MethodSource("cases")
    void matvecAndMatmulMatchReference(GGMLType t, int bits) {
        int rows = 13, cols = colsFor(t);
        WeightMatrix w = matrix(t, rows, cols, bits, 12);
        for (int batch : new int[] {1, 3, 5, 6, 8, 11}) { // dotBatch groups of 1, 2, 3 and 4; 8 and 11 as groups of four (in cache)
            float[] x = input(batch * cols, batch);
            float[] ref = new float[batch * rows], one = new float[batch * rows], three = new float[batch * rows];
            w.matmulReference(x, batch, ref);
            w.matmul(x, batch, one, new Parallel(1));
            w.matmul(x, batch, three, POOL3);
            for (int b = 0; b < batch; b++)
                for (int r = 0; r < rows; r++) {
                    double tol = TOL * magnitude(w, r, x, b * cols);
                    int i = b * rows + r;
                    assertEquals(ref[i], one[i], tol, t + " batch " + batch + " b " + b + " row " + r);
                    assertEquals(one[i], three[i], 0.0, "thread count must not change results");
                    assertEquals(w.dot(r, x, b * cols), one[i], 0.0, "a batch must not change results (" + t + " batch " + batch + ")");
                }
            if (batch == 1) {
                float[] mv = new float[rows];
                w.matvec(x, mv, POOL3);
                for (int r = 0; r < rows; r++) assertEquals(one[r], mv[r], 0.0);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void q8MatrixStreamedFromMemoryTakesEightInputsAtOnceWithTheSameResults(int bits) {
        // above TILE_MAX_BYTES a batch of 8..15 runs the one-row, eight-input tile (a matrix in cache runs groups of four)
        int cols = 1024, rows = (int) (Q8_0Matrix.TILE_MAX_BYTES / (cols / 32 * 34)) + 5;
        WeightMatrix w = matrix(GGMLType.Q8_0, rows, cols, bits, 14);
        assertTrue((long) rows * (cols / 32 * 34) > Q8_0Matrix.TILE_MAX_BYTES);
        for (int batch : new int[] {8, 11}) {
            float[] x = input(batch * cols, batch), one = new float[batch * rows], three = new float[batch * rows];
            w.matmul(x, batch, one, new Parallel(1));
            w.matmul(x, batch, three, POOL3);
            for (int b = 0; b < batch; b++)
                for (int r = 0; r < rows; r += 7) {
                    int i = b * rows + r;
                    assertEquals(w.dotReference(r, x, b * cols), one[i], TOL * magnitude(w, r, x, b * cols), "batch " + batch + " b " + b + " row " + r);
                    assertEquals(w.dot(r, x, b * cols), one[i], 0.0, "a batch must not change results (batch " + batch + ")");
                    assertEquals(one[i], three[i], 0.0, "thread count must not change results");
                }
        }
    }

    static Stream<GGMLType> types() {
        return Stream.of(GGMLType.F32, GGMLType.F16, GGMLType.BF16, GGMLType.Q8_0, GGMLType.Q4_0, GGMLType.Q4_K, GGMLType.Q6_K);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void largeMatvecIsSplitAcrossThreads(GGMLType t) {
        int bits = VectorWidth.DEFAULT.vectorBitSize();
        int cols = t.blockSize == 1 ? 256 : 512, rows = 600; // > 64 KiB of weights: the pool is used
        WeightMatrix w = matrix(t, rows, cols, bits, 13);
        float[] x = input(cols, 9), ref = new float[rows], out = new float[rows];
        w.matmulReference(x, 1, ref);
        w.matvec(x, out, POOL3);
        for (int r = 0; r < rows; r++) assertEquals(ref[r], out[r], TOL * magnitude(w, r, x, 0), "row " + r);
    }
}
