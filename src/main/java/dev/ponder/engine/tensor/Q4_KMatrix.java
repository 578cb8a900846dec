package dev.ponder.engine.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static jdk.incubator.vector.VectorOperators.ADD;
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

    /** The nibbles of the bytes at {@code off}: low ones when {@code high} is 0, high ones when it is 1. */
    private ByteVector nibbles(long off, int high) {
        ByteVector v = ByteVector.fromMemorySegment(B, data, off, ByteOrder.LITTLE_ENDIAN);
        // shifted as 16-bit lanes (x86 has no byte shift); the mask drops what crossed over
        return (high == 0 ? v : v.reinterpretAsShorts().lanewise(LSHR, 4).reinterpretAsBytes()).and((byte) 0x0F);
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0; // chains for the two 16-value halves of a sub-block
        long base = row * rowBytes;
        // One flat loop over sub-blocks (32 values) runs faster than nested super-block/sub-block loops.
        for (int u = 0; u < cols / 32; u++) {
            long blk = base + (u >> 3) * (long) BLOCK_BYTES;
            int s = u & 7, sc = (int) (scales(blk) >>> 8 * s) & 0xFF, m = (int) (mins(blk) >>> 8 * s) & 0xFF;
            float ds = f16(blk) * sc, ms = -f16(blk + 2) * m;
            long qs = blk + 16 + 32 * (s >> 1);
            for (int j = 0; j < 16; j += B.length()) {
                ByteVector q0 = nibbles(qs + j, s & 1), q1 = nibbles(qs + 16 + j, s & 1);
                for (int p = 0; p < P; p++) {
                    int i = xOff + 32 * u + j + p * L;
                    acc0 = ((FloatVector) q0.convertShape(B2F, F, p)).fma(ds, ms).fma(FloatVector.fromArray(F, x, i), acc0);
                    acc1 = ((FloatVector) q1.convertShape(B2F, F, p)).fma(ds, ms).fma(FloatVector.fromArray(F, x, i + 16), acc1);
                }
            }
        }
        return acc0.add(acc1).reduceLanes(ADD);
    }

    @Override
    void dotBatch(int row, float[] x, int xOff, int xStride, int n, float[] out, int outOff, int outStride) {
        int x0 = xOff, x1 = xOff + Math.min(1, n - 1) * xStride;
        int x2 = xOff + Math.min(2, n - 1) * xStride, x3 = xOff + Math.min(3, n - 1) * xStride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long blk = row * rowBytes;
        for (int e = 0; e < cols; e += BLOCK, blk += BLOCK_BYTES) {
            float d = f16(blk), dmin = f16(blk + 2);
            long scales = scales(blk), mins = mins(blk);
            for (int s = 0; s < 8; s++) {
                int sc = (int) (scales >>> 8 * s) & 0xFF, m = (int) (mins >>> 8 * s) & 0xFF;
                float ds = d * sc, ms = -dmin * m;
                for (int j = 0; j < 32; j += B.length()) {
                    ByteVector q = nibbles(blk + 16 + 32 * (s >> 1) + j, s & 1);
                    for (int p = 0; p < P; p++) {
                        FloatVector w = ((FloatVector) q.convertShape(B2F, F, p)).fma(ds, ms);
                        int i = e + 32 * s + j + p * L;
                        a0 = w.fma(FloatVector.fromArray(F, x, x0 + i), a0);
                        a1 = w.fma(FloatVector.fromArray(F, x, x1 + i), a1);
                        a2 = w.fma(FloatVector.fromArray(F, x, x2 + i), a2);
                        a3 = w.fma(FloatVector.fromArray(F, x, x3 + i), a3);
                    }
                }
            }
        }
        store4(out, outOff, outStride, n, a0, a1, a2, a3);
    }
}
