package dev.ponder.engine.tensor;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes floats in ggml's byte layouts (the inverse of each format's {@code dequantizeRow}). The
 * schemes are simple round-to-nearest ones (no error-minimising search as in llama.cpp's quantizer), good
 * for tests, for the trainer's checkpoints and for converting small models.
 */
public final class Quantizer {
    private Quantizer() {}

    /**
     * The bytes of {@code values} (a whole number of blocks; for a matrix, its rows one after another)
     * in {@code type}'s layout: F32, F16, BF16, Q8_0, Q4_0, Q4_K or Q6_K.
     */
    public static byte[] quantize(GGMLType type, float[] values) {
        long size = type.byteSize(values.length); // checks the block multiple
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> { for (float v : values) out.putFloat(v); }
            case F16 -> { for (float v : values) out.putShort(Float.floatToFloat16(v)); }
            case BF16 -> { for (float v : values) out.putShort(toBF16(v)); }
            case Q8_0 -> { for (int i = 0; i < values.length; i += 32) q8_0(values, i, out); }
            case Q4_0 -> { for (int i = 0; i < values.length; i += 32) q4_0(values, i, out); }
            case Q4_K -> { for (int i = 0; i < values.length; i += 256) q4_K(values, i, out); }
            case Q6_K -> { for (int i = 0; i < values.length; i += 256) q6_K(values, i, out); }
            default -> throw new PonderException("cannot quantize to " + type + " (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K)");
        }
        return out.array();
    }

    /** Round-to-nearest-even bfloat16 (NaN stays a quiet NaN). */
    static short toBF16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** {@code v} rounded to f16 and back, clamped to the largest finite f16 (scales must stay finite). */
    private static short half(float v) {
        return Float.floatToFloat16(Math.clamp(v, -65504f, 65504f));
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Q8_0: d = max|v| / 127, q = round(v / d). */
    private static void q8_0(float[] v, int at, ByteBuffer out) {
        float amax = 0;
        for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(v[at + i]));
        short dh = half(amax / 127);
        float d = Float.float16ToFloat(dh), id = d != 0 ? 1 / d : 0;
        out.putShort(dh);
        for (int i = 0; i < 32; i++) out.put((byte) clamp(Math.round(v[at + i] * id), -128, 127));
    }

    /**
     * Q4_0: the value of largest magnitude m gets q = 0, i.e. d = m / -8; q = round(v / d) + 8 in 0..15.
     * Element i < 16 goes to the low nibble of byte i, element 16 + i to its high nibble.
     */
    private static void q4_0(float[] v, int at, ByteBuffer out) {
        float max = 0;
        for (int i = 0; i < 32; i++) if (Math.abs(v[at + i]) > Math.abs(max)) max = v[at + i];
        short dh = half(max == 0 ? 0 : max / -8); // (+0 for an all-zero block, not -0)
        float d = Float.float16ToFloat(dh), id = d != 0 ? 1 / d : 0;
        out.putShort(dh);
        for (int i = 0; i < 16; i++) {
            int lo = clamp(Math.round(v[at + i] * id) + 8, 0, 15);
            int hi = clamp(Math.round(v[at + 16 + i] * id) + 8, 0, 15);
            out.put((byte) (lo | hi << 4));
        }
    }

    /**
     * Q4_K: 8 sub-blocks of 32, each with value = d*sc*q - dmin*m (q in 0..15, sc and m 6-bit). Each
     * sub-block spans [min(0, lo), hi]; its scale and offset are then quantized against the super-block's
     * largest ones (scales rounded up), and q is chosen against the quantized scale and offset.
     */
    private static void q4_K(float[] v, int at, ByteBuffer out) {
        float[] scale = new float[8], offset = new float[8];
        float maxScale = 0, maxOffset = 0;
        for (int s = 0; s < 8; s++) {
            float lo = 0, hi = -Float.MAX_VALUE;
            for (int i = 0; i < 32; i++) {
                lo = Math.min(lo, v[at + 32 * s + i]);
                hi = Math.max(hi, v[at + 32 * s + i]);
            }
            scale[s] = (hi - lo) / 15;
            offset[s] = -lo;
            maxScale = Math.max(maxScale, scale[s]);
            maxOffset = Math.max(maxOffset, offset[s]);
        }
        short dh = half(maxScale / 63), dminh = half(maxOffset / 63);
        float d = Float.float16ToFloat(dh), dmin = Float.float16ToFloat(dminh);
        int[] sc = new int[8], m = new int[8];
        for (int s = 0; s < 8; s++) {
            sc[s] = d > 0 ? clamp((int) Math.ceil(scale[s] / d), 0, 63) : 0; // rounded up: the range stays covered
            m[s] = dmin > 0 ? clamp(Math.round(offset[s] / dmin), 0, 63) : 0;
        }
        out.putShort(dh).putShort(dminh);
        // 12 bytes: sub-blocks 0-3 in the low 6 bits of bytes 0-3 (scale) and 4-7 (min); sub-blocks 4-7
        // keep their low 4 bits in bytes 8-11 (scale low nibble, min high nibble), top 2 bits in the top
        // bits of bytes 0-3 (scale) and 4-7 (min).
        for (int j = 0; j < 4; j++) out.put((byte) (sc[j] | (sc[j + 4] >> 4) << 6));
        for (int j = 0; j < 4; j++) out.put((byte) (m[j] | (m[j + 4] >> 4) << 6));
        for (int j = 0; j < 4; j++) out.put((byte) ((sc[j + 4] & 0xF) | (m[j + 4] & 0xF) << 4));
        // 128 bytes: chunk c (64 values) = sub-blocks 2c (low nibbles) and 2c+1 (high nibbles) of 32 bytes.
        int[] q = new int[256];
        for (int s = 0; s < 8; s++) {
            float step = d * sc[s], off = dmin * m[s];
            for (int i = 0; i < 32; i++)
                q[32 * s + i] = step > 0 ? clamp(Math.round((v[at + 32 * s + i] + off) / step), 0, 15) : 0;
        }
        for (int c = 0; c < 4; c++)
            for (int i = 0; i < 32; i++) out.put((byte) (q[64 * c + i] | q[64 * c + 32 + i] << 4));
    }

    /**
     * Q6_K: 16 sub-blocks of 16, value = d * sc * (q - 32) with q 6-bit and sc int8. A sub-block's value
     * of largest magnitude m gets q - 32 = -32 (scale m / -32); scales are quantized against the largest,
     * rounding their magnitude up.
     */
    private static void q6_K(float[] v, int at, ByteBuffer out) {
        float[] scale = new float[16];
        float maxAbs = 0;
        for (int s = 0; s < 16; s++) {
            float max = 0;
            for (int i = 0; i < 16; i++) if (Math.abs(v[at + 16 * s + i]) > Math.abs(max)) max = v[at + 16 * s + i];
            scale[s] = max / -32;
            maxAbs = Math.max(maxAbs, Math.abs(scale[s]));
        }
        short dh = half(maxAbs / 127);
        float d = Float.float16ToFloat(dh);
        byte[] sc = new byte[16];
        int[] q = new int[256];
        for (int s = 0; s < 16; s++) {
            // magnitude rounded up, so the quantized step covers the sub-block's largest value
            sc[s] = (byte) (d > 0 ? Math.copySign(Math.min(127, (int) Math.ceil(Math.abs(scale[s]) / d)), scale[s]) : 0);
            float step = d * sc[s];
            for (int i = 0; i < 16; i++)
                q[16 * s + i] = step != 0 ? clamp(Math.round(v[at + 16 * s + i] / step), -32, 31) + 32 : 32;
        }
        // Element e: half h = e/128, r = e%128, quarter k = r/32, l = r%32. Low 4 bits go to
        // ql[64h + 32(k%2) + l] (low nibble for k < 2, high for k >= 2); high 2 bits to qh[32h + l] << 2k.
        byte[] ql = new byte[128], qh = new byte[64];
        for (int e = 0; e < 256; e++) {
            int h = e / 128, r = e % 128, k = r / 32, l = r % 32;
            int iql = 64 * h + 32 * (k % 2) + l;
            ql[iql] |= (byte) ((q[e] & 0xF) << (k < 2 ? 0 : 4));
            qh[32 * h + l] |= (byte) ((q[e] >> 4) << (2 * k));
        }
        out.put(ql).put(qh).put(sc).putShort(dh);
    }
}
