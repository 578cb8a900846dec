package dev.ponder.learn.train;

import jdk.incubator.vector.FloatVector;
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
 * Every element is accumulated by FMAs in the same order (over the reduction index) whichever tile, lane, thread
 * or JIT tier computes it, so results are independent of the thread count and bit-for-bit reproducible. {@link MatMulPlain} holds the plain loops these are tested against.
 */
public final class MatMul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per cache block in the accumulate kernel: a {@code k × COL_BLOCK} strip of b stays in L2. */
    private static final int COL_BLOCK = 4 * 16;
    /**
     * Reduction steps per block: partial sums go back to dst between blocks (exactly, so the result is unchanged)
     * while the {@code K_BLOCK × COL_BLOCK} slice of b stays in L1.
     */
    private static final int K_BLOCK = 128;

    private MatMul() {}

    /** Floating-point operations of one forward product (each backward product costs the same). */
    public static long flops(int n, int in, int out) {
        return 2L * n * in * out;
    }

    /**
     * {@code y[n][out] = x[n][in] · w[out][in]ᵀ} (y is overwritten). w is first transposed to {@code [in][out]}
     * (cheap next to the product when n is large) so that, like the backward products, every output is a
     * sequence of FMAs in a fixed order, with no horizontal reductions whose order could vary.
     */
    public static void forward(float[] x, float[] w, float[] y, int n, int in, int out) {
        check(x, (long) n * in, w, (long) out * in, y, (long) n * out);
        float[] wT = scratch(in * out);
        transpose(w, wT, out, in);
        java.util.Arrays.fill(y, 0, n * out, 0f);
        accumulateAB(x, wT, y, n, in, out);
    }

    /** {@code dx[n][in] += dy[n][out] · w[out][in]}. */
    public static void backwardInput(float[] dy, float[] w, float[] dx, int n, int in, int out) {
        check(dy, (long) n * out, w, (long) out * in, dx, (long) n * in);
        accumulateAB(dy, w, dx, n, out, in);
    }

    /** {@code dw[out][in] += dy[n][out]ᵀ · x[n][in]} (dy is read in place as its transpose, by strides). */
    public static void backwardWeight(float[] dy, float[] x, float[] dw, int n, int in, int out) {
        check(dy, (long) n * out, x, (long) n * in, dw, (long) out * in);
        Parallel.forRange(out, 4, 2L * n * in * out, (r0, r1) -> accumulateRows(dy, 0, 1, out, x, 0, dw, 0, n, in, r0, r1));
    }

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** A per-thread buffer of at least {@code size} floats for transposes. */
    private static float[] scratch(int size) {
        float[] s = SCRATCH.get();
        if (s.length < size) SCRATCH.set(s = new float[size]);
        return s;
    }

    /** {@code t[cols][rows] = a[rows][cols]ᵀ}, in cache-sized tiles, split across threads by columns of a. */
    static void transpose(float[] a, float[] t, int rows, int cols) {
        Parallel.forRange(cols, 32, 8L * rows * cols, (c0, c1) -> transposeBlock(a, 0, t, rows, cols, c0, c1));
    }

    /** {@code t[cols][rows] = a[ao + (rows×cols)]ᵀ}. */
    static void transpose(float[] a, int ao, float[] t, int rows, int cols) {
        transposeBlock(a, ao, t, rows, cols, 0, cols);
    }

    private static void transposeBlock(float[] a, int ao, float[] t, int rows, int cols, int cFrom, int cTo) {
        final int B = 32;
        for (int r0 = 0; r0 < rows; r0 += B)
            for (int c0 = cFrom; c0 < cTo; c0 += B) {
                int r1 = Math.min(rows, r0 + B), c1 = Math.min(cTo, c0 + B);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) t[c * rows + r] = a[ao + r * cols + c];
            }
    }

    // ---------------------------------------------------------------------------------------------
    // dst[m][c] += Σ_k a[m][k] · b[k][c]: each output row is a sum of b rows scaled by a broadcast.
    // 4 rows × 4 vectors = 16 accumulators per tile; a strip of b (k × COL_BLOCK) stays in L2.

    /** {@code dst[m][cols] += a[m][k] · b[k][cols]}, parallel over rows of dst. */
    public static void accumulateAB(float[] a, float[] b, float[] dst, int m, int k, int cols) {
        Parallel.forRange(m, 4, 2L * m * k * cols, (r0, r1) -> accumulateRows(a, 0, k, 1, b, 0, dst, 0, k, cols, r0, r1));
    }

    /**
     * Single-threaded {@code dst[m][cols] += a[m][k] · b[k][cols]} on sub-arrays starting at the given offsets
     * (for callers that already run in parallel, such as attention heads).
     */
    public static void accumulateAB(float[] a, int ao, float[] b, int bo, float[] dst, int dOff, int m, int k, int cols) {
        accumulateRows(a, ao, k, 1, b, bo, dst, dOff, k, cols, 0, m);
    }

    /** Like {@link #accumulateAB(float[], int, float[], int, float[], int, int, int, int)} with a stored as its transpose {@code [k][m]}. */
    public static void accumulateATB(float[] a, int ao, float[] b, int bo, float[] dst, int dOff, int m, int k, int cols) {
        accumulateRows(a, ao, 1, m, b, bo, dst, dOff, k, cols, 0, m);
    }

    /** Rows r0..r1 of dst; element (r, j) of a is {@code a[ao + r·ars + j·acs]}. */
    private static void accumulateRows(float[] a, int ao, int ars, int acs, float[] b, int bo, float[] dst, int dOff, int k, int cols, int r0, int r1) {
        int vecCols = S.loopBound(cols);
        for (int cb = 0; cb < vecCols; cb += COL_BLOCK) {
            int cEnd = Math.min(vecCols, cb + COL_BLOCK);
            for (int kb = 0; kb < k; kb += K_BLOCK) { // a k-slice of the b strip stays in L1, its a-columns in the TLB
                int kn = Math.min(K_BLOCK, k - kb), ak = ao + kb * acs, bk = bo + kb * cols;
                int r = r0;
                for (; r + 4 <= r1; r += 4) {
                    int c = cb;
                    for (; c + 4 * L <= cEnd; c += 4 * L) axpy4x4(a, ak, ars, acs, b, bk, dst, dOff, kn, cols, r, c);
                    for (; c + 2 * L <= cEnd; c += 2 * L) axpy4x2(a, ak, ars, acs, b, bk, dst, dOff, kn, cols, r, c);
                    for (; c < cEnd; c += L) axpy4x1(a, ak, ars, acs, b, bk, dst, dOff, kn, cols, r, c);
                }
                for (; r < r1; r++) for (int c = cb; c < cEnd; c += L) axpyVec(a, ak, ars, acs, b, bk, dst, dOff, kn, cols, r, c);
            }
        }
        for (int r = r0; r < r1; r++) // columns beyond the last whole vector
            for (int c = vecCols; c < cols; c++) {
                int d = dOff + r * cols + c;
                float s = dst[d];
                for (int j = 0; j < k; j++) s = Math.fma(a[ao + r * ars + j * acs], b[bo + j * cols + c], s);
                dst[d] = s;
            }
    }

    private static void axpyVec(float[] a, int ao, int ars, int acs, float[] b, int bo, float[] dst, int dOff, int k, int cols, int r, int c) {
        int o = dOff + r * cols + c, a0 = ao + r * ars;
        FloatVector acc = FloatVector.fromArray(S, dst, o);
        for (int j = 0; j < k; j++)
            acc = FloatVector.broadcast(S, a[a0 + j * acs]).fma(FloatVector.fromArray(S, b, bo + j * cols + c), acc);
        acc.intoArray(dst, o);
    }

    /** 4 rows × 2 vectors: for narrow outputs such as one attention head (hd = 32). */
    private static void axpy4x2(float[] a, int ao, int ars, int acs, float[] b, int bo, float[] dst, int dOff, int k, int cols, int r, int c) {
        int d0 = dOff + r * cols + c, d1 = d0 + cols, d2 = d1 + cols, d3 = d2 + cols;
        FloatVector s00 = FloatVector.fromArray(S, dst, d0), s01 = FloatVector.fromArray(S, dst, d0 + L);
        FloatVector s10 = FloatVector.fromArray(S, dst, d1), s11 = FloatVector.fromArray(S, dst, d1 + L);
        FloatVector s20 = FloatVector.fromArray(S, dst, d2), s21 = FloatVector.fromArray(S, dst, d2 + L);
        FloatVector s30 = FloatVector.fromArray(S, dst, d3), s31 = FloatVector.fromArray(S, dst, d3 + L);
        int a0 = ao + r * ars, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
        for (int j = 0, aj = 0; j < k; j++, aj += acs) {
            int o = bo + j * cols + c;
            FloatVector b0 = FloatVector.fromArray(S, b, o), b1 = FloatVector.fromArray(S, b, o + L);
            FloatVector u = FloatVector.broadcast(S, a[a0 + aj]);
            s00 = u.fma(b0, s00); s01 = u.fma(b1, s01);
            u = FloatVector.broadcast(S, a[a1 + aj]);
            s10 = u.fma(b0, s10); s11 = u.fma(b1, s11);
            u = FloatVector.broadcast(S, a[a2 + aj]);
            s20 = u.fma(b0, s20); s21 = u.fma(b1, s21);
            u = FloatVector.broadcast(S, a[a3 + aj]);
            s30 = u.fma(b0, s30); s31 = u.fma(b1, s31);
        }
        s00.intoArray(dst, d0); s01.intoArray(dst, d0 + L);
        s10.intoArray(dst, d1); s11.intoArray(dst, d1 + L);
        s20.intoArray(dst, d2); s21.intoArray(dst, d2 + L);
        s30.intoArray(dst, d3); s31.intoArray(dst, d3 + L);
    }

    /** 4 rows × 1 vector. */
    private static void axpy4x1(float[] a, int ao, int ars, int acs, float[] b, int bo, float[] dst, int dOff, int k, int cols, int r, int c) {
        int d0 = dOff + r * cols + c, d1 = d0 + cols, d2 = d1 + cols, d3 = d2 + cols;
        FloatVector s0 = FloatVector.fromArray(S, dst, d0), s1 = FloatVector.fromArray(S, dst, d1);
        FloatVector s2 = FloatVector.fromArray(S, dst, d2), s3 = FloatVector.fromArray(S, dst, d3);
        int a0 = ao + r * ars, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
        for (int j = 0, aj = 0; j < k; j++, aj += acs) {
            FloatVector bv = FloatVector.fromArray(S, b, bo + j * cols + c);
            s0 = FloatVector.broadcast(S, a[a0 + aj]).fma(bv, s0);
            s1 = FloatVector.broadcast(S, a[a1 + aj]).fma(bv, s1);
            s2 = FloatVector.broadcast(S, a[a2 + aj]).fma(bv, s2);
            s3 = FloatVector.broadcast(S, a[a3 + aj]).fma(bv, s3);
        }
        s0.intoArray(dst, d0); s1.intoArray(dst, d1); s2.intoArray(dst, d2); s3.intoArray(dst, d3);
    }

    private static void axpy4x4(float[] a, int ao, int ars, int acs, float[] b, int bo, float[] dst, int dOff, int k, int cols, int r, int c) {
        int d0 = dOff + r * cols + c, d1 = d0 + cols, d2 = d1 + cols, d3 = d2 + cols;
        FloatVector s00 = FloatVector.fromArray(S, dst, d0), s01 = FloatVector.fromArray(S, dst, d0 + L);
        FloatVector s02 = FloatVector.fromArray(S, dst, d0 + 2 * L), s03 = FloatVector.fromArray(S, dst, d0 + 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, dst, d1), s11 = FloatVector.fromArray(S, dst, d1 + L);
        FloatVector s12 = FloatVector.fromArray(S, dst, d1 + 2 * L), s13 = FloatVector.fromArray(S, dst, d1 + 3 * L);
        FloatVector s20 = FloatVector.fromArray(S, dst, d2), s21 = FloatVector.fromArray(S, dst, d2 + L);
        FloatVector s22 = FloatVector.fromArray(S, dst, d2 + 2 * L), s23 = FloatVector.fromArray(S, dst, d2 + 3 * L);
        FloatVector s30 = FloatVector.fromArray(S, dst, d3), s31 = FloatVector.fromArray(S, dst, d3 + L);
        FloatVector s32 = FloatVector.fromArray(S, dst, d3 + 2 * L), s33 = FloatVector.fromArray(S, dst, d3 + 3 * L);
        int a0 = ao + r * ars, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
        for (int j = 0, aj = 0; j < k; j++, aj += acs) {
            int o = bo + j * cols + c;
            FloatVector b0 = FloatVector.fromArray(S, b, o), b1 = FloatVector.fromArray(S, b, o + L);
            FloatVector b2 = FloatVector.fromArray(S, b, o + 2 * L), b3 = FloatVector.fromArray(S, b, o + 3 * L);
            FloatVector u = FloatVector.broadcast(S, a[a0 + aj]);
            s00 = u.fma(b0, s00); s01 = u.fma(b1, s01); s02 = u.fma(b2, s02); s03 = u.fma(b3, s03);
            u = FloatVector.broadcast(S, a[a1 + aj]);
            s10 = u.fma(b0, s10); s11 = u.fma(b1, s11); s12 = u.fma(b2, s12); s13 = u.fma(b3, s13);
            u = FloatVector.broadcast(S, a[a2 + aj]);
            s20 = u.fma(b0, s20); s21 = u.fma(b1, s21); s22 = u.fma(b2, s22); s23 = u.fma(b3, s23);
            u = FloatVector.broadcast(S, a[a3 + aj]);
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
