package dev.ponder.learn.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three matrix products of a linear layer {@code y = x·Wᵀ}, blocked for cache, register-tiled with
 * {@link FloatVector} FMA and split across {@link Parallel} threads. All matrices are row-major float arrays.
 *
 * <ul>
 *   <li>{@link #forward}: {@code y[n][out] = x[n][in] · w[out][in]ᵀ}</li>
 *   <li>{@link #backwardInput}: {@code dx[n][in] += dy[n][out] · w[out][in]}</li>
 *   <li>{@link #backwardWeight}: {@code dw[out][in] += dy[n][out]ᵀ · x[n][in]}</li>
 * </ul>
 *
 * Every element is accumulated in the same order whichever tile or thread computes it, so results are
 * independent of the thread count. {@link MatMulPlain} holds the plain loops these are tested against.
 */
public final class MatMul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of w (outputs) handled per cache block in {@link #forward}. */
    private static final int OUT_BLOCK = 64;
    /** Columns per cache block in the accumulate kernel: a {@code k × COL_BLOCK} strip of b stays in L2. */
    private static final int COL_BLOCK = 4 * 16;

    private MatMul() {}

    /** Floating-point operations of one forward product (each backward product costs the same). */
    public static long flops(int n, int in, int out) {
        return 2L * n * in * out;
    }

    /** {@code y[n][out] = x[n][in] · w[out][in]ᵀ} (y is overwritten). */
    public static void forward(float[] x, float[] w, float[] y, int n, int in, int out) {
        check(x, (long) n * in, w, (long) out * in, y, (long) n * out);
        long work = flops(n, in, out);
        if (n >= 4 * Parallel.threads()) Parallel.forRange(n, 4, work, (r0, r1) -> forwardBlock(x, w, y, in, out, r0, r1, 0, out));
        else Parallel.forRange(out, 4, work, (c0, c1) -> forwardBlock(x, w, y, in, out, 0, n, c0, c1));
    }

    /** {@code dx[n][in] += dy[n][out] · w[out][in]}. */
    public static void backwardInput(float[] dy, float[] w, float[] dx, int n, int in, int out) {
        check(dy, (long) n * out, w, (long) out * in, dx, (long) n * in);
        accumulateAB(dy, w, dx, n, out, in);
    }

    /**
     * {@code dw[out][in] += dy[n][out]ᵀ · x[n][in]}. {@code scratch} (at least {@code n·out} floats, or null to
     * allocate) receives the transpose of dy.
     */
    public static void backwardWeight(float[] dy, float[] x, float[] dw, int n, int in, int out, float[] scratch) {
        check(dy, (long) n * out, x, (long) n * in, dw, (long) out * in);
        float[] dyT = scratch != null && scratch.length >= n * out ? scratch : new float[n * out];
        transpose(dy, dyT, n, out);
        accumulateAB(dyT, x, dw, out, n, in);
    }

    /** {@code t[cols][rows] = a[rows][cols]ᵀ}, in cache-sized tiles. */
    static void transpose(float[] a, float[] t, int rows, int cols) {
        final int B = 32;
        for (int r0 = 0; r0 < rows; r0 += B)
            for (int c0 = 0; c0 < cols; c0 += B) {
                int r1 = Math.min(rows, r0 + B), c1 = Math.min(cols, c0 + B);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) t[c * rows + r] = a[r * cols + c];
            }
    }

    // ---------------------------------------------------------------------------------------------
    // y = x·wᵀ: each output is a dot product of two contiguous rows. 4×4 register tile: 16 vector
    // accumulators fed by 4 x loads and 4 w loads per step.

    private static void forwardBlock(float[] x, float[] w, float[] y, int in, int out, int r0, int r1, int c0, int c1) {
        for (int cb = c0; cb < c1; cb += OUT_BLOCK) {
            int cEnd = Math.min(c1, cb + OUT_BLOCK);
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
                int c = cb;
                for (; c + 4 <= cEnd; c += 4) dot4x4(x, w, y, in, out, r, c);
                for (; c < cEnd; c++) for (int rr = r; rr < r + 4; rr++) y[rr * out + c] = dot(x, rr * in, w, c * in, in);
            }
            for (; r < r1; r++)
                for (int c = cb; c < cEnd; c++) y[r * out + c] = dot(x, r * in, w, c * in, in);
        }
    }

    /** One dot product, accumulated exactly as each lane of {@link #dot4x4} accumulates. */
    private static float dot(float[] a, int ao, float[] b, int bo, int len) {
        int upper = S.loopBound(len);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < upper; i += L)
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (int i = upper; i < len; i++) s = Math.fma(a[ao + i], b[bo + i], s);
        return s;
    }

    private static void dot4x4(float[] x, float[] w, float[] y, int in, int out, int r, int c) {
        int upper = S.loopBound(in);
        int x0 = r * in, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
        int w0 = c * in, w1 = w0 + in, w2 = w1 + in, w3 = w2 + in;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int i = 0; i < upper; i += L) {
            FloatVector v0 = FloatVector.fromArray(S, w, w0 + i);
            FloatVector v1 = FloatVector.fromArray(S, w, w1 + i);
            FloatVector v2 = FloatVector.fromArray(S, w, w2 + i);
            FloatVector v3 = FloatVector.fromArray(S, w, w3 + i);
            FloatVector u = FloatVector.fromArray(S, x, x0 + i);
            a00 = u.fma(v0, a00); a01 = u.fma(v1, a01); a02 = u.fma(v2, a02); a03 = u.fma(v3, a03);
            u = FloatVector.fromArray(S, x, x1 + i);
            a10 = u.fma(v0, a10); a11 = u.fma(v1, a11); a12 = u.fma(v2, a12); a13 = u.fma(v3, a13);
            u = FloatVector.fromArray(S, x, x2 + i);
            a20 = u.fma(v0, a20); a21 = u.fma(v1, a21); a22 = u.fma(v2, a22); a23 = u.fma(v3, a23);
            u = FloatVector.fromArray(S, x, x3 + i);
            a30 = u.fma(v0, a30); a31 = u.fma(v1, a31); a32 = u.fma(v2, a32); a33 = u.fma(v3, a33);
        }
        store(y, r * out + c, a00, a01, a02, a03, x, x0, w, w0, in, upper);
        store(y, (r + 1) * out + c, a10, a11, a12, a13, x, x1, w, w0, in, upper);
        store(y, (r + 2) * out + c, a20, a21, a22, a23, x, x2, w, w0, in, upper);
        store(y, (r + 3) * out + c, a30, a31, a32, a33, x, x3, w, w0, in, upper);
    }

    /** Reduces four accumulators of one x row against four consecutive w rows and adds the scalar tails. */
    private static void store(float[] y, int yo, FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3,
                              float[] x, int xo, float[] w, int w0, int in, int upper) {
        FloatVector[] acc = {s0, s1, s2, s3};
        for (int j = 0; j < 4; j++) {
            float s = acc[j].reduceLanes(VectorOperators.ADD);
            int wo = w0 + j * in;
            for (int i = upper; i < in; i++) s = Math.fma(x[xo + i], w[wo + i], s);
            y[yo + j] = s;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // dst[m][c] += Σ_k a[m][k] · b[k][c]: each output row is a sum of b rows scaled by a broadcast.
    // 4 rows × 4 vectors = 16 accumulators per tile; a strip of b (k × COL_BLOCK) stays in L2.

    /** {@code dst[m][cols] += a[m][k] · b[k][cols]}, parallel over rows of dst. */
    public static void accumulateAB(float[] a, float[] b, float[] dst, int m, int k, int cols) {
        Parallel.forRange(m, 4, 2L * m * k * cols, (r0, r1) -> accumulateRows(a, b, dst, k, cols, r0, r1));
    }

    private static void accumulateRows(float[] a, float[] b, float[] dst, int k, int cols, int r0, int r1) {
        int vecCols = S.loopBound(cols);
        for (int cb = 0; cb < vecCols; cb += COL_BLOCK) {
            int cEnd = Math.min(vecCols, cb + COL_BLOCK);
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
                int c = cb;
                for (; c + 4 * L <= cEnd; c += 4 * L) axpy4x4(a, b, dst, k, cols, r, c);
                for (; c < cEnd; c += L) for (int rr = r; rr < r + 4; rr++) axpyVec(a, b, dst, k, cols, rr, c);
            }
            for (; r < r1; r++) for (int c = cb; c < cEnd; c += L) axpyVec(a, b, dst, k, cols, r, c);
        }
        for (int r = r0; r < r1; r++) // columns beyond the last whole vector
            for (int c = vecCols; c < cols; c++) {
                float s = dst[r * cols + c];
                for (int j = 0; j < k; j++) s = Math.fma(a[r * k + j], b[j * cols + c], s);
                dst[r * cols + c] = s;
            }
    }

    private static void axpyVec(float[] a, float[] b, float[] dst, int k, int cols, int r, int c) {
        int o = r * cols + c;
        FloatVector acc = FloatVector.fromArray(S, dst, o);
        for (int j = 0; j < k; j++)
            acc = FloatVector.broadcast(S, a[r * k + j]).fma(FloatVector.fromArray(S, b, j * cols + c), acc);
        acc.intoArray(dst, o);
    }

    private static void axpy4x4(float[] a, float[] b, float[] dst, int k, int cols, int r, int c) {
        int d0 = r * cols + c, d1 = d0 + cols, d2 = d1 + cols, d3 = d2 + cols;
        FloatVector s00 = FloatVector.fromArray(S, dst, d0), s01 = FloatVector.fromArray(S, dst, d0 + L);
        FloatVector s02 = FloatVector.fromArray(S, dst, d0 + 2 * L), s03 = FloatVector.fromArray(S, dst, d0 + 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, dst, d1), s11 = FloatVector.fromArray(S, dst, d1 + L);
        FloatVector s12 = FloatVector.fromArray(S, dst, d1 + 2 * L), s13 = FloatVector.fromArray(S, dst, d1 + 3 * L);
        FloatVector s20 = FloatVector.fromArray(S, dst, d2), s21 = FloatVector.fromArray(S, dst, d2 + L);
        FloatVector s22 = FloatVector.fromArray(S, dst, d2 + 2 * L), s23 = FloatVector.fromArray(S, dst, d2 + 3 * L);
        FloatVector s30 = FloatVector.fromArray(S, dst, d3), s31 = FloatVector.fromArray(S, dst, d3 + L);
        FloatVector s32 = FloatVector.fromArray(S, dst, d3 + 2 * L), s33 = FloatVector.fromArray(S, dst, d3 + 3 * L);
        int a0 = r * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        for (int j = 0; j < k; j++) {
            int bo = j * cols + c;
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L), b3 = FloatVector.fromArray(S, b, bo + 3 * L);
            FloatVector u = FloatVector.broadcast(S, a[a0 + j]);
            s00 = u.fma(b0, s00); s01 = u.fma(b1, s01); s02 = u.fma(b2, s02); s03 = u.fma(b3, s03);
            u = FloatVector.broadcast(S, a[a1 + j]);
            s10 = u.fma(b0, s10); s11 = u.fma(b1, s11); s12 = u.fma(b2, s12); s13 = u.fma(b3, s13);
            u = FloatVector.broadcast(S, a[a2 + j]);
            s20 = u.fma(b0, s20); s21 = u.fma(b1, s21); s22 = u.fma(b2, s22); s23 = u.fma(b3, s23);
            u = FloatVector.broadcast(S, a[a3 + j]);
            s30 = u.fma(b0, s30); s31 = u.fma(b1, s31); s32 = u.fma(b2, s32); s33 = u.fma(b3, s33);
        }
        s00.intoArray(dst, d0); s01.intoArray(dst, d0 + L); s02.intoArray(dst, d0 + 2 * L); s03.intoArray(dst, d0 + 3 * L);
        s10.intoArray(dst, d1); s11.intoArray(dst, d1 + L); s12.intoArray(dst, d1 + 2 * L); s13.intoArray(dst, d1 + 3 * L);
        s20.intoArray(dst, d2); s21.intoArray(dst, d2 + L); s22.intoArray(dst, d2 + 2 * L); s23.intoArray(dst, d2 + 3 * L);
        s30.intoArray(dst, d3); s31.intoArray(dst, d3 + L); s32.intoArray(dst, d3 + 2 * L); s33.intoArray(dst, d3 + 3 * L);
    }

    private static void check(float[] a, long an, float[] b, long bn, float[] c, long cn) {
        if (a.length < an || b.length < bn || c.length < cn)
            throw new IllegalArgumentException("matmul operand too small: " + a.length + "/" + an + ", " + b.length + "/" + bn + ", " + c.length + "/" + cn);
    }
}
