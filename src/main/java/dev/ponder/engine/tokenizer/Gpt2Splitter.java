package dev.ponder.engine.tokenizer;

/**
 * A hand-written matcher for the GPT-2 pattern
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)}: one left-to-right pass,
 * no backtracking. Whatever no alternative matches (a lone whitespace before a non-space) becomes a
 * one-codepoint piece, which is what the regex-driven split produces for such gaps too.
 */
final class Gpt2Splitter extends PieceSplitter {
    static final String PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";

    @Override
    int next(int[] cps, byte[] cls, int pos, int end) {
        int c = cps[pos];
        if (c == '\'' && pos + 1 < end) { // 's 't 'm 'd 're 've 'll
            int c1 = cps[pos + 1];
            if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return 2;
            if (pos + 2 < end) {
                int c2 = cps[pos + 2];
                if ((c1 == 'r' || c1 == 'v') && c2 == 'e' || c1 == 'l' && c2 == 'l') return 3;
            }
        }
        int body = c == ' ' ? pos + 1 : pos; // where the class run of " ?X+" starts
        if (body < end) {
            int k = cls[body];
            if ((k & SplitText.LETTER) != 0) return run(cls, body, end, SplitText.LETTER) - pos;
            if ((k & SplitText.NUMBER) != 0) return run(cls, body, end, SplitText.NUMBER) - pos;
            if (k == 0) return runOfOther(cls, body, end) - pos;
        }
        int spaces = 0;
        while (pos + spaces < end && (cls[pos + spaces] & SplitText.SPACE) != 0) spaces++;
        if (spaces > 1 && pos + spaces < end) return spaces - 1; // \s+(?!\S): leave the last one to the next word
        if (spaces > 0) return spaces;
        return 1;
    }

    /** End of the run of codepoints having class bit {@code bit}, from {@code p}. */
    static int run(byte[] cls, int p, int end, int bit) {
        while (p < end && (cls[p] & bit) != 0) p++;
        return p;
    }

    /** End of the run of codepoints that are neither letter, number nor whitespace, from {@code p}. */
    static int runOfOther(byte[] cls, int p, int end) {
        while (p < end && cls[p] == 0) p++;
        return p;
    }
}
