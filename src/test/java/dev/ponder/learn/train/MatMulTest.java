package dev.ponder.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The blocked, vectorised, threaded kernels against the plain loops, and their thread-count independence. */
class MatMulTest {
    private final SplittableRandom rnd = new SplittableRandom(1);

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private float[] rand(int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }

    private static void close(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), what + " at " + i);
    }

    @Test
    void fastKernelsMatchPlainLoops() {
        for (int[] s : new int[][] {{1, 16, 16}, {3, 5, 7}, {13, 64, 172}, {64, 172, 64}, {130, 96, 259}, {256, 64, 200}}) {
            int n = s[0], in = s[1], out = s[2];
            float[] x = rand(n * in), w = rand(out * in), dy = rand(n * out);
            float[] y1 = new float[n * out], y2 = new float[n * out];
            MatMulPlain.forward(x, w, y1, n, in, out);
            MatMul.forward(x, w, y2, n, in, out);
            close(y1, y2, 1e-5, "forward " + n + "x" + in + "x" + out);
            float[] dx1 = rand(n * in), dx2 = dx1.clone(); // accumulate onto existing values
            MatMulPlain.backwardInput(dy, w, dx1, n, in, out);
            MatMul.backwardInput(dy, w, dx2, n, in, out);
            close(dx1, dx2, 1e-5, "backwardInput");
            float[] dw1 = rand(out * in), dw2 = dw1.clone();
            MatMulPlain.backwardWeight(dy, x, dw1, n, in, out);
            MatMul.backwardWeight(dy, x, dw2, n, in, out);
            close(dw1, dw2, 1e-5, "backwardWeight");
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        int n = 200, in = 96, out = 172;
        float[] x = rand(n * in), w = rand(out * in), dy = rand(n * out);
        float[][] results = new float[3][];
        for (int t = 1; t <= 2; t++) {
            Parallel.setThreads(t == 1 ? 1 : 3); // 3 threads cut the rows at different places than 1
            float[] y = new float[n * out], dx = new float[n * in], dw = new float[out * in];
            MatMul.forward(x, w, y, n, in, out);
            MatMul.backwardInput(dy, w, dx, n, in, out);
            MatMul.backwardWeight(dy, x, dw, n, in, out);
            if (t == 1) results = new float[][] {y, dx, dw};
            else {
                assertArrayEquals(results[0], y);
                assertArrayEquals(results[1], dx);
                assertArrayEquals(results[2], dw);
            }
        }
    }
}
