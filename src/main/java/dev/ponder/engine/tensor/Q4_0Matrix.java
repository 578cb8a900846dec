package dev.ponder.engine.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q4_0: blocks of 32 values, 18 bytes each: {@code f16 d} then 16 bytes of nibbles. Byte i holds
 * element i in its low nibble and element 16 + i in its high nibble; value = (q - 8) * d.
 *
 * <p>The fast kernel widens packed bytes to int lanes, splits them there into low and high nibbles minus
 * 8, converts those to floats and multiplies them into the input; the block scale is applied once to
 * each block's partial sums.
 */
final class Q4_0Matrix extends WeightMatrix {
    private static final VectorSpecies<Float> F = VectorWidth.floats(MethodHandles.lookup());
    private static final VectorSpecies<Byte> B = VectorWidth.bytes(F);
    private static final VectorSpecies<Integer> I = VectorWidth.ints(F);
    /** Float lanes; float vectors per byte vector. */
    private static final int L = F.length(), P = B.length() / L;
    private static final int BLOCK = 32, BLOCK_BYTES = 18;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GGMLType type() {
        return GGMLType.Q4_0;
    }

    @Override
    public VectorSpecies<Float> species() {
        return F;
    }

    @Override
    public void dequantizeRow(int row, float[] out, int off) {
        checkRow(row, out.length, off);
        long blk = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, blk += BLOCK_BYTES) {
            float d = f16(blk);
            for (int i = 0; i < 16; i++) {
                int q = data.get(JAVA_BYTE, blk + 2 + i) & 0xFF;
                out[off + b * BLOCK + i] = ((q & 0xF) - 8) * d;
                out[off + b * BLOCK + 16 + i] = ((q >> 4) - 8) * d;
            }
        }
    }

    @Override
    public float dotReference(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        long blk = row * rowBytes;
        float sum = 0;
        for (int b = 0; b < cols / BLOCK; b++, blk += BLOCK_BYTES) {
            float d = f16(blk);
            for (int i = 0; i < 16; i++) {
                int q = data.get(JAVA_BYTE, blk + 2 + i) & 0xFF;
                sum += ((q & 0xF) - 8) * d * x[xOff + b * BLOCK + i];
                sum += ((q >> 4) - 8) * d * x[xOff + b * BLOCK + 16 + i];
            }
        }
        return sum;
    }

    /*
     * Decoding, written out at each use: bytes [p*L, (p+1)*L) of a byte vector v widened to int lanes
     * ((IntVector) v.convertShape(B2I, I, p): split into nibbles there, cheaper than on bytes); the low nibbles
     * minus 8 as floats ((FloatVector) q.and(0x0F).sub(8).convert(I2F, 0)); the high nibbles likewise after
     * q.lanewise(LSHR, 4) (the mask also drops the sign extension).
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
        // Two blocks per step, each with its own chain. The block scale is applied once to the block's
        // partial sums.
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        long blk = row * rowBytes;
        int e = xOff, end = xOff + cols;
        for (; e + 2 * BLOCK <= end; e += 2 * BLOCK, blk += 2 * BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0;
            for (int j = 0; j < 16; j += B.length()) {
                ByteVector v0 = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector v1 = ByteVector.fromMemorySegment(B, data, blk + BLOCK_BYTES + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    int i = e + j + p * L;
                    IntVector q0 = (IntVector) v0.convertShape(B2I, I, p), q1 = (IntVector) v1.convertShape(B2I, I, p);
                    s0 = ((FloatVector) q0.and(0x0F).sub(8).convert(I2F, 0)).fma(FloatVector.fromArray(F, x, i), s0);
                    s0 = ((FloatVector) q0.lanewise(LSHR, 4).and(0x0F).sub(8).convert(I2F, 0)).fma(FloatVector.fromArray(F, x, i + 16), s0);
                    s1 = ((FloatVector) q1.and(0x0F).sub(8).convert(I2F, 0)).fma(FloatVector.fromArray(F, x, i + BLOCK), s1);
                    s1 = ((FloatVector) q1.lanewise(LSHR, 4).and(0x0F).sub(8).convert(I2F, 0)).fma(FloatVector.fromArray(F, x, i + BLOCK + 16), s1);
                }
            }
            acc0 = s0.fma(FloatVector.broadcast(F, f16(blk)), acc0);
            acc1 = s1.fma(FloatVector.broadcast(F, f16(blk + BLOCK_BYTES)), acc1);
        }
        if (e < end) { // odd block count: the last block alone
            FloatVector s0 = FloatVector.zero(F);
            for (int j = 0; j < 16; j += B.length()) {
                ByteVector v0 = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    int i = e + j + p * L;
                    IntVector q0 = (IntVector) v0.convertShape(B2I, I, p);
                    s0 = ((FloatVector) q0.and(0x0F).sub(8).convert(I2F, 0)).fma(FloatVector.fromArray(F, x, i), s0);
                    s0 = ((FloatVector) q0.lanewise(LSHR, 4).and(0x0F).sub(8).convert(I2F, 0)).fma(FloatVector.fromArray(F, x, i + 16), s0);
                }
            }
            acc0 = s0.fma(FloatVector.broadcast(F, f16(blk)), acc0);
        }
        // laneSum(acc0 + acc1, L), written out: the two 256-bit halves, the two 128-bit halves, then the four lanes
        FloatVector v = acc0.add(acc1);
        if (L == 16) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1));
        if (L >= 8) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 1));
        return (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
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
     * {@link #dot} for up to four inputs at once, bit-identical to it: block b's partial sums (low and
     * high nibbles alternating, as in {@code dot}) go to chain b % 2 with one scale FMA. Each block is
     * decoded once for all inputs.
     */
    @Override
    void dotBatch(int row, float[] x, int xOff, int xStride, int n, float[] acc) {
        int x0 = xOff, x1 = xOff + Math.min(1, n - 1) * xStride;
        int x2 = xOff + Math.min(2, n - 1) * xStride, x3 = xOff + Math.min(3, n - 1) * xStride;
        // aK: chain 0 (even blocks) of input K, bK: chain 1 (odd blocks)
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        long blk = row * rowBytes;
        for (int e = 0; e < cols; e += BLOCK, blk += BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0; // the block's partial sums
            for (int j = 0; j < 16; j += B.length()) {
                ByteVector v = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    int i = e + j + p * L;
                    IntVector q = (IntVector) v.convertShape(B2I, I, p);
                    FloatVector lo = (FloatVector) q.and(0x0F).sub(8).convert(I2F, 0);
                    FloatVector hi = (FloatVector) q.lanewise(LSHR, 4).and(0x0F).sub(8).convert(I2F, 0);
                    s0 = hi.fma(FloatVector.fromArray(F, x, x0 + i + 16), lo.fma(FloatVector.fromArray(F, x, x0 + i), s0));
                    s1 = hi.fma(FloatVector.fromArray(F, x, x1 + i + 16), lo.fma(FloatVector.fromArray(F, x, x1 + i), s1));
                    s2 = hi.fma(FloatVector.fromArray(F, x, x2 + i + 16), lo.fma(FloatVector.fromArray(F, x, x2 + i), s2));
                    s3 = hi.fma(FloatVector.fromArray(F, x, x3 + i + 16), lo.fma(FloatVector.fromArray(F, x, x3 + i), s3));
                }
            }
            FloatVector d = FloatVector.broadcast(F, f16(blk));
            if ((e & BLOCK) == 0) {
                a0 = s0.fma(d, a0);
                a1 = s1.fma(d, a1);
                a2 = s2.fma(d, a2);
                a3 = s3.fma(d, a3);
            } else {
                b0 = s0.fma(d, b0);
                b1 = s1.fma(d, b1);
                b2 = s2.fma(d, b2);
                b3 = s3.fma(d, b3);
            }
        }
        a0.add(b0).intoArray(acc, 0);
        a1.add(b1).intoArray(acc, L);
        a2.add(b2).intoArray(acc, 2 * L);
        a3.add(b3).intoArray(acc, 3 * L);
    }
}
