package dev.ponder.engine.tokenizer;

/**
 * The byte-level alphabet of GPT-2 style BPE: every byte 0..255 is shown as one printable character, so a
 * vocabulary of byte sequences can be stored as ordinary strings. Printable Latin-1 bytes ({@code !..~},
 * {@code ¡..¬}, {@code ®..ÿ}) stand for themselves; the other 68 bytes (controls, space, DEL, NBSP, soft
 * hyphen, ...) are shifted, in byte order, to U+0100 and up (so space is {@code Ġ} U+0120, newline {@code Ċ}).
 * All these characters are in the BMP, so one byte is always exactly one Java {@code char}.
 */
public final class ByteLevel {
    private ByteLevel() {}

    /** CHAR[b] = the character standing for byte b. [256] */
    private static final char[] CHAR = new char[256];
    /** BYTE[c] = the byte that character c stands for, or -1. [0x144] */
    private static final short[] BYTE = new short[0x144];

    static {
        java.util.Arrays.fill(BYTE, (short) -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + shifted++);
            CHAR[b] = c;
            BYTE[c] = (short) b;
        }
    }

    /** The character for byte {@code b} (any int; only the low 8 bits count). */
    public static char charOf(int b) {
        return CHAR[b & 0xFF];
    }

    /** The byte that {@code c} stands for, or -1 when {@code c} is not in the byte-level alphabet. */
    public static int byteOf(char c) {
        return c < BYTE.length ? BYTE[c] : -1;
    }

    /** Encodes raw bytes as a byte-level string. */
    public static String encode(byte[] bytes, int off, int len) {
        char[] out = new char[len];
        for (int i = 0; i < len; i++) out[i] = CHAR[bytes[off + i] & 0xFF];
        return new String(out);
    }

    /** Encodes the UTF-8 bytes of {@code text} as a byte-level string. */
    public static String encode(String text) {
        byte[] b = Unicode.utf8(text);
        return encode(b, 0, b.length);
    }
}
