package dev.ponder.learn.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A vectorised {@code exp} for softmax, cross-entropy and SwiGLU, built only from lane-wise IEEE operations
 * (fma, add, mul, min/max, integer shifts and bit reinterpretation). Unlike {@code VectorOperators.EXP}, whose
 * result may differ between the interpreter and compiled code, these give bit-identical results in every JIT
 * tier, which exact checkpoint resume relies on. The scalar {@link #exp(float)} follows the same steps, so an
 * element gets the same value whether it falls in a vector or in a tail.
 *
 * <p>Method: clamp x to [−87.3, 88.3]; n = round(x·log2 e) via the 1.5·2²³ trick; r = x − n·ln 2 (two-part
 * ln 2); e^r by its degree-7 Taylor polynomial (|r| ≤ ln2/2, truncation below 5e-9); scale by 2ⁿ built in the
 * exponent bits. Relative error below 1e-7 (tested against {@link Math#exp}).
 */
public final class VecMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float LO = -87.3f, HI = 88.3f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer kept in the low mantissa bits
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final float LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    private VecMath() {}

    /*
     * The vector exp is written out in each loop that uses it (expShifted, swiglu, swigluBackward), not a method
     * taking and returning a FloatVector: the JIT boxes a vector on the heap at a call it does not inline, and
     * whether it inlines a small helper depends on how ripe its profile was when the caller compiled, which made
     * the engine's kernels 5-100x slower in some JVM runs (see dev.ponder.engine.tensor.Q8_0Matrix). Each copy is
     * exp(float) below, operation for operation, on every lane:
     *   x = min(max(x, LO), HI); t = fma(x, LOG2E, MAGIC); n = t - MAGIC; r = fma(n, -LN2_HI, x);
     *   r = fma(n, -LN2_LO, r); p = the degree-7 polynomial in r by fmas; result p * 2^n (t's low bits to the exponent)
     */

    /** exp(x); the vector loops below do the same operations on every lane, with the same results. */
    public static float exp(float x) {
        x = Math.min(Math.max(x, LO), HI);
        float t = Math.fma(x, LOG2E, MAGIC);
        float n = t - MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = C7;
        p = Math.fma(p, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) - (MAGIC_BITS - 127)) << 23);
    }

    /** {@code dst[dOff + i] = exp(src[off + i] − shift)} for i in [0, len). */
    public static void expShifted(float[] src, int off, int len, float shift, float[] dst, int dOff) {
        int upper = S.loopBound(len), i = 0;
        FloatVector sv = FloatVector.broadcast(S, shift);
        for (; i < upper; i += L) {
            FloatVector x = FloatVector.fromArray(S, src, off + i).sub(sv);
            x = x.max(LO).min(HI); // exp, written out (see the note above exp(float))
            FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, MAGIC));
            FloatVector n = t.sub(MAGIC);
            FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
            r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = FloatVector.broadcast(S, C7);
            p = p.fma(r, FloatVector.broadcast(S, C6));
            p = p.fma(r, FloatVector.broadcast(S, C5));
            p = p.fma(r, FloatVector.broadcast(S, C4));
            p = p.fma(r, FloatVector.broadcast(S, C3));
            p = p.fma(r, FloatVector.broadcast(S, C2));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            IntVector e = ((IntVector) t.reinterpretAsInts()).sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector ex = p.mul((FloatVector) e.reinterpretAsFloats());
            ex.intoArray(dst, dOff + i);
        }
        for (; i < len; i++) dst[dOff + i] = exp(src[off + i] - shift);
    }

    /** {@code h = silu(g)·u = g·u / (1 + exp(−g))} over {@code [from, to)}. */
    static void swiglu(float[] g, float[] u, float[] h, int from, int to) {
        int i = from, upper = from + S.loopBound(to - from);
        for (; i < upper; i += L) {
            FloatVector x = FloatVector.fromArray(S, g, i);
            FloatVector xn = x.neg();
            xn = xn.max(LO).min(HI); // exp, written out (see the note above exp(float))
            FloatVector t = xn.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, MAGIC));
            FloatVector n = t.sub(MAGIC);
            FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xn);
            r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = FloatVector.broadcast(S, C7);
            p = p.fma(r, FloatVector.broadcast(S, C6));
            p = p.fma(r, FloatVector.broadcast(S, C5));
            p = p.fma(r, FloatVector.broadcast(S, C4));
            p = p.fma(r, FloatVector.broadcast(S, C3));
            p = p.fma(r, FloatVector.broadcast(S, C2));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            IntVector e = ((IntVector) t.reinterpretAsInts()).sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector ex = p.mul((FloatVector) e.reinterpretAsFloats());
            FloatVector den = ex.add(1f);
            x.mul(FloatVector.fromArray(S, u, i)).div(den).intoArray(h, i);
        }
        for (; i < to; i++) h[i] = g[i] * u[i] / (exp(-g[i]) + 1f);
    }

    /** With σ = 1/(1+exp(−g)): {@code du = dh·g·σ}, {@code dg = dh·u·σ·(1 + g·(1−σ))} over {@code [from, to)}. */
    static void swigluBackward(float[] dh, float[] g, float[] u, float[] dg, float[] du, int from, int to) {
        int i = from, upper = from + S.loopBound(to - from);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; i < upper; i += L) {
            FloatVector x = FloatVector.fromArray(S, g, i), d = FloatVector.fromArray(S, dh, i);
            FloatVector xn = x.neg();
            xn = xn.max(LO).min(HI); // exp, written out (see the note above exp(float))
            FloatVector t = xn.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, MAGIC));
            FloatVector n = t.sub(MAGIC);
            FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xn);
            r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = FloatVector.broadcast(S, C7);
            p = p.fma(r, FloatVector.broadcast(S, C6));
            p = p.fma(r, FloatVector.broadcast(S, C5));
            p = p.fma(r, FloatVector.broadcast(S, C4));
            p = p.fma(r, FloatVector.broadcast(S, C3));
            p = p.fma(r, FloatVector.broadcast(S, C2));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            IntVector e = ((IntVector) t.reinterpretAsInts()).sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector ex = p.mul((FloatVector) e.reinterpretAsFloats());
            FloatVector sig = one.div(ex.add(1f));
            d.mul(x).mul(sig).intoArray(du, i);
            d.mul(FloatVector.fromArray(S, u, i)).mul(sig).mul(x.mul(one.sub(sig)).add(1f)).intoArray(dg, i);
        }
        for (; i < to; i++) {
            float x = g[i], sig = 1f / (exp(-x) + 1f);
            du[i] = dh[i] * x * sig;
            dg[i] = dh[i] * u[i] * sig * (x * (1f - sig) + 1f);
        }
    }
}
