package dev.ponder.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VecMathTest {
    @Test
    void expIsAccurateAndTheSameInVectorsAndTails() {
        int n = 200_003; // not a multiple of the vector length: the tail takes the scalar path
        float[] x = new float[n], v = new float[n];
        for (int i = 0; i < n; i++) x[i] = -87f + 175f * i / n;
        VecMath.expShifted(x, 0, n, 0f, v, 0);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(v[i] - exact) / exact);
            assertEquals(Float.floatToRawIntBits(VecMath.exp(x[i])), Float.floatToRawIntBits(v[i]), "vector and scalar differ at x=" + x[i]);
        }
        System.out.printf("VecMath.exp: worst relative error %.2e over [-87, 88]%n", worst);
        assertTrue(worst < 5e-7, "relative error " + worst);
        assertEquals(0f, VecMath.exp(-1000f), 1e-37f);
        assertEquals(1f, VecMath.exp(0f));
        assertTrue(Float.isFinite(VecMath.exp(1000f)));
    }

    @Test
    void swigluMatchesTheDefinition() {
        int n = 77;
        float[] g = new float[n], u = new float[n], h = new float[n], dh = new float[n], dg = new float[n], du = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (i - 38) / 5f;
            u[i] = (float) Math.sin(i);
            dh[i] = (float) Math.cos(i);
        }
        VecMath.swiglu(g, u, h, 0, n);
        VecMath.swigluBackward(dh, g, u, dg, du, 0, n);
        for (int i = 0; i < n; i++) {
            double sig = 1 / (1 + Math.exp(-g[i]));
            assertEquals(g[i] * sig * u[i], h[i], 1e-6);
            assertEquals(dh[i] * g[i] * sig, du[i], 1e-6);
            assertEquals(dh[i] * u[i] * sig * (1 + g[i] * (1 - sig)), dg[i], 1e-6);
        }
    }
}
