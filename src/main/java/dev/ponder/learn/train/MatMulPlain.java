package dev.ponder.learn.train;

/** Plain triple loops with the same contracts as {@link MatMul}; the reference the fast kernels are tested against. */
public final class MatMulPlain {
    private MatMulPlain() {}

    /** {@code y[n][out] = x[n][in] · w[out][in]ᵀ}. */
    public static void forward(float[] x, float[] w, float[] y, int n, int in, int out) {
        for (int r = 0; r < n; r++)
            for (int c = 0; c < out; c++) {
                float s = 0;
                for (int i = 0; i < in; i++) s += x[r * in + i] * w[c * in + i];
                y[r * out + c] = s;
            }
    }

    /** {@code dx[n][in] += dy[n][out] · w[out][in]}. */
    public static void backwardInput(float[] dy, float[] w, float[] dx, int n, int in, int out) {
        for (int r = 0; r < n; r++)
            for (int c = 0; c < out; c++) {
                float g = dy[r * out + c];
                for (int i = 0; i < in; i++) dx[r * in + i] += g * w[c * in + i];
            }
    }

    /** {@code dw[out][in] += dy[n][out]ᵀ · x[n][in]}. */
    public static void backwardWeight(float[] dy, float[] x, float[] dw, int n, int in, int out) {
        for (int r = 0; r < n; r++)
            for (int c = 0; c < out; c++) {
                float g = dy[r * out + c];
                for (int i = 0; i < in; i++) dw[c * in + i] += g * x[r * in + i];
            }
    }
}
