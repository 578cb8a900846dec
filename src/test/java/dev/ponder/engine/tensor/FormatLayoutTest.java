package dev.ponder.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Hand-built blocks, laid out byte by byte as ggml's block structs and dequantize routines describe
 * them, against each format's {@code dequantizeRow}. These pin element order, nibble order, scale
 * packing and signedness independently of {@link Quantizer}.
 */
class FormatLayoutTest {
    static final short ONE = Float.floatToFloat16(1f), HALF = Float.floatToFloat16(0.5f);

    static ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    static float[] row(GGMLType t, ByteBuffer b, int cols) {
        WeightMatrix w = WeightMatrix.of(t, MemorySegment.ofArray(b.array()), 1, cols);
        float[] out = new float[cols + 2];
        w.dequantizeRow(0, out, 2);
        float[] r = new float[cols];
        System.arraycopy(out, 2, r, 0, cols);
        return r;
    }

    @Test
    void q8_0() {
        ByteBuffer b = buf(34).putShort(HALF);
        for (int i = 0; i < 32; i++) b.put((byte) (i * 8 - 128));
        float[] r = row(GGMLType.Q8_0, b, 32);
        for (int i = 0; i < 32; i++) assertEquals((i * 8 - 128) * 0.5f, r[i], "element " + i);
    }

    @Test
    void q4_0LowNibblesFirstHalfHighNibblesSecondHalf() {
        ByteBuffer b = buf(18).putShort(HALF);
        for (int i = 0; i < 16; i++) b.put((byte) ((i & 15) | (15 - i) << 4));
        float[] r = row(GGMLType.Q4_0, b, 32);
        for (int i = 0; i < 16; i++) {
            assertEquals((i - 8) * 0.5f, r[i], "element " + i);
            assertEquals((15 - i - 8) * 0.5f, r[16 + i], "element " + (16 + i));
        }
    }

    @Test
    void q4_KScalesMinsAndNibbles() {
        int[] sc = {1, 2, 3, 4, 21, 38, 55, 63}, m = {5, 6, 7, 8, 33, 44, 50, 61};
        float d = 0.25f, dmin = 0.125f;
        ByteBuffer b = buf(144).putShort(Float.floatToFloat16(d)).putShort(Float.floatToFloat16(dmin));
        byte[] s = new byte[12];
        for (int j = 0; j < 4; j++) { // as read by ggml's get_scale_min_k4
            s[j] = (byte) (sc[j] | (sc[j + 4] >> 4) << 6);
            s[j + 4] = (byte) (m[j] | (m[j + 4] >> 4) << 6);
            s[j + 8] = (byte) ((sc[j + 4] & 15) | (m[j + 4] & 15) << 4);
        }
        b.put(s);
        for (int c = 0; c < 4; c++)
            for (int i = 0; i < 32; i++) b.put((byte) (((i + c) & 15) | ((3 * i + c) & 15) << 4));
        float[] r = row(GGMLType.Q4_K, b, 256);
        for (int c = 0; c < 4; c++)
            for (int i = 0; i < 32; i++) {
                assertEquals(d * sc[2 * c] * ((i + c) & 15) - dmin * m[2 * c], r[64 * c + i], 1e-6, "element " + (64 * c + i));
                assertEquals(d * sc[2 * c + 1] * ((3 * i + c) & 15) - dmin * m[2 * c + 1], r[64 * c + 32 + i], 1e-6,
                        "element " + (64 * c + 32 + i));
            }
    }

    @Test
    void q6_KQuantsAndSignedScales() {
        int[] q = new int[256];
        for (int e = 0; e < 256; e++) q[e] = (e * 7 + e / 64) & 63;
        byte[] ql = new byte[128], qh = new byte[64];
        for (int h = 0; h < 2; h++) // ggml: values l, 32+l, 64+l, 96+l of half h share ql[l], ql[32+l], qh[l]
            for (int l = 0; l < 32; l++) {
                int[] v = {q[128 * h + l], q[128 * h + 32 + l], q[128 * h + 64 + l], q[128 * h + 96 + l]};
                ql[64 * h + l] = (byte) ((v[0] & 15) | (v[2] & 15) << 4);
                ql[64 * h + 32 + l] = (byte) ((v[1] & 15) | (v[3] & 15) << 4);
                qh[32 * h + l] = (byte) (v[0] >> 4 | (v[1] >> 4) << 2 | (v[2] >> 4) << 4 | (v[3] >> 4) << 6);
            }
        ByteBuffer b = buf(210).put(ql).put(qh);
        for (int s = 0; s < 16; s++) b.put((byte) (s * 17 - 128));
        b.putShort(HALF);
        float[] r = row(GGMLType.Q6_K, b, 256);
        for (int e = 0; e < 256; e++) assertEquals(0.5f * ((e / 16) * 17 - 128) * (q[e] - 32), r[e], "element " + e);
    }

    @Test
    void floatFormats() {
        ByteBuffer f32 = buf(12).putFloat(1.5f).putFloat(-2f).putFloat(Float.MIN_NORMAL);
        float[] r = row(GGMLType.F32, f32, 3);
        assertEquals(1.5f, r[0]);
        assertEquals(-2f, r[1]);
        assertEquals(Float.MIN_NORMAL, r[2]);
        ByteBuffer f16 = buf(6).putShort(ONE).putShort((short) 0xC000).putShort((short) 0x0001);
        r = row(GGMLType.F16, f16, 3);
        assertEquals(1f, r[0]);
        assertEquals(-2f, r[1]);
        assertEquals(0x1p-24f, r[2]); // smallest subnormal half
        ByteBuffer bf16 = buf(4).putShort((short) 0x3FC0).putShort((short) 0xC2F7);
        r = row(GGMLType.BF16, bf16, 2);
        assertEquals(1.5f, r[0]);
        assertEquals(Float.intBitsToFloat(0xC2F70000), r[1]);
    }

    @Test
    void vectorHalfToFloatMatchesTheJdkForAllBitPatterns() {
        var ints = VectorWidth.ints(VectorWidth.DEFAULT);
        int[] h = new int[1 << 16];
        for (int i = 0; i < h.length; i++) h[i] = (short) i; // sign-extended, as loaded by the kernel
        float[] got = new float[h.length];
        for (int i = 0; i < h.length; i += ints.length())
            F16Matrix.halfToFloat(jdk.incubator.vector.IntVector.fromArray(ints, h, i)).intoArray(got, i);
        for (int i = 0; i < h.length; i++) {
            float want = Float.float16ToFloat((short) h[i]);
            if (Float.isNaN(want)) assertTrue(Float.isNaN(got[i]), "half 0x" + Integer.toHexString(h[i])); // quiet bit may differ
            else assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]), "half 0x" + Integer.toHexString(h[i]));
        }
    }
}
