package dev.ponder.engine.tensor;

import dev.ponder.engine.PonderException;
import java.lang.invoke.MethodType;

/**
 * The two inner loops of attention over a block of cached positions, with a plain scalar reference
 * beside each Vector API kernel:
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
     * {@code off + d·stride + j}). Each score sums its even and its odd dimensions in two chains, in order,
     * and adds the two.
     */
    void scores(float[] q, int qOff, float[] keys, int off, int stride, int count, int n, float scale, float[] out, int outOff);

    /** The reference for {@link #scores}: the same two chains, one score at a time. */
    static void scoresReference(float[] q, int qOff, float[] keys, int off, int stride, int count, int n, float scale, float[] out, int outOff) {
        for (int j = 0; j < count; j++) {
            float a0 = 0, a1 = 0;
            for (int d = 0; d < n; d++)
                if (d % 2 == 0) a0 = Math.fma(keys[off + d * stride + j], q[qOff + d], a0);
                else a1 = Math.fma(keys[off + d * stride + j], q[qOff + d], a1);
            out[outOff + j] = (a0 + a1) * scale;
        }
    }

    /** {@code acc[accOff + d] += Σ_j p[pOff+j] · rows[off + j·stride + d]} for d < n, rows taken in order. */
    void mix(float[] p, int pOff, float[] rows, int off, int stride, int count, int n, float[] acc, int accOff);

    /** The reference for {@link #mix}. */
    static void mixReference(float[] p, int pOff, float[] rows, int off, int stride, int count, int n, float[] acc, int accOff) {
        for (int d = 0; d < n; d++) {
            float a = acc[accOff + d];
            for (int j = 0; j < count; j++) a = Math.fma(rows[off + j * stride + d], p[pOff + j], a);
            acc[accOff + d] = a;
        }
    }
}
