package dev.ponder.engine.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The attention kernels equal their scalar references exactly, at every vector width, head size and block fill. */
class AttentionKernelsTest {
    static final int[] HEAD_DIMS = {1, 7, 8, 32, 64, 80, 128};
    static final int[] COUNTS = {1, 3, 8, 15, 16, 32};

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void scoresEqualReference(int bits) {
        AttentionKernels k = AttentionKernels.forBits(bits);
        assertEquals(bits, k.bits());
        Random r = new Random(bits);
        for (int n : HEAD_DIMS)
            for (int count : COUNTS) {
                int stride = count + 3, off = 5, qOff = 2;
                float[] q = random(r, n + qOff), keys = random(r, off + n * stride + 4);
                float[] got = new float[count + 6], want = new float[count + 6];
                k.scores(q, qOff, keys, off, stride, count, n, 0.125f, got, 3);
                AttentionKernels.scoresReference(q, qOff, keys, off, stride, count, n, 0.125f, want, 3);
                assertArrayEquals(want, got, "n=" + n + " count=" + count);
                assertEquals(0f, got[0]); // nothing written outside out[outOff, outOff+count)
                assertEquals(0f, got[3 + count]);
            }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void mixEqualsReference(int bits) {
        AttentionKernels k = AttentionKernels.forBits(bits);
        Random r = new Random(bits + 1);
        for (int n : HEAD_DIMS)
            for (int count : COUNTS) {
                int stride = n + 4, off = 1;
                float[] p = random(r, count + 2), rows = random(r, off + count * stride);
                float[] got = random(r, n + 9), want = got.clone();
                k.mix(p, 2, rows, off, stride, count, n, got, 4);
                AttentionKernels.mixReference(p, 2, rows, off, stride, count, n, want, 4);
                assertArrayEquals(want, got, "n=" + n + " count=" + count);
            }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void scoresAreTheScaledDotProducts(int bits) {
        // the reference itself against a plain double dot product (fixed order is close, not equal)
        AttentionKernels k = AttentionKernels.forBits(bits);
        Random r = new Random(7);
        int n = 64, count = 16;
        float[] q = random(r, n), keys = random(r, n * count), out = new float[count];
        k.scores(q, 0, keys, 0, count, count, n, 0.5f, out, 0);
        for (int j = 0; j < count; j++) {
            double dot = 0;
            for (int d = 0; d < n; d++) dot += (double) q[d] * keys[d * count + j];
            assertEquals(dot * 0.5, out[j], 1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void maxAndExpSumEqualReference(int bits) {
        AttentionKernels k = AttentionKernels.forBits(bits);
        Random r = new Random(bits + 2);
        for (int n : new int[] {1, 2, 3, 5, 15, 16, 17, 33, 100, 257}) {
            float[] s = new float[n + 7];
            for (int i = 0; i < s.length; i++) s[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 40 : 3));
            s[3 + r.nextInt(n)] = Float.NEGATIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) max = Math.max(max, s[3 + i]);
            assertEquals(max, k.max(s, 3, n), "n=" + n);
            float[] got = s.clone(), want = s.clone();
            double sum = k.expSum(got, 3, n, max);
            assertEquals(AttentionKernels.expSumReference(want, 3, n, max), sum, "n=" + n);
            assertArrayEquals(want, got, "n=" + n);
            assertEquals(s[2], got[2]); // nothing written outside s[off, off+n)
            assertEquals(s[3 + n], got[3 + n]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void swigluEqualsReference(int bits) {
        AttentionKernels k = AttentionKernels.forBits(bits);
        Random r = new Random(bits + 3);
        for (int n : new int[] {1, 3, 15, 16, 17, 33, 100, 4864}) {
            float[] gate = new float[n + 2], up = random(r, n + 2);
            for (int i = 0; i < gate.length; i++) gate[i] = (float) (r.nextGaussian() * (i % 5 == 0 ? 60 : 4));
            gate[0] = -0f;
            if (n > 2) gate[2] = Float.NaN;
            float[] got = gate.clone(), want = gate.clone();
            k.swiglu(got, up, n);
            AttentionKernels.swigluReference(want, up, n);
            assertArrayEquals(want, got, "n=" + n);
            assertEquals(gate[n], got[n]); // nothing written past n
        }
    }

    @org.junit.jupiter.api.Test
    void swigluIsSiluTimesUp() {
        // against g / (1 + e^-g) · u in double: within a few float ulps, or 1e-30 absolute where e^-|g| is
        // flushed to 0 (g below -87.3, where silu(g) is below 1e-36 in magnitude)
        for (float g = -120f; g <= 120f; g += 0.00731f) {
            double want = g / (1 + Math.exp(-g)) * 0.75;
            float got = AttentionKernels.swiglu(g, 0.75f);
            assertEquals(want, got, Math.max(4 * Math.ulp((float) want), 1e-30), "g=" + g);
        }
        assertEquals(0f, AttentionKernels.swiglu(0f, 3f));
        assertEquals(200f, AttentionKernels.swiglu(100f, 2f)); // silu(g) = g for large g
        assertEquals(-0f, AttentionKernels.swiglu(-1000f, 1f), 0f);
    }

    @org.junit.jupiter.api.Test
    void expIsWithinTwoUlpOfMathExp() {
        int worst = 0;
        for (float x = 0f; x >= -87.3f; x -= 0.000731f) {
            float want = (float) Math.exp(x), got = AttentionKernels.exp(x);
            worst = Math.max(worst, Math.abs(Float.floatToIntBits(got) - Float.floatToIntBits(want)));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(1f, AttentionKernels.exp(0f));
        assertEquals(0f, AttentionKernels.exp(-88f));
        assertEquals(0f, AttentionKernels.exp(Float.NEGATIVE_INFINITY));
        assertEquals((float) Math.exp(-87.3f), AttentionKernels.exp(-87.3f), Math.ulp((float) Math.exp(-87.3f)) * 2);
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
