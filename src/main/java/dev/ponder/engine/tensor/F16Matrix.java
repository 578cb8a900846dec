package dev.ponder.engine.tensor;

import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.S2I;

import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/** ggml F16: little-endian IEEE half-precision floats, 2 bytes per value. */
final class F16Matrix extends WeightMatrix {
    private static final VectorSpecies<Float> F = VectorWidth.floats(MethodHandles.lookup());
    private static final int L = F.length();
    private static final VectorSpecies<Short> S = VectorWidth.shorts(F);
    private static final VectorSpecies<Integer> I = VectorWidth.ints(F);

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GGMLType type() {
        return GGMLType.F16;
    }

    @Override
    public VectorSpecies<Float> species() {
        return F;
    }

    private float value(int row, int i) {
        return Float.float16ToFloat(data.get(LE_SHORT, row * rowBytes + 2L * i));
    }

    /**
     * Lane-wise f16 to f32 of the half-precision bits in the low 16 bits of {@code h}. Exponent and
     * mantissa move to float position ({@code << 13}); multiplying by 2^112 rebiases the exponent (15 to
     * 127) and also turns half subnormals into the right normal floats. Infinities and NaNs (exponent
     * 31) instead get the float exponent 255.
     *
     * <p>The kernels do not call this: they write the same operations out at each load (see the note below), and
     * this copy is what the all-bit-patterns test checks; the kernels' copies are checked against the scalar
     * reference, which converts with {@link Float#float16ToFloat}.
     */
    static FloatVector halfToFloat(IntVector h) {
        IntVector magnitude = h.and(0x7FFF).lanewise(LSHL, 13);
        IntVector sign = h.and(0x8000).lanewise(LSHL, 16);
        IntVector finite = magnitude.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        IntVector bits = finite.blend(magnitude.or(0x7F800000), h.and(0x7C00).eq(0x7C00));
        return bits.or(sign).reinterpretAsFloats();
    }

    /*
     * No vector is an argument or result of a method of ours in the kernels: the row's loads with halfToFloat's
     * operations and the lane sums are written out where they are used.
     * The JIT boxes a vector on the heap at a call it does not inline, and whether it inlines a small helper
     * depends on how ripe its profile was when the caller compiled (see Q8_0Matrix). The lane sums, of dot's chains
     * and of dotBatch's accumulators reloaded from the array, are WeightMatrix.laneSum's tree by halves written out (the
     * same additions); WeightMatrix.laneSum(float[]) would do them as dependent scalar adds through memory right
     * after a wide store, which made a 768x256 Q4_0 product at batch 4 about 35 % slower.
     */

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
        float[] r = new float[1];
        dotRows(x, xOff, r, -row, row, row + 1);
        return r[0];
    }

    /**
     * {@code out[outOff + r] = dot(r, x, xOff)} for {@code r} in {@code [from, to)}: dot's loop, one row after the
     * other in a single method. With its loads and lane sum written out (see the note above), dot is too large for
     * the JIT to inline into a caller's row loop, so the row loop lives here instead of making a call per row.
     */
    private void dotRows(float[] x, int xOff, float[] out, int outOff, int from, int to) {
        for (int row = from; row < to; row++) {
            long base = row * rowBytes;
            FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
            int i = 0;
            for (; i + 2 * L <= cols; i += 2 * L) {
                IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S, data, base + 2L * i, ByteOrder.LITTLE_ENDIAN).convertShape(S2I, I, 0);
                IntVector m0 = h0.and(0x7FFF).lanewise(LSHL, 13); // halfToFloat, written out
                FloatVector w0 = m0.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts().blend(m0.or(0x7F800000), h0.and(0x7C00).eq(0x7C00))
                        .or(h0.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
                IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S, data, base + 2L * (i + L), ByteOrder.LITTLE_ENDIAN).convertShape(S2I, I, 0);
                IntVector m1 = h1.and(0x7FFF).lanewise(LSHL, 13); // halfToFloat, written out
                FloatVector w1 = m1.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts().blend(m1.or(0x7F800000), h1.and(0x7C00).eq(0x7C00))
                        .or(h1.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
                acc0 = w0.fma(FloatVector.fromArray(F, x, xOff + i), acc0);
                acc1 = w1.fma(FloatVector.fromArray(F, x, xOff + i + L), acc1);
            }
            // laneSum(acc0 + acc1, L), written out: the two 256-bit halves, the two 128-bit halves, then the four lanes
            FloatVector v = acc0.add(acc1);
            if (L == 16) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1));
            if (L >= 8) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 1));
            float sum = (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
            for (; i < cols; i++) sum += value(row, i) * x[xOff + i];
            out[outOff + row] = sum;
        }
    }

    /**
     * {@link #dotRows} for two inputs, {@code x[xOff ..]} and {@code x[xOff + cols ..]}, into {@code out[outOff + r]}
     * and {@code out[outOff + rows + r]}: rows outer, so a row is read once for both (a batch of two, or a last
     * group of two, in {@link #matmulRows}). A separate copy: the same loop over a variable input count is slower
     * for one input.
     */
    private void dotRows2(float[] x, int xOff, float[] out, int outOff, int from, int to) {
        for (int row = from; row < to; row++) {
            long base = row * rowBytes;
            for (int k = 0; k < 2; k++) {
                int xk = xOff + k * cols;
                FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
                int i = 0;
                for (; i + 2 * L <= cols; i += 2 * L) {
                    IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S, data, base + 2L * i, ByteOrder.LITTLE_ENDIAN).convertShape(S2I, I, 0);
                    IntVector m0 = h0.and(0x7FFF).lanewise(LSHL, 13); // halfToFloat, written out
                    FloatVector w0 = m0.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts().blend(m0.or(0x7F800000), h0.and(0x7C00).eq(0x7C00))
                            .or(h0.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
                    IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S, data, base + 2L * (i + L), ByteOrder.LITTLE_ENDIAN).convertShape(S2I, I, 0);
                    IntVector m1 = h1.and(0x7FFF).lanewise(LSHL, 13); // halfToFloat, written out
                    FloatVector w1 = m1.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts().blend(m1.or(0x7F800000), h1.and(0x7C00).eq(0x7C00))
                            .or(h1.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
                    acc0 = w0.fma(FloatVector.fromArray(F, x, xk + i), acc0);
                    acc1 = w1.fma(FloatVector.fromArray(F, x, xk + i + L), acc1);
                }
                // laneSum(acc0 + acc1, L), written out: the two 256-bit halves, the two 128-bit halves, then the four lanes
                FloatVector v = acc0.add(acc1);
                if (L == 16) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1));
                if (L >= 8) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 1));
                float sum = (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
                for (; i < cols; i++) sum += value(row, i) * x[xk + i];
                out[outOff + k * rows + row] = sum;
            }
        }
    }

    @Override
    void matvecRows(float[] x, float[] out, int from, int to) {
        dotRows(x, 0, out, 0, from, to);
    }

    @Override
    void matmulRows(float[] x, int batch, float[] out, int from, int to) {
        if (batch == 2) { // no call per row
            dotRows2(x, 0, out, 0, from, to);
            return;
        }
        float[] acc = new float[4 * L]; // dotBatch's per-input accumulators, [4][L]
        for (int r = from; r < to; r++)
            for (int b = 0; b < batch; b += 4) {
                int n = Math.min(4, batch - b);
                if (n == 1) dotRows(x, b * cols, out, b * rows, r, r + 1); // cheaper than a 4-chain pass
                else if (n == 2) dotRows2(x, b * cols, out, b * rows, r, r + 1);
                else {
                    dotBatch(r, x, b * cols, cols, n, acc);
                    for (int k = 0; k < n; k++) {
                        FloatVector v = FloatVector.fromArray(F, acc, k * L); // laneSum(v, L), written out as in dot
                        if (L == 16) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1));
                        if (L >= 8) v = ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 0)).add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_128, 1));
                        float s = (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
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
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S, data, base + 2L * i, ByteOrder.LITTLE_ENDIAN).convertShape(S2I, I, 0);
            IntVector m0 = h0.and(0x7FFF).lanewise(LSHL, 13); // halfToFloat, written out
            FloatVector w = m0.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts().blend(m0.or(0x7F800000), h0.and(0x7C00).eq(0x7C00))
                    .or(h0.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            a0 = w.fma(FloatVector.fromArray(F, x, x0 + i), a0);
            a1 = w.fma(FloatVector.fromArray(F, x, x1 + i), a1);
            a2 = w.fma(FloatVector.fromArray(F, x, x2 + i), a2);
            a3 = w.fma(FloatVector.fromArray(F, x, x3 + i), a3);
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S, data, base + 2L * (i + L), ByteOrder.LITTLE_ENDIAN).convertShape(S2I, I, 0);
            IntVector m1 = h1.and(0x7FFF).lanewise(LSHL, 13); // halfToFloat, written out
            w = m1.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts().blend(m1.or(0x7F800000), h1.and(0x7C00).eq(0x7C00))
                    .or(h1.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
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
