package dev.ponder.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * quantize -> dequantize round trips with a per-format error bound, stated per group (block or
 * sub-block) in terms of that group's own values, plus a relative RMS bound over all values.
 */
class QuantizerTest {
    static final int N = 64 * 256;

    static float[] data(long seed) {
        Random r = new Random(seed);
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            double scale = Math.pow(10, (i / 256) % 5 - 2); // blocks from 0.01 to 100
            v[i] = (float) (r.nextGaussian() * scale + ((i / 32) % 7 == 0 ? 3 * scale : 0)); // some shifted blocks
        }
        v[5] = 0;
        for (int i = 256; i < 288; i++) v[i] = 0; // an all-zero block
        for (int i = 512; i < 768; i++) v[i] = 1e-3f * (i % 3); // non-negative super-block
        return v;
    }

    static float[] roundTrip(GGMLType t, float[] v) {
        int cols = 1024;
        WeightMatrix w = WeightMatrix.of(t, MemorySegment.ofArray(Quantizer.quantize(t, v)), v.length / cols, cols);
        float[] out = new float[v.length];
        for (int r = 0; r < w.rows(); r++) w.dequantizeRow(r, out, r * cols);
        return out;
    }

    /** Checks |err| <= factor * (max|v| over the group) for every group of {@code group} values. */
    static void checkGroups(float[] v, float[] back, int group, double factor, String what) {
        for (int g = 0; g < v.length; g += group) {
            double amax = 0;
            for (int i = g; i < g + group; i++) amax = Math.max(amax, Math.abs(v[i]));
            for (int i = g; i < g + group; i++)
                assertTrue(Math.abs(v[i] - back[i]) <= factor * amax + 1e-30,
                        what + " element " + i + ": " + v[i] + " -> " + back[i] + " (group max " + amax + ")");
        }
    }

    static double relativeRms(float[] v, float[] back) {
        double e = 0, s = 0;
        for (int i = 0; i < v.length; i++) {
            e += (v[i] - back[i]) * (double) (v[i] - back[i]);
            s += v[i] * (double) v[i];
        }
        return Math.sqrt(e / s);
    }

    @Test
    void floatFormats() {
        float[] v = data(1);
        float[] f32 = roundTrip(GGMLType.F32, v);
        for (int i = 0; i < N; i++) assertEquals(v[i], f32[i]);
        float[] f16 = roundTrip(GGMLType.F16, v), bf16 = roundTrip(GGMLType.BF16, v);
        for (int i = 0; i < N; i++) {
            assertEquals(v[i], f16[i], Math.abs(v[i]) * 0x1p-11 + 0x1p-25, "f16 " + i);
            assertEquals(v[i], bf16[i], Math.abs(v[i]) * 0x1p-8, "bf16 " + i);
        }
        assertEquals((short) 0x3F80, Quantizer.toBF16(1f));
        assertEquals((short) 0x3F80, Quantizer.toBF16(Float.intBitsToFloat(0x3F808000))); // tie to even
        assertEquals((short) 0x3F82, Quantizer.toBF16(Float.intBitsToFloat(0x3F818000))); // tie to even
        assertTrue(Float.isNaN(Float.intBitsToFloat(Quantizer.toBF16(Float.NaN) << 16)));
    }

    @Test
    void q8_0WithinHalfAStep() {
        float[] v = data(2), back = roundTrip(GGMLType.Q8_0, v);
        checkGroups(v, back, 32, 0.51 / 127, "Q8_0"); // step = max/127, half a step plus f16 rounding of d
        assertTrue(relativeRms(v, back) < 0.005, "Q8_0 rms " + relativeRms(v, back));
    }

    @Test
    void q4_0WithinOneStep() {
        float[] v = data(3), back = roundTrip(GGMLType.Q4_0, v);
        checkGroups(v, back, 32, 1.01 / 8, "Q4_0"); // step = max/8; the value opposite the max may clamp a full step
        assertTrue(relativeRms(v, back) < 0.12, "Q4_0 rms " + relativeRms(v, back));
    }

    @Test
    void q4_KWithinOneStep() {
        float[] v = data(4), back = roundTrip(GGMLType.Q4_K, v);
        checkGroups(v, back, 32, 2.0 / 15, "Q4_K"); // sub-block step ~ range/15 <= 2*max/15
        assertTrue(relativeRms(v, back) < 0.12, "Q4_K rms " + relativeRms(v, back));
    }

    @Test
    void q6_KWithinOneStep() {
        float[] v = data(5), back = roundTrip(GGMLType.Q6_K, v);
        // step = max/32 rounded up to a multiple of d = (super-block max)/32/127; the value opposite the max
        // may clamp a full step
        for (int g = 0; g < N; g += 16) {
            double gmax = 0, smax = 0;
            for (int i = g; i < g + 16; i++) gmax = Math.max(gmax, Math.abs(v[i]));
            for (int i = g / 256 * 256; i < g / 256 * 256 + 256; i++) smax = Math.max(smax, Math.abs(v[i]));
            for (int i = g; i < g + 16; i++)
                assertTrue(Math.abs(v[i] - back[i]) <= 1.002 * (gmax / 32 + smax / 32 / 127),
                        "Q6_K element " + i + ": " + v[i] + " -> " + back[i]);
        }
        assertTrue(relativeRms(v, back) < 0.03, "Q6_K rms " + relativeRms(v, back));
    }

    @Test
    void zerosStayZero() {
        for (GGMLType t : new GGMLType[] {GGMLType.Q8_0, GGMLType.Q4_0, GGMLType.Q4_K, GGMLType.Q6_K}) {
            float[] back = roundTrip(t, new float[1024]);
            for (float f : back) assertEquals(0f, f, t.toString());
        }
    }

    @Test
    void rejectsPartialBlocksAndUnsupportedTypes() {
        assertThrows(PonderException.class, () -> Quantizer.quantize(GGMLType.Q4_K, new float[100]));
        assertThrows(PonderException.class, () -> Quantizer.quantize(GGMLType.Q5_K, new float[256]));
    }
}
