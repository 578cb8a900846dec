package dev.ponder.engine.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static jdk.incubator.vector.VectorOperators.B2F;

import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q8_0: blocks of 32 values, 34 bytes each: {@code f16 d} then 32 {@code int8 q}; value = q * d.
 *
 * <p>The fast kernels widen the int8 quants straight to float lanes (B2F) and multiply them into the
 * input; each block's partial sums get the block scale with one more fused multiply-add. Products of several
 * rows or inputs run as register tiles (four rows × one input, two rows × three or four inputs).
 */
final class Q8_0Matrix extends WeightMatrix {
    private static final VectorSpecies<Float> F = VectorWidth.floats(MethodHandles.lookup());
    private static final VectorSpecies<Byte> B = VectorWidth.bytes(F);
    /** Float lanes; float vectors per byte vector. */
    private static final int L = F.length(), P = B.length() / L;
    private static final int BLOCK = 32, BLOCK_BYTES = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GGMLType type() {
        return GGMLType.Q8_0;
    }

    @Override
    public VectorSpecies<Float> species() {
        return F;
    }

    /** Levels of the lane-sum tree: log2 of the lane count. */
    private static final int LEVELS = Integer.numberOfTrailingZeros(L);
    /**
     * Lane indexes for the joins at each level of the tree (group size g = L >> level): output lane t takes
     * lane {@code (t / (g/2))·g + t % (g/2)} of the concatenated pair and adds the lane g/2 after it.
     */
    private static final FloatVector LO0 = index(0, 0), LO1 = index(1, 0), LO2 = index(2, 0), LO3 = index(3, 0);
    private static final FloatVector HI0 = index(0, 1), HI1 = index(1, 1), HI2 = index(2, 1), HI3 = index(3, 1);

    private static FloatVector index(int level, int high) {
        if (level >= LEVELS) return null;
        int g = L >> level, half = g / 2;
        float[] idx = new float[L];
        for (int t = 0; t < L; t++) idx[t] = (t / half) * g + t % half + high * half;
        return FloatVector.fromArray(F, idx, 0);
    }

    /*
     * One level of the laneSum tree for every sum held in two vectors u and w at once ("join" at a level):
     * each holds L/g partial sums in groups of g = L >> level lanes; the result, LOk.selectFrom(u, w) plus
     * HIk.selectFrom(u, w), holds all 2L/g of them (those of u first) in groups of g/2, each group's lane i
     * being lane i plus lane i + g/2 of its old group. Taking levels 0..log2(L)-1 gives every sum exactly the
     * additions of laneSum, for several sums with a few two-vector permutes instead of one tree each.
     *
     * The joins are written out where they are used, so that no vector is an argument or result of a method of
     * ours that the JIT might leave as a call (so are the quants' loads and conversions): it boxes a
     * vector on the heap at a call it did not inline, and whether it inlines a small helper depends on how
     * ripe its profile was when the caller compiled (measured: the same 768x256 B=8 product at 5-10 GFLOPS in
     * some runs and 50 in others, the slow runs being those where a helper "join" was left as a call).
     */

    @Override
    public void dequantizeRow(int row, float[] out, int off) {
        checkRow(row, out.length, off);
        long blk = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, blk += BLOCK_BYTES) {
            float d = f16(blk);
            for (int i = 0; i < BLOCK; i++) out[off + b * BLOCK + i] = d * data.get(JAVA_BYTE, blk + 2 + i);
        }
    }

    @Override
    public float dotReference(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        long blk = row * rowBytes;
        float sum = 0;
        for (int b = 0; b < cols / BLOCK; b++, blk += BLOCK_BYTES) {
            float d = f16(blk);
            for (int i = 0; i < BLOCK; i++) sum += d * data.get(JAVA_BYTE, blk + 2 + i) * x[xOff + b * BLOCK + i];
        }
        return sum;
    }

    /*
     * The fast kernels share one order of operations per (row, input), so that a result never depends on which
     * kernel computed it (single row, four rows, or a tile of two rows and four inputs):
     *
     *   acc = 0                                   one vector of L lanes
     *   for each block b of 32 weights:
     *     s = 0; s = w·x + s for each of the block's 32/L sub-vectors, in order
     *     acc = s · d_b + acc                     the block scale, one fused multiply-add
     *   result = laneSum(acc)
     *
     * The tiles decode each weight sub-vector once for all their inputs and load each input sub-vector once
     * for all their rows; their independent chains (one per row and input) hide the FMA latency.
     */

    @Override
    public float dot(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        FloatVector acc = FloatVector.zero(F);
        long blk = row * rowBytes;
        for (int e = xOff; e < xOff + cols; e += BLOCK, blk += BLOCK_BYTES) {
            FloatVector s = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) s = ((FloatVector) q.convertShape(B2F, F, p)).fma(FloatVector.fromArray(F, x, e + j + p * L), s);
            }
            acc = s.fma(FloatVector.broadcast(F, f16(blk)), acc);
        }
        // laneSum's tree, level by level (at least two levels: L >= 4)
        acc = LO0.selectFrom(acc, acc).add(HI0.selectFrom(acc, acc));
        acc = LO1.selectFrom(acc, acc).add(HI1.selectFrom(acc, acc));
        if (LEVELS > 2) acc = LO2.selectFrom(acc, acc).add(HI2.selectFrom(acc, acc));
        if (LEVELS > 3) acc = LO3.selectFrom(acc, acc).add(HI3.selectFrom(acc, acc));
        return acc.lane(0);
    }

    /**
     * Largest matrix (bytes) whose single-input product takes the four-row tile. The tile shares each input load
     * among four rows, which pays while the rows come from cache (ponder-nano's matrices); a matrix streamed from
     * memory runs faster one row at a time (qwen2.5-0.5b shape, B=1: 23 ms/step by rows vs 37-44 ms tiled).
     */
    static final long TILE_MAX_BYTES = 2L << 20;

    /** True if this matrix is small enough for the four-row tile ({@link #TILE_MAX_BYTES}). */
    private boolean inCache() {
        return (long) rows * rowBytes <= TILE_MAX_BYTES;
    }

    @Override
    void matvecRows(float[] x, float[] out, int from, int to) {
        int r = from;
        if (inCache()) for (; r + 4 <= to; r += 4) dot4Rows(r, x, 0, out, 0);
        for (; r < to; r++) out[r] = dot(r, x, 0);
    }

    @Override
    void matmulRows(float[] x, int batch, float[] out, int from, int to) {
        float[] acc = new float[Math.max(4 * L, 8)]; // dotBatch's per-input accumulators [4][L]; the tiles' sums [8]
        int b = 0;
        // a decoding batch of 8..15 of a matrix streamed from memory takes its first eight inputs in one group, so each
        // row streams once for them (two groups of four would read it twice); a longer batch (prefill), or any batch
        // of a matrix that stays in cache (ponder-nano's), runs faster as groups of four, whose 2x4 tile shares each
        // input load between two rows
        if (batch >= 8 && batch < 16 && !inCache()) {
            for (int r = from; r < to; r++) tile1x8(r, x, 0, out, 0, acc);
            b = 8;
        }
        for (; b < batch; b += 4) { // the rest in groups of up to four inputs
            int n = Math.min(4, batch - b);
            int r = from;
            if (n <= 2) { // one input at a time (the 2x4 tile would compute as much as for four), rows still in cache
                if (inCache())
                    for (; r + 4 <= to; r += 4)
                        for (int k = 0; k < n; k++) dot4Rows(r, x, (b + k) * cols, out, (b + k) * rows);
                for (; r < to; r++)
                    for (int k = 0; k < n; k++) out[(b + k) * rows + r] = dot(r, x, (b + k) * cols);
                continue;
            }
            for (; r + 2 <= to; r += 2) tile2x4(r, x, b * cols, n, out, b * rows, acc);
            for (; r < to; r++) {
                dotBatch(r, x, b * cols, cols, n, acc);
                for (int k = 0; k < n; k++) out[(b + k) * rows + r] = laneSum(acc, k * L, L);
            }
        }
    }

    /**
     * {@code out[outOff + r] = dot(r, x, xOff)} for the four rows {@code r = row .. row+3}: each input sub-vector
     * loaded once for the four rows.
     */
    private void dot4Rows(int row, float[] x, int xOff, float[] out, int outOff) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long b0 = row * rowBytes, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
        for (int e = 0; e < cols; e += BLOCK, b0 += BLOCK_BYTES, b1 += BLOCK_BYTES, b2 += BLOCK_BYTES, b3 += BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q0 = ByteVector.fromMemorySegment(B, data, b0 + 2 + j, ByteOrder.LITTLE_ENDIAN), q1 = ByteVector.fromMemorySegment(B, data, b1 + 2 + j, ByteOrder.LITTLE_ENDIAN), q2 = ByteVector.fromMemorySegment(B, data, b2 + 2 + j, ByteOrder.LITTLE_ENDIAN), q3 = ByteVector.fromMemorySegment(B, data, b3 + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    FloatVector xv = FloatVector.fromArray(F, x, xOff + e + j + p * L);
                    s0 = ((FloatVector) q0.convertShape(B2F, F, p)).fma(xv, s0);
                    s1 = ((FloatVector) q1.convertShape(B2F, F, p)).fma(xv, s1);
                    s2 = ((FloatVector) q2.convertShape(B2F, F, p)).fma(xv, s2);
                    s3 = ((FloatVector) q3.convertShape(B2F, F, p)).fma(xv, s3);
                }
            }
            a0 = s0.fma(FloatVector.broadcast(F, f16(b0)), a0);
            a1 = s1.fma(FloatVector.broadcast(F, f16(b1)), a1);
            a2 = s2.fma(FloatVector.broadcast(F, f16(b2)), a2);
            a3 = s3.fma(FloatVector.broadcast(F, f16(b3)), a3);
        }
        // the four sums by the joins (written out: see the note on the joins)
        FloatVector u = LO0.selectFrom(a0, a1).add(HI0.selectFrom(a0, a1)), w = LO0.selectFrom(a2, a3).add(HI0.selectFrom(a2, a3));
        FloatVector z = LO1.selectFrom(u, w).add(HI1.selectFrom(u, w)); // groups of L/4 lanes: a0, a1, a2, a3
        if (LEVELS > 2) z = LO2.selectFrom(z, z).add(HI2.selectFrom(z, z));
        if (LEVELS > 3) z = LO3.selectFrom(z, z).add(HI3.selectFrom(z, z));
        // the four sums are lanes 0..3: store them as one 128-bit vector (a masked store takes a slow lane-checking
        // path when the vector reaches past the array, ~10 % of a qwen2.5-0.5b decode step)
        int o = outOff + row;
        if (L == 4) z.intoArray(out, o);
        else ((FloatVector) z.reinterpretShape(FloatVector.SPECIES_128, 0)).intoArray(out, o);
    }

    /**
     * Rows {@code row, row+1} times the {@code n} (2..4) inputs at {@code x[xOff + k*cols ..]}, results to
     * {@code out[outOff + k*rows + row ..]}: each weight sub-vector decoded once for all inputs, each input
     * sub-vector loaded once for both rows. For {@code n < 4} the missing inputs repeat the last one (computed,
     * not stored).
     */
    private void tile2x4(int row, float[] x, int xOff, int n, float[] out, int outOff, float[] scratch) {
        int x0 = xOff, x1 = xOff + cols, x2 = xOff + Math.min(2, n - 1) * cols, x3 = xOff + Math.min(3, n - 1) * cols;
        // aK: row 0 with input K, cK: row 1 with input K
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        long b0 = row * rowBytes, b1 = b0 + rowBytes;
        for (int e = 0; e < cols; e += BLOCK, b0 += BLOCK_BYTES, b1 += BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, b0 + 2 + j, ByteOrder.LITTLE_ENDIAN), u = ByteVector.fromMemorySegment(B, data, b1 + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    FloatVector w = ((FloatVector) q.convertShape(B2F, F, p)), v = ((FloatVector) u.convertShape(B2F, F, p));
                    int i = e + j + p * L;
                    FloatVector y0 = FloatVector.fromArray(F, x, x0 + i), y1 = FloatVector.fromArray(F, x, x1 + i);
                    FloatVector y2 = FloatVector.fromArray(F, x, x2 + i), y3 = FloatVector.fromArray(F, x, x3 + i);
                    s0 = w.fma(y0, s0);
                    s1 = w.fma(y1, s1);
                    s2 = w.fma(y2, s2);
                    s3 = w.fma(y3, s3);
                    t0 = v.fma(y0, t0);
                    t1 = v.fma(y1, t1);
                    t2 = v.fma(y2, t2);
                    t3 = v.fma(y3, t3);
                }
            }
            FloatVector d = FloatVector.broadcast(F, f16(b0)), g = FloatVector.broadcast(F, f16(b1));
            a0 = s0.fma(d, a0);
            a1 = s1.fma(d, a1);
            a2 = s2.fma(d, a2);
            a3 = s3.fma(d, a3);
            c0 = t0.fma(g, c0);
            c1 = t1.fma(g, c1);
            c2 = t2.fma(g, c2);
            c3 = t3.fma(g, c3);
        }
        float[] r = scratch; // r: a0 c0 a1 c1 a2 c2 a3 c3
        // the eight sums by the joins (written out: see the note on the joins): one vector from 8 lanes up, two of 4
        // lanes at 128 bits
        FloatVector u0 = LO0.selectFrom(a0, c0).add(HI0.selectFrom(a0, c0)), u1 = LO0.selectFrom(a1, c1).add(HI0.selectFrom(a1, c1));
        FloatVector u2 = LO0.selectFrom(a2, c2).add(HI0.selectFrom(a2, c2)), u3 = LO0.selectFrom(a3, c3).add(HI0.selectFrom(a3, c3));
        FloatVector z0 = LO1.selectFrom(u0, u1).add(HI1.selectFrom(u0, u1)), z1 = LO1.selectFrom(u2, u3).add(HI1.selectFrom(u2, u3));
        if (LEVELS == 2) {
            z0.intoArray(r, 0);
            z1.intoArray(r, 4);
        } else {
            FloatVector y = LO2.selectFrom(z0, z1).add(HI2.selectFrom(z0, z1));
            if (LEVELS > 3) y = LO3.selectFrom(y, y).add(HI3.selectFrom(y, y));
            y.intoArray(r, 0);
        }
        int o = outOff + row;
        for (int k = 0; k < n; k++) {
            out[o + k * rows] = r[2 * k];
            out[o + k * rows + 1] = r[2 * k + 1];
        }
    }

    /**
     * Row {@code row} times the eight inputs at {@code x[xOff + k*cols ..]}, results to {@code out[outOff + k*rows + row]}:
     * each weight sub-vector decoded once for all eight (a batch of eight reads the row once, where two groups of
     * four would read it twice), eight independent chains, each in {@link #dot}'s order.
     */
    private void tile1x8(int row, float[] x, int xOff, float[] out, int outOff, float[] scratch) {
        final int c = cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        long blk = row * rowBytes;
        for (int e = 0; e < c; e += BLOCK, blk += BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    FloatVector w = ((FloatVector) q.convertShape(B2F, F, p));
                    int i = xOff + e + j + p * L;
                    s0 = w.fma(FloatVector.fromArray(F, x, i), s0);
                    s1 = w.fma(FloatVector.fromArray(F, x, i + c), s1);
                    s2 = w.fma(FloatVector.fromArray(F, x, i + 2 * c), s2);
                    s3 = w.fma(FloatVector.fromArray(F, x, i + 3 * c), s3);
                    s4 = w.fma(FloatVector.fromArray(F, x, i + 4 * c), s4);
                    s5 = w.fma(FloatVector.fromArray(F, x, i + 5 * c), s5);
                    s6 = w.fma(FloatVector.fromArray(F, x, i + 6 * c), s6);
                    s7 = w.fma(FloatVector.fromArray(F, x, i + 7 * c), s7);
                }
            }
            FloatVector d = FloatVector.broadcast(F, f16(blk));
            a0 = s0.fma(d, a0);
            a1 = s1.fma(d, a1);
            a2 = s2.fma(d, a2);
            a3 = s3.fma(d, a3);
            a4 = s4.fma(d, a4);
            a5 = s5.fma(d, a5);
            a6 = s6.fma(d, a6);
            a7 = s7.fma(d, a7);
        }
        // the eight sums by the joins (written out: see the note on the joins): one vector from 8 lanes up, two of 4
        // lanes at 128 bits
        FloatVector u0 = LO0.selectFrom(a0, a1).add(HI0.selectFrom(a0, a1)), u1 = LO0.selectFrom(a2, a3).add(HI0.selectFrom(a2, a3));
        FloatVector u2 = LO0.selectFrom(a4, a5).add(HI0.selectFrom(a4, a5)), u3 = LO0.selectFrom(a6, a7).add(HI0.selectFrom(a6, a7));
        FloatVector z0 = LO1.selectFrom(u0, u1).add(HI1.selectFrom(u0, u1)), z1 = LO1.selectFrom(u2, u3).add(HI1.selectFrom(u2, u3));
        if (LEVELS == 2) {
            z0.intoArray(scratch, 0);
            z1.intoArray(scratch, 4);
        } else {
            FloatVector y = LO2.selectFrom(z0, z1).add(HI2.selectFrom(z0, z1));
            if (LEVELS > 3) y = LO3.selectFrom(y, y).add(HI3.selectFrom(y, y));
            y.intoArray(scratch, 0);
        }
        int o = outOff + row;
        for (int k = 0; k < 8; k++) out[o + k * rows] = scratch[k];
    }

    /** {@link #dot} for up to four inputs at once, bit-identical to it; each block is decoded once for all inputs. */
    @Override
    void dotBatch(int row, float[] x, int xOff, int xStride, int n, float[] acc) {
        int x0 = xOff, x1 = xOff + Math.min(1, n - 1) * xStride;
        int x2 = xOff + Math.min(2, n - 1) * xStride, x3 = xOff + Math.min(3, n - 1) * xStride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long blk = row * rowBytes;
        for (int e = 0; e < cols; e += BLOCK, blk += BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0; // the block's partial sums
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    FloatVector w = ((FloatVector) q.convertShape(B2F, F, p));
                    int i = e + j + p * L;
                    s0 = w.fma(FloatVector.fromArray(F, x, x0 + i), s0);
                    s1 = w.fma(FloatVector.fromArray(F, x, x1 + i), s1);
                    s2 = w.fma(FloatVector.fromArray(F, x, x2 + i), s2);
                    s3 = w.fma(FloatVector.fromArray(F, x, x3 + i), s3);
                }
            }
            FloatVector d = FloatVector.broadcast(F, f16(blk));
            a0 = s0.fma(d, a0);
            a1 = s1.fma(d, a1);
            a2 = s2.fma(d, a2);
            a3 = s3.fma(d, a3);
        }
        a0.intoArray(acc, 0);
        a1.intoArray(acc, L);
        a2.intoArray(acc, 2 * L);
        a3.intoArray(acc, 3 * L);
    }
}
