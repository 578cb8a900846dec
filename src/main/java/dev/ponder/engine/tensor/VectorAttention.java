package dev.ponder.engine.tensor;

import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0; // chain c: dimensions d ≡ c (mod 4)
            int d = 0, k = off + j;
            for (; d + 3 < n; d += 4, k += 4 * stride) {
                a0 = FloatVector.fromArray(F, keys, k, m).fma(FloatVector.broadcast(F, q[qOff + d]), a0);
                a1 = FloatVector.fromArray(F, keys, k + stride, m).fma(FloatVector.broadcast(F, q[qOff + d + 1]), a1);
                a2 = FloatVector.fromArray(F, keys, k + 2 * stride, m).fma(FloatVector.broadcast(F, q[qOff + d + 2]), a2);
                a3 = FloatVector.fromArray(F, keys, k + 3 * stride, m).fma(FloatVector.broadcast(F, q[qOff + d + 3]), a3);
            }
            if (d < n) a0 = FloatVector.fromArray(F, keys, k, m).fma(FloatVector.broadcast(F, q[qOff + d]), a0);
            if (d + 1 < n) a1 = FloatVector.fromArray(F, keys, k + stride, m).fma(FloatVector.broadcast(F, q[qOff + d + 1]), a1);
            if (d + 2 < n) a2 = FloatVector.fromArray(F, keys, k + 2 * stride, m).fma(FloatVector.broadcast(F, q[qOff + d + 2]), a2);
            a0.add(a2).add(a1.add(a3)).mul(scale).intoArray(out, outOff + j, m);
        }
    }

    @Override
    public void mix(float[] p, int pOff, float[] rows, int off, int stride, int count, int n, float[] acc, int accOff) {
        // per vector of dimensions two chains, even and odd positions (added at the end), and two vectors of
        // dimensions at a time: four independent FMA chains hide the FMA latency
        int d = 0;
        for (; d + 2 * L <= n; d += 2 * L) {
            FloatVector a0 = FloatVector.fromArray(F, acc, accOff + d), b0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.fromArray(F, acc, accOff + d + L), b1 = b0;
            int j = 0;
            for (; j + 1 < count; j += 2) {
                int r0 = off + j * stride + d, r1 = r0 + stride;
                FloatVector p0 = FloatVector.broadcast(F, p[pOff + j]), p1 = FloatVector.broadcast(F, p[pOff + j + 1]);
                a0 = FloatVector.fromArray(F, rows, r0).fma(p0, a0);
                a1 = FloatVector.fromArray(F, rows, r0 + L).fma(p0, a1);
                b0 = FloatVector.fromArray(F, rows, r1).fma(p1, b0);
                b1 = FloatVector.fromArray(F, rows, r1 + L).fma(p1, b1);
            }
            if (j < count) {
                FloatVector p0 = FloatVector.broadcast(F, p[pOff + j]);
                int r0 = off + j * stride + d;
                a0 = FloatVector.fromArray(F, rows, r0).fma(p0, a0);
                a1 = FloatVector.fromArray(F, rows, r0 + L).fma(p0, a1);
            }
            a0.add(b0).intoArray(acc, accOff + d);
            a1.add(b1).intoArray(acc, accOff + d + L);
        }
        for (; d < n; d += L) {
            VectorMask<Float> m = F.indexInRange(d, n);
            FloatVector a = FloatVector.fromArray(F, acc, accOff + d, m), b = FloatVector.zero(F);
            int j = 0;
            for (; j + 1 < count; j += 2) {
                a = FloatVector.fromArray(F, rows, off + j * stride + d, m).fma(FloatVector.broadcast(F, p[pOff + j]), a);
                b = FloatVector.fromArray(F, rows, off + (j + 1) * stride + d, m).fma(FloatVector.broadcast(F, p[pOff + j + 1]), b);
            }
            if (j < count) a = FloatVector.fromArray(F, rows, off + j * stride + d, m).fma(FloatVector.broadcast(F, p[pOff + j]), a);
            a.add(b).intoArray(acc, accOff + d, m);
        }
    }

    @Override
    public float max(float[] s, int off, int n) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i + L <= n; i += L) m = m.max(FloatVector.fromArray(F, s, off + i));
        float r = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) r = Math.max(r, s[off + i]);
        return r;
    }

    /*
     * exp: AttentionKernels#exp in every lane of x (lanes must be <= 0), written out where it is used (expSum and
     * swiglu) so that no vector is an argument or result of a method of ours: the JIT boxes a vector on the heap at
     * a call it does not inline, and whether it inlines a small helper depends on how ripe its profile was when the
     * caller compiled (see Q8_0Matrix). Lanes below EXP_MIN give 0; otherwise k = x·log2(e) rounded by adding
     * ROUND, r = x - k·ln2 (in two parts), e^r by a degree-7 polynomial, scaled by 2^k built in the exponent bits.
     */
    @Override
    public double expSum(float[] s, int off, int n, float max) {
        int i = 0;
        for (; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(F, s, off + i, m).sub(max);
            // AttentionKernels#exp in every lane (see the note on exp)
            VectorMask<Float> under = x.lt(EXP_MIN);
            FloatVector k = x.mul(LOG2E).add(ROUND);
            FloatVector nf = k.sub(ROUND);
            FloatVector r = nf.fma(FloatVector.broadcast(F, -LN2_HI), x);
            r = nf.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector e = FloatVector.broadcast(F, C7).fma(r, FloatVector.broadcast(F, C6));
            e = e.fma(r, FloatVector.broadcast(F, C5));
            e = e.fma(r, FloatVector.broadcast(F, C4));
            e = e.fma(r, FloatVector.broadcast(F, C3));
            e = e.fma(r, FloatVector.broadcast(F, C2));
            e = e.fma(r, FloatVector.broadcast(F, 1f));
            e = e.fma(r, FloatVector.broadcast(F, 1f));
            FloatVector scale = k.reinterpretAsInts().sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            e.mul(scale).blend(0f, under).intoArray(s, off + i, m);
        }
        return AttentionKernels.sum4(s, off, n);
    }

    @Override
    public void swiglu(float[] gate, float[] up, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            FloatVector x = g.abs().neg();
            // t = e^-|g|, in (0, 1]: exp written out (see the note on exp)
            VectorMask<Float> under = x.lt(EXP_MIN);
            FloatVector k = x.mul(LOG2E).add(ROUND);
            FloatVector nf = k.sub(ROUND);
            FloatVector r = nf.fma(FloatVector.broadcast(F, -LN2_HI), x);
            r = nf.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector e = FloatVector.broadcast(F, C7).fma(r, FloatVector.broadcast(F, C6));
            e = e.fma(r, FloatVector.broadcast(F, C5));
            e = e.fma(r, FloatVector.broadcast(F, C4));
            e = e.fma(r, FloatVector.broadcast(F, C3));
            e = e.fma(r, FloatVector.broadcast(F, C2));
            e = e.fma(r, FloatVector.broadcast(F, 1f));
            e = e.fma(r, FloatVector.broadcast(F, 1f));
            FloatVector scale = k.reinterpretAsInts().sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector t = e.mul(scale).blend(0f, under);
            FloatVector num = g.mul(t).blend(g, g.compare(VectorOperators.GE, 0f));
            num.div(t.add(1f)).mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
        }
        for (; i < n; i++) gate[i] = AttentionKernels.swiglu(gate[i], up[i]);
    }
}
