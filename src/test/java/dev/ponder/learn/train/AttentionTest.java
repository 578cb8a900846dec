package dev.ponder.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The matmul-based attention against the scalar reference, forward and backward, with and without GQA. */
class AttentionTest {
    @Test
    void fastAttentionMatchesPlainLoops() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int[] s : new int[][] {{2, 37, 4, 2, 16}, {1, 20, 8, 4, 8}, {3, 64, 2, 2, 32}, {1, 9, 6, 1, 6}}) {
            int batch = s[0], T = s[1], heads = s[2], kv = s[3], hd = s[4], n = batch * T;
            float[] q = rand(rnd, n * heads * hd), k = rand(rnd, n * kv * hd), v = rand(rnd, n * kv * hd), dout = rand(rnd, n * heads * hd);
            float[] p1 = new float[batch * heads * T * T], p2 = p1.clone(), o1 = new float[n * heads * hd], o2 = o1.clone();
            AttentionPlain plain = new AttentionPlain(batch, T, heads, kv, hd);
            Attention fast = new Attention(batch, T, heads, kv, hd);
            plain.forward(q, k, v, p1, o1);
            fast.forward(q, k, v, p2, o2);
            close(p1, p2, "probs");
            close(o1, o2, "out");
            float[] dq1 = new float[q.length], dk1 = new float[k.length], dv1 = new float[v.length];
            float[] dq2 = rand(rnd, q.length), dk2 = rand(rnd, k.length), dv2 = rand(rnd, v.length); // overwritten
            plain.backward(dout, q, k, v, p1, dq1, dk1, dv1);
            fast.backward(dout, q, k, v, p2, dq2, dk2, dv2);
            close(dq1, dq2, "dq");
            close(dk1, dk2, "dk");
            close(dv1, dv2, "dv");
        }
    }

    private static float[] rand(SplittableRandom r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    private static void close(float[] e, float[] a, String what) {
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5 * (1 + Math.abs(e[i])), what + " at " + i);
    }
}
