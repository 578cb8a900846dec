package dev.ponder.engine.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q6_K: super-blocks of 256 values, 210 bytes each:
 * <pre>
 *   u8 ql[128]     low 4 bits of the quants
 *   u8 qh[64]      high 2 bits of the quants
 *   i8 scales[16]  one per 16 values
 *   f16 d          super-block scale
 * </pre>
 * Each half h (128 values) uses ql[64h..], qh[32h..], scales[8h..]. For l in 0..31, with a = ql[l],
 * b = ql[32+l], c = qh[l], the four values l, 32+l, 64+l, 96+l have the 6-bit quants
 * {@code a&15 | (c&3)<<4}, {@code b&15 | (c>>2&3)<<4}, {@code a>>4 | (c>>4&3)<<4},
 * {@code b>>4 | (c>>6&3)<<4}; value = d * scale[value/16] * (q - 32).
 */
final class Q6_KMatrix extends WeightMatrix {
    private static final VectorSpecies<Float> F = VectorWidth.floats(MethodHandles.lookup());
    private static final VectorSpecies<Byte> B = VectorWidth.bytes(F);
    /** Float lanes; float vectors per byte vector. */
    private static final int L = F.length(), P = B.length() / L;
    private static final int BLOCK = 256, BLOCK_BYTES = 210;

    Q6_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GGMLType type() {
        return GGMLType.Q6_K;
    }

    @Override
    public VectorSpecies<Float> species() {
        return F;
    }

    private int u8(long off) {
        return data.get(JAVA_BYTE, off) & 0xFF;
    }

    @Override
    public void dequantizeRow(int row, float[] out, int off) {
        checkRow(row, out.length, off);
        long blk = row * rowBytes;
        for (int o = off; o < off + cols; o += BLOCK, blk += BLOCK_BYTES) {
            float d = f16(blk + 208);
            for (int h = 0; h < 2; h++) {
                long ql = blk + 64 * h, qh = blk + 128 + 32 * h, sc = blk + 192 + 8 * h;
                int y = o + 128 * h;
                for (int l = 0; l < 32; l++) {
                    int a = u8(ql + l), b = u8(ql + 32 + l), c = u8(qh + l), is = l / 16;
                    out[y + l] = d * data.get(JAVA_BYTE, sc + is) * ((a & 15 | (c & 3) << 4) - 32);
                    out[y + l + 32] = d * data.get(JAVA_BYTE, sc + is + 2) * ((b & 15 | (c >> 2 & 3) << 4) - 32);
                    out[y + l + 64] = d * data.get(JAVA_BYTE, sc + is + 4) * ((a >> 4 | (c >> 4 & 3) << 4) - 32);
                    out[y + l + 96] = d * data.get(JAVA_BYTE, sc + is + 6) * ((b >> 4 | (c >> 6 & 3) << 4) - 32);
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
     * The quants (minus 32) of quarter k of a half, at byte offsets a (in ql) and qh, written out at each
     * use: ql's low nibbles for k < 2, its high nibbles otherwise (shifted right by 4), masked to 4 bits, or'ed
     * with qh's bits 2k, 2k+1 moved to bits 4, 5 (constant shifts: variable ones compile to slower code), minus 32.
     * Bytes are shifted as 16-bit lanes (x86 has no byte shift); the masks drop what crossed over.
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
        float[] acc = new float[L];
        dotInto(row, x, xOff, acc);
        FloatVector v = FloatVector.fromArray(F, acc, 0); // laneSum(v, L), written out
        if (L == 16) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1));
        if (L >= 8) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 1));
        return (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
    }

    /**
     * The loop of {@link #dot}, ending with its final vector stored to {@code acc} (the lane sum is done by
     * the caller: with it inside, the method grows past what the JIT compiles well and every vector is boxed).
     */
    private void dotInto(int row, float[] x, int xOff, float[] acc) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0; // chains for the two 16-value halves of a quarter
        long base = row * rowBytes;
        // A flat loop over quarters (32 values) keeps this method small enough for the JIT to compile whole.
        for (int u = 0; u < cols / 32; u++) {
            long blk = base + (u >> 3) * (long) BLOCK_BYTES;
            int h = (u >> 2) & 1, k = u & 3;
            long a = blk + 64 * h + 32 * (k & 1), qh = blk + 128 + 32 * h;
            long scales = data.get(LE_LONG, blk + 192 + 8 * h); // the half's 8 int8 scales
            float d = f16(blk + 208), s0 = d * (byte) (scales >>> 16 * k), s1 = d * (byte) (scales >>> 16 * k + 8);
            for (int j = 0; j < 16; j += B.length()) {
                ByteVector ql0 = ByteVector.fromMemorySegment(B, data, a + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector ql1 = ByteVector.fromMemorySegment(B, data, a + 16 + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector qh0 = ByteVector.fromMemorySegment(B, data, qh + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector qh1 = ByteVector.fromMemorySegment(B, data, qh + 16 + j, ByteOrder.LITTLE_ENDIAN);
                if (k >= 2) { // high nibbles
                    ql0 = ql0.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes();
                    ql1 = ql1.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes();
                }
                switch (k) { // qh bits 2k, 2k+1 to bits 4, 5
                    case 0 -> {
                        qh0 = qh0.reinterpretAsShorts().lanewise(LSHL, 4).reinterpretAsBytes();
                        qh1 = qh1.reinterpretAsShorts().lanewise(LSHL, 4).reinterpretAsBytes();
                    }
                    case 1 -> {
                        qh0 = qh0.reinterpretAsShorts().lanewise(LSHL, 2).reinterpretAsBytes();
                        qh1 = qh1.reinterpretAsShorts().lanewise(LSHL, 2).reinterpretAsBytes();
                    }
                    case 2 -> {}
                    default -> {
                        qh0 = qh0.reinterpretAsShorts().lanewise(LSHR, 2).reinterpretAsBytes();
                        qh1 = qh1.reinterpretAsShorts().lanewise(LSHR, 2).reinterpretAsBytes();
                    }
                }
                ByteVector q0 = ql0.and((byte) 15).or(qh0.and((byte) 0x30)).sub((byte) 32);
                ByteVector q1 = ql1.and((byte) 15).or(qh1.and((byte) 0x30)).sub((byte) 32);
                for (int p = 0; p < P; p++) {
                    int i = xOff + 32 * u + j + p * L;
                    acc0 = ((FloatVector) q0.convertShape(B2F, F, p)).mul(s0).fma(FloatVector.fromArray(F, x, i), acc0);
                    acc1 = ((FloatVector) q1.convertShape(B2F, F, p)).mul(s1).fma(FloatVector.fromArray(F, x, i + 16), acc1);
                }
            }
        }
        acc0.add(acc1).intoArray(acc, 0);
    }

    @Override
    void matvecRows(float[] x, float[] out, int from, int to) {
        float[] acc = new float[L];
        for (int r = from; r < to; r++) {
            dotInto(r, x, 0, acc);
            FloatVector v = FloatVector.fromArray(F, acc, 0); // laneSum(v, L), written out
            if (L == 16) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1));
            if (L >= 8) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 1));
            out[r] = (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
        }
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
     * {@link #dot} for up to four inputs at once, bit-identical to it: the same flat loop over quarters,
     * the same two chains and scale multiplies. Each quarter is decoded once for all inputs.
     */
    @Override
    void dotBatch(int row, float[] x, int xOff, int xStride, int n, float[] acc) {
        int x0 = xOff, x1 = xOff + Math.min(1, n - 1) * xStride;
        int x2 = xOff + Math.min(2, n - 1) * xStride, x3 = xOff + Math.min(3, n - 1) * xStride;
        // aK, bK: chains for the two 16-value halves of a quarter, input K
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        long base = row * rowBytes;
        for (int u = 0; u < cols / 32; u++) {
            long blk = base + (u >> 3) * (long) BLOCK_BYTES;
            int h = (u >> 2) & 1, k = u & 3;
            long a = blk + 64 * h + 32 * (k & 1), qh = blk + 128 + 32 * h;
            long scales = data.get(LE_LONG, blk + 192 + 8 * h);
            float d = f16(blk + 208), s0 = d * (byte) (scales >>> 16 * k), s1 = d * (byte) (scales >>> 16 * k + 8);
            for (int j = 0; j < 16; j += B.length()) {
                ByteVector ql0 = ByteVector.fromMemorySegment(B, data, a + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector ql1 = ByteVector.fromMemorySegment(B, data, a + 16 + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector qh0 = ByteVector.fromMemorySegment(B, data, qh + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector qh1 = ByteVector.fromMemorySegment(B, data, qh + 16 + j, ByteOrder.LITTLE_ENDIAN);
                if (k >= 2) { // high nibbles
                    ql0 = ql0.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes();
                    ql1 = ql1.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes();
                }
                switch (k) { // qh bits 2k, 2k+1 to bits 4, 5
                    case 0 -> {
                        qh0 = qh0.reinterpretAsShorts().lanewise(LSHL, 4).reinterpretAsBytes();
                        qh1 = qh1.reinterpretAsShorts().lanewise(LSHL, 4).reinterpretAsBytes();
                    }
                    case 1 -> {
                        qh0 = qh0.reinterpretAsShorts().lanewise(LSHL, 2).reinterpretAsBytes();
                        qh1 = qh1.reinterpretAsShorts().lanewise(LSHL, 2).reinterpretAsBytes();
                    }
                    case 2 -> {}
                    default -> {
                        qh0 = qh0.reinterpretAsShorts().lanewise(LSHR, 2).reinterpretAsBytes();
                        qh1 = qh1.reinterpretAsShorts().lanewise(LSHR, 2).reinterpretAsBytes();
                    }
                }
                ByteVector q0 = ql0.and((byte) 15).or(qh0.and((byte) 0x30)).sub((byte) 32);
                ByteVector q1 = ql1.and((byte) 15).or(qh1.and((byte) 0x30)).sub((byte) 32);
                for (int p = 0; p < P; p++) {
                    int i = 32 * u + j + p * L;
                    FloatVector w0 = ((FloatVector) q0.convertShape(B2F, F, p)).mul(s0);
                    FloatVector w1 = ((FloatVector) q1.convertShape(B2F, F, p)).mul(s1);
                    a0 = w0.fma(FloatVector.fromArray(F, x, x0 + i), a0);
                    a1 = w0.fma(FloatVector.fromArray(F, x, x1 + i), a1);
                    a2 = w0.fma(FloatVector.fromArray(F, x, x2 + i), a2);
                    a3 = w0.fma(FloatVector.fromArray(F, x, x3 + i), a3);
                    b0 = w1.fma(FloatVector.fromArray(F, x, x0 + i + 16), b0);
                    b1 = w1.fma(FloatVector.fromArray(F, x, x1 + i + 16), b1);
                    b2 = w1.fma(FloatVector.fromArray(F, x, x2 + i + 16), b2);
                    b3 = w1.fma(FloatVector.fromArray(F, x, x3 + i + 16), b3);
                }
            }
        }
        a0.add(b0).intoArray(acc, 0);
        a1.add(b1).intoArray(acc, L);
        a2.add(b2).intoArray(acc, 2 * L);
        a3.add(b3).intoArray(acc, 3 * L);
    }
}
