package dev.ponder.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ponder.engine.gguf.GGMLType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A result must not depend on what it is batched with: for every format and vector width, each input's
 * outputs from {@link WeightMatrix#matmul} at batch sizes 1..9, in every slot, on one and on three
 * threads, are bit-identical to {@link WeightMatrix#matvec} of that input alone (and to {@link
 * WeightMatrix#dot}). Serving relies on this: a sequence's logits must not change when other requests
 * join or leave its batch.
 */
class BatchInvarianceTest {
    private static final Parallel ONE = new Parallel(1), THREE = new Parallel(3);
    private static final int INPUTS = 9;

    @AfterAll
    static void closePools() {
        ONE.close();
        THREE.close();
    }

    /** Odd tails everywhere: float rows not a multiple of any vector width, an odd count of 32-blocks. */
    static int cols(GGMLType t) {
        return switch (t.blockSize) {
            case 1 -> 517;
            case 32 -> 17 * 32;
            default -> 2 * 256;
        };
    }

    @ParameterizedTest(name = "{0} at {1} bits")
    @MethodSource("dev.ponder.engine.tensor.KernelConformanceTest#cases")
    void batchedResultsEqualSingleResults(GGMLType t, int bits) {
        int cols = cols(t), rows = 257; // > 64 KiB of weights for every format: THREE really splits the rows
        WeightMatrix w = KernelConformanceTest.matrix(t, rows, cols, bits, 21);
        float[][] inputs = new float[INPUTS][];
        float[][] alone = new float[INPUTS][rows];
        for (int v = 0; v < INPUTS; v++) {
            inputs[v] = KernelConformanceTest.input(cols, 100 + v);
            w.matvec(inputs[v], alone[v], ONE);
            float[] threaded = new float[rows];
            w.matvec(inputs[v], threaded, THREE);
            for (int r = 0; r < rows; r++) {
                assertBits(alone[v][r], threaded[r], t + " matvec on three threads, row " + r);
                assertBits(alone[v][r], w.dot(r, inputs[v], 0), t + " dot, row " + r);
            }
        }
        for (int batch = 1; batch <= INPUTS; batch++) {
            int shift = 2 * batch; // inputs land in different slots at different batch sizes
            float[] x = new float[batch * cols];
            for (int k = 0; k < batch; k++) System.arraycopy(inputs[(k + shift) % INPUTS], 0, x, k * cols, cols);
            for (Parallel pool : new Parallel[] {ONE, THREE}) {
                float[] out = new float[batch * rows];
                w.matmul(x, batch, out, pool);
                for (int k = 0; k < batch; k++) {
                    int v = (k + shift) % INPUTS;
                    for (int r = 0; r < rows; r++)
                        assertBits(alone[v][r], out[k * rows + r], t + " batch " + batch + " slot " + k + " row " + r
                                + " threads " + pool.threads());
                }
            }
        }
    }

    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> what + ": " + expected + " vs " + actual);
    }
}
