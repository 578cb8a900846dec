package dev.ponder.engine.tensor;


import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** ggml F32: plain little-endian 32-bit floats, 4 bytes per value. */
final class F32Matrix extends WeightMatrix {
    private static final VectorSpecies<Float> F = VectorWidth.floats(MethodHandles.lookup());
    private static final int L = F.length();
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    F32Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GGMLType type() {
        return GGMLType.F32;
    }

    @Override
    public VectorSpecies<Float> species() {
        return F;
    }

    private float value(int row, int i) {
        return data.get(LE_FLOAT, row * rowBytes + 4L * i);
    }

    /** {@code L} values of the row starting at byte {@code off}. */
    private FloatVector load(long off) {
        return FloatVector.fromMemorySegment(F, data, off, ByteOrder.LITTLE_ENDIAN);
    }

    /** The lanes of {@code v} added in a fixed order (see {@link WeightMatrix#laneSum}). */
    private static float sum(FloatVector v) {
        return laneSum(v, L);
    }

    @Override
    public void dequantizeRow(int row, float[] out, int off) {
        checkRow(row, out.length, off);
        for (int i = 0; i < cols; i++) out[off + i] = value(row, i);
    }

    @Override
    public float dotReference(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        float sum = 0;
        for (int i = 0; i < cols; i++) sum += value(row, i) * x[xOff + i];
        return sum;
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        checkRow(row, x.length, xOff);
        long base = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int i = 0;
        for (; i + 2 * L <= cols; i += 2 * L) {
            acc0 = load(base + 4L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = load(base + 4L * (i + L)).fma(FloatVector.fromArray(F, x, xOff + i + L), acc1);
        }
        float sum = sum(acc0.add(acc1));
        for (; i < cols; i++) sum += value(row, i) * x[xOff + i];
        return sum;
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
                        float s = sum(FloatVector.fromArray(F, acc, k * L));
                        for (int i = cols - cols % (2 * L); i < cols; i++) s += value(r, i) * x[(b + k) * cols + i]; // dot's scalar tail
                        out[(b + k) * rows + r] = s;
                    }
                }
            }
    }

    /**
     * {@link #dot} for up to four inputs at once: for each input the same two chains (even and odd
     * vectors of the row), the same lane reduction and the same scalar tail, so every result is
     * bit-identical to {@code dot}'s; each weight vector is loaded once for all inputs.
     */
    @Override
    void dotBatch(int row, float[] x, int xOff, int xStride, int n, float[] acc) {
        int x0 = xOff, x1 = xOff + Math.min(1, n - 1) * xStride;
        int x2 = xOff + Math.min(2, n - 1) * xStride, x3 = xOff + Math.min(3, n - 1) * xStride;
        // aK: chain 0 of input K, bK: chain 1 of input K
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        long base = row * rowBytes;
        int i = 0;
        for (; i + 2 * L <= cols; i += 2 * L) {
            FloatVector w = load(base + 4L * i);
            a0 = w.fma(FloatVector.fromArray(F, x, x0 + i), a0);
            a1 = w.fma(FloatVector.fromArray(F, x, x1 + i), a1);
            a2 = w.fma(FloatVector.fromArray(F, x, x2 + i), a2);
            a3 = w.fma(FloatVector.fromArray(F, x, x3 + i), a3);
            w = load(base + 4L * (i + L));
            b0 = w.fma(FloatVector.fromArray(F, x, x0 + i + L), b0);
            b1 = w.fma(FloatVector.fromArray(F, x, x1 + i + L), b1);
            b2 = w.fma(FloatVector.fromArray(F, x, x2 + i + L), b2);
            b3 = w.fma(FloatVector.fromArray(F, x, x3 + i + L), b3);
        }
        a0.add(b0).intoArray(acc, 0);
        a1.add(b1).intoArray(acc, L);
        a2.add(b2).intoArray(acc, 2 * L);
        a3.add(b3).intoArray(acc, 3 * L);
    }
}
