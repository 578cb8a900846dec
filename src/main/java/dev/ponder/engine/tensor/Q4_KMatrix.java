package dev.ponder.engine.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q4_K: super-blocks of 256 values, 144 bytes each:
 * <pre>
 *   f16 d, f16 dmin            super-block scales
 *   u8 scales[12]              8 sub-blocks (32 values) x (6-bit scale sc, 6-bit min m), packed
 *   u8 qs[128]                 4 chunks of 32 bytes; chunk c holds sub-block 2c in its low nibbles
 *                              and sub-block 2c+1 in its high nibbles
 * </pre>
 * value = d * sc * q - dmin * m. The fast kernel turns each vector of quants into weights with one
 * fused multiply-add ({@code q * (d*sc) - dmin*m}) and multiplies those into the input.
 */
final class Q4_KMatrix extends WeightMatrix {
    private static final VectorSpecies<Float> F = VectorWidth.floats(MethodHandles.lookup());
    private static final VectorSpecies<Byte> B = VectorWidth.bytes(F);
    /** Float lanes; float vectors per byte vector. */
    private static final int L = F.length(), P = B.length() / L;
    private static final int BLOCK = 256, BLOCK_BYTES = 144;

    Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GGMLType type() {
        return GGMLType.Q4_K;
    }

    @Override
    public VectorSpecies<Float> species() {
        return F;
    }

    private int u8(long off) {
        return data.get(JAVA_BYTE, off) & 0xFF;
    }

    /** Sub-block {@code j}'s 6-bit scale (low byte of the result) and min (second byte). */
    private int scaleMin(long blk, int j) {
        long s = blk + 4;
        int sc, m;
        if (j < 4) {
            sc = u8(s + j) & 63;
            m = u8(s + j + 4) & 63;
        } else {
            sc = (u8(s + j + 4) & 0xF) | (u8(s + j - 4) >> 6) << 4;
            m = (u8(s + j + 4) >> 4) | (u8(s + j) >> 6) << 4;
        }
        return sc | m << 8;
    }

    /**
     * All 8 scales of the super-block at {@code blk}, one per byte (sub-block s in byte s), decoded
     * with a few word operations instead of {@link #scaleMin}'s byte loads. See {@link #mins}.
     */
    private long scales(long blk) {
        long lo = data.get(LE_LONG, blk + 4);      // scale bytes 0-7
        int hi = data.get(LE_INT, blk + 12);       // scale bytes 8-11
        long first = lo & 0x3F3F3F3FL;             // sub-blocks 0-3: low 6 bits of bytes 0-3
        int last = (hi & 0x0F0F0F0F) | (((int) lo >>> 6) & 0x03030303) << 4; // 4-7: bytes 8-11 low, 0-3 top
        return first | (last & 0xFFFFFFFFL) << 32;
    }

    /** All 8 mins of the super-block at {@code blk}, one per byte, as in {@link #scales}. */
    private long mins(long blk) {
        long lo = data.get(LE_LONG, blk + 4);
        int hi = data.get(LE_INT, blk + 12);
        long first = (lo >>> 32) & 0x3F3F3F3FL;    // sub-blocks 0-3: low 6 bits of bytes 4-7
        int last = ((hi >>> 4) & 0x0F0F0F0F) | (((int) (lo >>> 32) >>> 6) & 0x03030303) << 4; // 4-7: bytes 8-11 high, 4-7 top
        return first | (last & 0xFFFFFFFFL) << 32;
    }

    @Override
    public void dequantizeRow(int row, float[] out, int off) {
        checkRow(row, out.length, off);
        long blk = row * rowBytes;
        for (int o = off; o < off + cols; o += BLOCK, blk += BLOCK_BYTES) {
            float d = f16(blk), dmin = f16(blk + 2);
            for (int c = 0; c < 4; c++) {
                int lo = scaleMin(blk, 2 * c), hi = scaleMin(blk, 2 * c + 1);
                float d1 = d * (lo & 0xFF), m1 = dmin * (lo >> 8), d2 = d * (hi & 0xFF), m2 = dmin * (hi >> 8);
                for (int i = 0; i < 32; i++) {
                    int q = u8(blk + 16 + 32 * c + i);
                    out[o + 64 * c + i] = d1 * (q & 0xF) - m1;
                    out[o + 64 * c + 32 + i] = d2 * (q >> 4) - m2;
                }
            }
        }
    }

    @Override
    public float dotReference(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        float[] w = new float[cols];
        dequantizeRow(row, w, 0);
        float sum = 0;
        for (int i = 0; i < cols; i++) sum += w[i] * x[xOff + i];
        return sum;
    }

    /*
     * Nibbles, written out at each use: the low ones of a byte vector v are v.and((byte) 0x0F), the high ones
     * v shifted right by 4 as 16-bit lanes (x86 has no byte shift), then the same mask (it drops what crossed over).
     *
     * No vector is an argument or result of a method of ours here (the lane sums are written out too).
     * The JIT boxes a vector on the heap at a call it does not inline, and whether it inlines a small helper
     * depends on how ripe its profile was when the caller compiled (see Q8_0Matrix). The lane sums, of dot's chains
     * and of dotBatch's accumulators reloaded from the array, are WeightMatrix.laneSum's tree by halves written out (the
     * same additions); WeightMatrix.laneSum(float[]) would do them as dependent scalar adds through memory right
     * after a wide store, which made a 768x256 Q4_0 product at batch 4 about 35 % slower.
     */

    @Override
    public float dot(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        // Four independent chains (two 16-byte halves of a chunk x low/high nibbles).
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        long blk = row * rowBytes;
        for (int e = xOff; e < xOff + cols; e += BLOCK, blk += BLOCK_BYTES) {
            float d = f16(blk), dmin = f16(blk + 2);
            long scales = scales(blk), mins = mins(blk);
            for (int c = 0; c < 4; c++) { // chunk c: sub-blocks 2c (low nibbles) and 2c+1 (high nibbles)
                float d0 = d * ((int) (scales >>> 16 * c) & 0xFF), m0 = -dmin * ((int) (mins >>> 16 * c) & 0xFF);
                float d1 = d * ((int) (scales >>> 16 * c + 8) & 0xFF), m1 = -dmin * ((int) (mins >>> 16 * c + 8) & 0xFF);
                for (int j = 0; j < 16; j += B.length()) {
                    ByteVector v = ByteVector.fromMemorySegment(B, data, blk + 16 + 32 * c + j, ByteOrder.LITTLE_ENDIAN);
                    ByteVector u = ByteVector.fromMemorySegment(B, data, blk + 32 + 32 * c + j, ByteOrder.LITTLE_ENDIAN);
                    ByteVector vlo = v.and((byte) 0x0F), vhi = v.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
                    ByteVector ulo = u.and((byte) 0x0F), uhi = u.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
                    for (int p = 0; p < P; p++) {
                        int i = e + 64 * c + j + p * L;
                        acc0 = ((FloatVector) vlo.convertShape(B2F, F, p)).fma(d0, m0).fma(FloatVector.fromArray(F, x, i), acc0);
                        acc1 = ((FloatVector) ulo.convertShape(B2F, F, p)).fma(d0, m0).fma(FloatVector.fromArray(F, x, i + 16), acc1);
                        acc2 = ((FloatVector) vhi.convertShape(B2F, F, p)).fma(d1, m1).fma(FloatVector.fromArray(F, x, i + 32), acc2);
                        acc3 = ((FloatVector) uhi.convertShape(B2F, F, p)).fma(d1, m1).fma(FloatVector.fromArray(F, x, i + 48), acc3);
                    }
                }
            }
        }
        // laneSum((acc0 + acc1) + (acc2 + acc3), L), written out: the two 256-bit halves, the two 128-bit halves,
        // then the four lanes
        FloatVector t = acc0.add(acc1).add(acc2.add(acc3));
        if (L == 16) t = ((FloatVector) t.reinterpretShape(FloatVector.SPECIES_256, 0)).add((FloatVector) t.reinterpretShape(FloatVector.SPECIES_256, 1));
        if (L >= 8) t = ((FloatVector) t.reinterpretShape(FloatVector.SPECIES_128, 0)).add((FloatVector) t.reinterpretShape(FloatVector.SPECIES_128, 1));
        return (t.lane(0) + t.lane(2)) + (t.lane(1) + t.lane(3));
    }

    @Override
    void matvecRows(float[] x, float[] out, int from, int to) {
        for (int r = from; r < to; r++) out[r] = dot(r, x, 0);
    }

    @Override
    void matmulRows(float[] x, int batch, float[] out, int from, int to) {
        float[] acc = new float[4 * L]; // dotBatch's per-input accumulators, [4][L]
        for (int r = from; r < to; r++)
            for (int b = 0; b < batch; b += 4) {
                int n = Math.min(4, batch - b);
                if (n <= 2) for (int k = 0; k < n; k++) out[(b + k) * rows + r] = dot(r, x, (b + k) * cols); // cheaper than a 4-chain pass
                else {
                    dotBatch(r, x, b * cols, cols, n, acc);
                    for (int k = 0; k < n; k++) {
                        FloatVector v = FloatVector.fromArray(F, acc, k * L); // laneSum(v, L), written out as in dot
                        if (L == 16) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1));
                        if (L >= 8) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 1));
                        out[(b + k) * rows + r] = (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
                    }
                }
            }
    }

    /**
     * {@link #dot} for up to four inputs at once, bit-identical to it: the same four chains, run as two
     * passes over the row (low nibbles: chains 0 and 1; high nibbles: chains 2 and 3) so that eight
     * accumulators are live instead of sixteen. Each weight is decoded once for all inputs.
     */
    @Override
    void dotBatch(int row, float[] x, int xOff, int xStride, int n, float[] acc) {
        int x0 = xOff, x1 = xOff + Math.min(1, n - 1) * xStride;
        int x2 = xOff + Math.min(2, n - 1) * xStride, x3 = xOff + Math.min(3, n - 1) * xStride;
        FloatVector t0 = FloatVector.zero(F), t1 = t0, t2 = t0, t3 = t0; // per input: (acc0 + acc1), then + (acc2 + acc3)
        for (int h = 0; h < 2; h++) {
            // aK, bK: dot's chains 2h and 2h+1 for input K (first and second 16 bytes of each chunk)
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            long blk = row * rowBytes;
            for (int e = 0; e < cols; e += BLOCK, blk += BLOCK_BYTES) {
                float d = f16(blk), dmin = f16(blk + 2);
                long scales = scales(blk), mins = mins(blk);
                for (int c = 0; c < 4; c++) { // sub-block 2c + h of chunk c
                    float dc = d * ((int) (scales >>> 16 * c + 8 * h) & 0xFF), mc = -dmin * ((int) (mins >>> 16 * c + 8 * h) & 0xFF);
                    for (int j = 0; j < 16; j += B.length()) {
                        ByteVector v = ByteVector.fromMemorySegment(B, data, blk + 16 + 32 * c + j, ByteOrder.LITTLE_ENDIAN);
                        ByteVector u = ByteVector.fromMemorySegment(B, data, blk + 32 + 32 * c + j, ByteOrder.LITTLE_ENDIAN);
                        if (h != 0) { // the high nibbles (see the note on nibbles)
                            v = v.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes();
                            u = u.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes();
                        }
                        v = v.and((byte) 0x0F);
                        u = u.and((byte) 0x0F);
                        for (int p = 0; p < P; p++) {
                            int i = e + 64 * c + 32 * h + j + p * L;
                            FloatVector wv = ((FloatVector) v.convertShape(B2F, F, p)).fma(dc, mc);
                            FloatVector wu = ((FloatVector) u.convertShape(B2F, F, p)).fma(dc, mc);
                            a0 = wv.fma(FloatVector.fromArray(F, x, x0 + i), a0);
                            a1 = wv.fma(FloatVector.fromArray(F, x, x1 + i), a1);
                            a2 = wv.fma(FloatVector.fromArray(F, x, x2 + i), a2);
                            a3 = wv.fma(FloatVector.fromArray(F, x, x3 + i), a3);
                            b0 = wu.fma(FloatVector.fromArray(F, x, x0 + i + 16), b0);
                            b1 = wu.fma(FloatVector.fromArray(F, x, x1 + i + 16), b1);
                            b2 = wu.fma(FloatVector.fromArray(F, x, x2 + i + 16), b2);
                            b3 = wu.fma(FloatVector.fromArray(F, x, x3 + i + 16), b3);
                        }
                    }
                }
            }
            if (h == 0) {
                t0 = a0.add(b0);
                t1 = a1.add(b1);
                t2 = a2.add(b2);
                t3 = a3.add(b3);
            } else {
                t0 = t0.add(a0.add(b0));
                t1 = t1.add(a1.add(b1));
                t2 = t2.add(a2.add(b2));
                t3 = t3.add(a3.add(b3));
            }
        }
        t0.intoArray(acc, 0);
        t1.intoArray(acc, L);
        t2.intoArray(acc, 2 * L);
        t3.intoArray(acc, 3 * L);
    }
}
