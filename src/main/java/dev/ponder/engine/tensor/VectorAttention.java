package dev.ponder.engine.tensor;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API {@link AttentionKernels}; other widths are hidden copies of this class (see {@link VectorWidth}). */
final class VectorAttention implements AttentionKernels {
    private static final VectorSpecies<Float> F = VectorWidth.floats(MethodHandles.lookup());
    private static final int L = F.length();
    /** The instance at the preferred width (in a width-specialised copy: an instance of that copy, unused). */
    static final AttentionKernels PREFERRED = new VectorAttention();

    VectorAttention() {}

    @Override
    public int bits() {
        return F.vectorBitSize();
    }

    @Override
    public void scores(float[] q, int qOff, float[] keys, int off, int stride, int count, int n, float scale, float[] out, int outOff) {
        for (int j = 0; j < count; j += L) {
            VectorMask<Float> m = F.indexInRange(j, count);
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            int d = 0;
            for (; d + 1 < n; d += 2) {
                a0 = FloatVector.fromArray(F, keys, off + d * stride + j, m).fma(FloatVector.broadcast(F, q[qOff + d]), a0);
                a1 = FloatVector.fromArray(F, keys, off + (d + 1) * stride + j, m).fma(FloatVector.broadcast(F, q[qOff + d + 1]), a1);
            }
            if (d < n) a0 = FloatVector.fromArray(F, keys, off + d * stride + j, m).fma(FloatVector.broadcast(F, q[qOff + d]), a0);
            a0.add(a1).mul(scale).intoArray(out, outOff + j, m);
        }
    }

    @Override
    public void mix(float[] p, int pOff, float[] rows, int off, int stride, int count, int n, float[] acc, int accOff) {
        int d = 0;
        for (; d + L <= n; d += L) {
            FloatVector a = FloatVector.fromArray(F, acc, accOff + d);
            for (int j = 0; j < count; j++)
                a = FloatVector.fromArray(F, rows, off + j * stride + d).fma(FloatVector.broadcast(F, p[pOff + j]), a);
            a.intoArray(acc, accOff + d);
        }
        if (d < n) {
            VectorMask<Float> m = F.indexInRange(d, n);
            FloatVector a = FloatVector.fromArray(F, acc, accOff + d, m);
            for (int j = 0; j < count; j++)
                a = FloatVector.fromArray(F, rows, off + j * stride + d, m).fma(FloatVector.broadcast(F, p[pOff + j]), a);
            a.intoArray(acc, accOff + d, m);
        }
    }
}
