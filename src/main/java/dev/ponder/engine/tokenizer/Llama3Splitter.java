package dev.ponder.engine.tokenizer;

/**
 * A hand-written matcher for the Llama 3 pattern {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+
 * |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}: one left-to-right pass, no backtracking.
 * The case-insensitive group is also recognised in its expanded form {@code (?:'[sS]|'[tT]|...)}.
 */
final class Llama3Splitter extends PieceSplitter {
    static final String PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String PATTERN_EXPANDED = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    @Override
    int next(int[] cps, byte[] cls, int pos, int end) {
        int c = cps[pos];
        if (c == '\'' && pos + 1 < end) { // contractions, any case
            int c1 = Character.toLowerCase(cps[pos + 1]);
            if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return 2;
            if (pos + 2 < end) {
                int c2 = Character.toLowerCase(cps[pos + 2]);
                if ((c1 == 'r' || c1 == 'v') && c2 == 'e' || c1 == 'l' && c2 == 'l') return 3;
            }
        }
        boolean letter = (cls[pos] & SplitText.LETTER) != 0;
        boolean number = (cls[pos] & SplitText.NUMBER) != 0;
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (c != '\r' && c != '\n' && !number) {
            if (letter || pos + 1 < end && (cls[pos + 1] & SplitText.LETTER) != 0) {
                return Gpt2Splitter.run(cls, pos + 1, end, SplitText.LETTER) - pos;
            }
        }
        // \p{N}{1,3}
        if (number) return Math.min(3, Gpt2Splitter.run(cls, pos, end, SplitText.NUMBER) - pos);
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int body = c == ' ' ? pos + 1 : pos;
        if (body < end && cls[body] == 0) {
            int e = Gpt2Splitter.runOfOther(cls, body, end);
            while (e < end && (cps[e] == '\r' || cps[e] == '\n')) e++;
            return e - pos;
        }
        // \s*[\r\n]+ : up to the last line break of the whitespace run
        int spaces = 0;
        int afterBreak = -1;
        while (pos + spaces < end && (cls[pos + spaces] & SplitText.SPACE) != 0) {
            int w = cps[pos + spaces];
            spaces++;
            if (w == '\r' || w == '\n') afterBreak = spaces;
        }
        if (afterBreak > 0) return afterBreak;
        if (spaces > 1 && pos + spaces < end) return spaces - 1; // \s+(?!\S)
        if (spaces > 0) return spaces; // \s+
        return 1;
    }
}
