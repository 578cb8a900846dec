package dev.ponder.engine.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Codepoint classes as the pre-tokenizers see them: the regex categories {@code \p{L}}, {@code \p{N}},
 * {@code \p{P}}, {@code \p{M}}, {@code \p{S}} (from the JDK's Unicode tables) and {@code \s}, which is the
 * Unicode {@code White_Space} property (not {@link Character#isWhitespace}, which differs on U+001C..U+001F,
 * U+00A0 and friends). Also the small UTF-8 helpers the tokenizers share.
 */
final class Unicode {
    private Unicode() {}

    // general categories, coarse (one per regex \p{X} class)
    static final int OTHER = 0; // C* (control, format, private use, surrogate, unassigned) and Z* that are not \s
    static final int LETTER = 1;
    static final int NUMBER = 2;
    static final int PUNCTUATION = 3;
    static final int MARK = 4;
    static final int SYMBOL = 5;
    static final int SEPARATOR = 6;

    /** The coarse category of {@code cp}. */
    static int category(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> MARK;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> SYMBOL;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SEPARATOR;
            default -> OTHER;
        };
    }

    /** The Unicode White_Space property: what {@code \s} matches in the tokenizers' reference regex engine. */
    static boolean isWhitespace(int cp) {
        if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** The C {@code isspace} of the "C" locale, used to strip around lstrip/rstrip special tokens. */
    static boolean isAsciiSpace(char c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0D);
    }

    /**
     * Replaces unpaired surrogates by U+FFFD, so that the text has a well-defined UTF-8 form (a byte-oriented
     * tokenizer would see invalid UTF-8 there and substitute the same replacement character).
     */
    static String sanitize(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) break;
            i++;
        }
        if (i == n) return s;
        StringBuilder sb = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(i + 1));
                i += 2;
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return sb.toString();
    }

    /** Appends the UTF-8 encoding of {@code cp} to {@code out}; returns the number of bytes. */
    static int utf8(int cp, byte[] out, int at) {
        if (cp < 0x80) {
            out[at] = (byte) cp;
            return 1;
        }
        if (cp < 0x800) {
            out[at] = (byte) (0xC0 | cp >> 6);
            out[at + 1] = (byte) (0x80 | cp & 0x3F);
            return 2;
        }
        if (cp < 0x10000) {
            out[at] = (byte) (0xE0 | cp >> 12);
            out[at + 1] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[at + 2] = (byte) (0x80 | cp & 0x3F);
            return 3;
        }
        out[at] = (byte) (0xF0 | cp >> 18);
        out[at + 1] = (byte) (0x80 | cp >> 12 & 0x3F);
        out[at + 2] = (byte) (0x80 | cp >> 6 & 0x3F);
        out[at + 3] = (byte) (0x80 | cp & 0x3F);
        return 4;
    }

    /** Length of the UTF-8 sequence a lead byte announces (1 for continuation/invalid bytes, as llama.cpp). */
    static int utf8SequenceLength(byte lead) {
        int hi = (lead & 0xFF) >> 4;
        return hi < 12 ? 1 : hi < 14 ? 2 : hi == 14 ? 3 : 4;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes bytes as UTF-8, replacing malformed input by U+FFFD. */
    static String decodeUtf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
