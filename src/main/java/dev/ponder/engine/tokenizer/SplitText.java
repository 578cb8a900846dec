package dev.ponder.engine.tokenizer;

/**
 * A text being pre-tokenized: its codepoints plus, computed on demand, the per-codepoint classes the
 * hand-written splitters test and the two stand-in strings the regex stages match against.
 */
final class SplitText {
    static final byte LETTER = 1, NUMBER = 2, SPACE = 4;

    /** The text's codepoints. [n] */
    final int[] cps;
    /** LETTER/NUMBER/SPACE bits per codepoint, or null until needed. [n] */
    private byte[] classes;
    /** One char per codepoint: ASCII kept, the rest replaced by a category marker (see {@link RegexSplitter}). */
    private String collapsed;
    /** The text itself, with non-ASCII whitespace replaced by U+000B so that {@code \s} sees it. */
    private String wide;
    /** charToCp[i] = index of the codepoint at (or after) char i of {@link #wide}. [chars + 1] */
    private int[] wideCharToCp;
    /** cpToChar[k] = char index of codepoint k in {@link #wide}. [n + 1] */
    private int[] wideCpToChar;

    SplitText(String text) {
        this.cps = text.codePoints().toArray();
    }

    int length() {
        return cps.length;
    }

    byte[] classes() {
        if (classes == null) {
            byte[] c = new byte[cps.length];
            for (int i = 0; i < cps.length; i++) {
                int cp = cps[i];
                int cat = Unicode.category(cp);
                c[i] = (byte) ((cat == Unicode.LETTER ? LETTER : 0) | (cat == Unicode.NUMBER ? NUMBER : 0) | (Unicode.isWhitespace(cp) ? SPACE : 0));
            }
            classes = c;
        }
        return classes;
    }

    String collapsed() {
        if (collapsed == null) {
            char[] c = new char[cps.length];
            for (int i = 0; i < cps.length; i++) c[i] = RegexSplitter.collapse(cps[i]);
            collapsed = new String(c);
        }
        return collapsed;
    }

    String wide() {
        if (wide == null) {
            StringBuilder sb = new StringBuilder(cps.length + 8);
            int[] cpToChar = new int[cps.length + 1];
            for (int i = 0; i < cps.length; i++) {
                cpToChar[i] = sb.length();
                int cp = cps[i];
                sb.appendCodePoint(cp > 0x7F && Unicode.isWhitespace(cp) ? 0x0B : cp);
            }
            cpToChar[cps.length] = sb.length();
            int[] charToCp = new int[sb.length() + 1];
            for (int i = 0, k = 0; i <= sb.length(); i++) {
                while (k < cps.length && cpToChar[k] < i) k++;
                charToCp[i] = k;
            }
            wide = sb.toString();
            wideCpToChar = cpToChar;
            wideCharToCp = charToCp;
        }
        return wide;
    }

    int wideCharOf(int cp) {
        return wideCpToChar[cp];
    }

    int cpOfWideChar(int ch) {
        return wideCharToCp[ch];
    }
}
