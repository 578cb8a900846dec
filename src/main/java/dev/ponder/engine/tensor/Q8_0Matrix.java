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
 * <p>The fast kernel widens the int8 quants straight to float lanes (B2F) and multiplies them into the
 * input; each block's partial sums get the block scale with one more fused multiply-add.
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

    /** The lanes of {@code v} added in a fixed order (see {@link WeightMatrix#laneSum}). */
    private static float sum(FloatVector v) {
        return laneSum(v, L);
    }

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

    @Override
    public float dot(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        // Two blocks per step, each with its own chain. The block scale is applied once to the block's
        // partial sums (3 FMAs per 32 values at 16 lanes, instead of 2 multiplies + 2 FMAs).
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        long blk = row * rowBytes;
        int e = xOff, end = xOff + cols;
        for (; e + 2 * BLOCK <= end; e += 2 * BLOCK, blk += 2 * BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0;
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q0 = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector q1 = ByteVector.fromMemorySegment(B, data, blk + BLOCK_BYTES + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    int i = e + j + p * L;
                    s0 = ((FloatVector) q0.convertShape(B2F, F, p)).fma(FloatVector.fromArray(F, x, i), s0);
                    s1 = ((FloatVector) q1.convertShape(B2F, F, p)).fma(FloatVector.fromArray(F, x, i + BLOCK), s1);
                }
            }
            acc0 = s0.fma(FloatVector.broadcast(F, f16(blk)), acc0);
            acc1 = s1.fma(FloatVector.broadcast(F, f16(blk + BLOCK_BYTES)), acc1);
        }
        if (e < end) { // odd block count: the last block alone
            FloatVector s0 = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q0 = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++)
                    s0 = ((FloatVector) q0.convertShape(B2F, F, p)).fma(FloatVector.fromArray(F, x, e + j + p * L), s0);
            }
            acc0 = s0.fma(FloatVector.broadcast(F, f16(blk)), acc0);
        }
        return sum(acc0.add(acc1));
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
                    for (int k = 0; k < n; k++) out[(b + k) * rows + r] = sum(FloatVector.fromArray(F, acc, k * L));
                }
            }
    }

    /**
     * {@link #dot} for up to four inputs at once, bit-identical to it: block b's partial sums go to
     * chain b % 2 with one scale FMA, as in {@code dot} (which takes the blocks in pairs, the last odd
     * one alone into chain 0). Each block is decoded once for all inputs.
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
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    FloatVector w = (FloatVector) q.convertShape(B2F, F, p);
                    int i = e + j + p * L;
                    s0 = w.fma(FloatVector.fromArray(F, x, x0 + i), s0);
                    s1 = w.fma(FloatVector.fromArray(F, x, x1 + i), s1);
                    s2 = w.fma(FloatVector.fromArray(F, x, x2 + i), s2);
                    s3 = w.fma(FloatVector.fromArray(F, x, x3 + i), s3);
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
