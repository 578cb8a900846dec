package dev.ponder.engine.tensor;

import dev.ponder.engine.PonderException;
import java.lang.invoke.MethodType;

/**
 * The two inner loops of attention over a block of cached positions, and the feed-forward's SwiGLU gate
 * ({@link #swiglu}), with a plain scalar reference beside each Vector API kernel:
 *
 * <pre>
 *   scores:  out[j]  = scale · q · key_j          keys stored transposed: [dimension][position]
 *   mix:     acc    += Σ_j p[j] · value_j          values stored as rows:  [position][dimension]
 * </pre>
 *
 * These are the two layouts of a {@link dev.ponder.engine.kv.KVCache} block, chosen so that both loops read
 * contiguous vectors: scores go across positions, the weighted sum across dimensions. Partial vectors are
 * masked, so any head size and block length work at any width. Every sum is taken in a fixed order that
 * does not depend on the vector width or on how entries were batched, and the references follow it, so the
 * kernels equal their references exactly.
 */
public interface AttentionKernels {
    /** The kernels at this CPU's preferred width (see {@link VectorWidth}). */
    static AttentionKernels preferred() {
        return VectorAttention.PREFERRED;
    }

    /** The kernels compiled for {@code bits}-bit vectors (128, 256 or 512), for tests and benchmarks. */
    static AttentionKernels forBits(int bits) {
        try {
            return (AttentionKernels) VectorWidth.constructor(VectorAttention.class, VectorWidth.forBits(bits),
                    MethodType.methodType(void.class)).invoke();
        } catch (PonderException e) {
            throw e;
        } catch (Throwable e) {
            throw new PonderException("cannot build attention kernels for " + bits + "-bit vectors: " + e, e);
        }
    }

    /** The vector width the kernels were compiled for. */
    int bits();

    /**
     * {@code out[outOff + j] = scale · Σ_d q[qOff+d] · keys[off + d·stride + j]} for j < count, d < n: the
     * scores of one query against {@code count} keys stored transposed (dimension d of key j at
     * {@code off + d·stride + j}). Each score sums its dimensions in four chains, chain c taking the dimensions
     * d ≡ c (mod 4) in order, and adds them as {@code (c0 + c2) + (c1 + c3)}.
     */
    void scores(float[] q, int qOff, float[] keys, int off, int stride, int count, int n, float scale, float[] out, int outOff);

    /** The reference for {@link #scores}: the same four chains, one score at a time. */
    static void scoresReference(float[] q, int qOff, float[] keys, int off, int stride, int count, int n, float scale, float[] out, int outOff) {
        for (int j = 0; j < count; j++) {
            float[] a = new float[4];
            for (int d = 0; d < n; d++) a[d % 4] = Math.fma(keys[off + d * stride + j], q[qOff + d], a[d % 4]);
            out[outOff + j] = ((a[0] + a[2]) + (a[1] + a[3])) * scale;
        }
    }

    /**
     * {@code acc[accOff + d] += Σ_j p[pOff+j] · rows[off + j·stride + d]} for d < n: for each d, the even
     * positions j are summed onto the old {@code acc} value and the odd ones onto zero, each chain in order,
     * and the two chains added.
     */
    void mix(float[] p, int pOff, float[] rows, int off, int stride, int count, int n, float[] acc, int accOff);

    /** The reference for {@link #mix}: the same two chains, one dimension at a time. */
    static void mixReference(float[] p, int pOff, float[] rows, int off, int stride, int count, int n, float[] acc, int accOff) {
        for (int d = 0; d < n; d++) {
            float a = acc[accOff + d], b = 0;
            for (int j = 0; j < count; j++)
                if (j % 2 == 0) a = Math.fma(rows[off + j * stride + d], p[pOff + j], a);
                else b = Math.fma(rows[off + j * stride + d], p[pOff + j], b);
            acc[accOff + d] = a + b;
        }
    }

    /** The largest of {@code s[off .. off+n)} ({@code n >= 1}; as {@link Math#max}, so the order does not matter). */
    float max(float[] s, int off, int n);

    /**
     * {@code s[off+i] = exp(s[off+i] - max)} for i < n, each by {@link #exp}, and returns the sum of the results
     * in double, taken in four chains (chain c: i ≡ c mod 4, in order) added as {@code (c0 + c2) + (c1 + c3)}.
     */
    double expSum(float[] s, int off, int n, float max);

    /** The reference for {@link #expSum}: {@link #exp} one value at a time, the same sum. */
    static double expSumReference(float[] s, int off, int n, float max) {
        for (int i = 0; i < n; i++) s[off + i] = exp(s[off + i] - max);
        return sum4(s, off, n);
    }

    /** The sum of {@code s[off .. off+n)} in double, in four chains as {@link #expSum} describes. */
    static double sum4(float[] s, int off, int n) {
        double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            c0 += s[off + i];
            c1 += s[off + i + 1];
            c2 += s[off + i + 2];
            c3 += s[off + i + 3];
        }
        if (i < n) c0 += s[off + i];
        if (i + 1 < n) c1 += s[off + i + 1];
        if (i + 2 < n) c2 += s[off + i + 2];
        return (c0 + c2) + (c1 + c3);
    }

    /**
     * {@code gate[i] = silu(gate[i]) · up[i]} for i < n, the SwiGLU of a feed-forward block, with
     * silu(g) = g / (1 + e^-g) computed from t = {@link #exp}(-|g|) so that the exponential never leaves its
     * range: g / (1 + t) for g >= 0, g·t / (1 + t) below. Equal to {@link #swigluReference} exactly.
     */
    void swiglu(float[] gate, float[] up, int n);

    /** The reference for {@link #swiglu}, one value at a time. */
    static void swigluReference(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) gate[i] = swiglu(gate[i], up[i]);
    }

    /** silu(g) · u as {@link #swiglu} computes it. */
    static float swiglu(float g, float u) {
        float t = exp(-Math.abs(g));
        return (g >= 0 ? g : g * t) / (1f + t) * u;
    }

    /** Below this, {@link #exp} returns 0 (it is ln 2^-126: smaller results would not be normal floats). */
    float EXP_MIN = -87.33654f;
    /** Constants of {@link #exp}: log2(e); ln 2 split into a short high part and the rest (Cody and Waite). */
    float LOG2E = 1.44269504f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** Adding 1.5·2^23 rounds a float of magnitude below 2^22 to an integer, found in the low bits of the sum. */
    float ROUND = 12582912f;
    /** 1/k! for k = 2..7: the Taylor series of e^r, enough for |r| ≤ ln2/2 (truncation below 6e-9 relative). */
    float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    /**
     * e^x for {@code x <= 0} in float arithmetic only, so that a vector kernel computes exactly the same value in
     * every lane (and compiled or interpreted): x = n·ln2 + r with n = round(x·log2 e) and |r| ≲ ln2/2, e^r by its
     * Taylor polynomial of degree 7 (Horner, fused multiply-adds), times 2^n built from its exponent bits. Within
     * 2 ulp of {@link Math#exp} for x in [-87.3, 0] (AttentionKernelsTest checks a dense sweep); 0 below
     * {@link #EXP_MIN}, where e^x < 1.2e-38 (an absolute error no softmax sum can see).
     */
    static float exp(float x) {
        if (x < EXP_MIN) return 0f;
        float k = x * LOG2E + ROUND;
        float n = k - ROUND;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(k) - (0x4B400000 - 127)) << 23);
    }
}
