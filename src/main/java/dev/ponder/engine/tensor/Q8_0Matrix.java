package dev.ponder.engine.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static jdk.incubator.vector.VectorOperators.ADD;
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
        return acc0.add(acc1).reduceLanes(ADD);
    }

    @Override
    void matvecRows(float[] x, float[] out, int from, int to) {
        for (int r = from; r < to; r++) out[r] = dot(r, x, 0);
    }

    @Override
    void matmulRows(float[] x, int batch, float[] out, int from, int to) {
        for (int r = from; r < to; r++)
            for (int b = 0; b < batch; b += 4) dotBatch(r, x, b * cols, cols, Math.min(4, batch - b), out, b * rows + r, rows);
    }

    @Override
    void dotBatch(int row, float[] x, int xOff, int xStride, int n, float[] out, int outOff, int outStride) {
        int x0 = xOff, x1 = xOff + Math.min(1, n - 1) * xStride;
        int x2 = xOff + Math.min(2, n - 1) * xStride, x3 = xOff + Math.min(3, n - 1) * xStride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long blk = row * rowBytes;
        for (int e = 0; e < cols; e += BLOCK, blk += BLOCK_BYTES) {
            float d = f16(blk);
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, blk + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < P; p++) {
                    FloatVector w = ((FloatVector) q.convertShape(B2F, F, p)).mul(d);
                    int i = e + j + p * L;
                    a0 = w.fma(FloatVector.fromArray(F, x, x0 + i), a0);
                    a1 = w.fma(FloatVector.fromArray(F, x, x1 + i), a1);
                    a2 = w.fma(FloatVector.fromArray(F, x, x2 + i), a2);
                    a3 = w.fma(FloatVector.fromArray(F, x, x3 + i), a3);
                }
            }
        }
        store4(out, outOff, outStride, n, a0, a1, a2, a3);
    }
}
