package dev.ponder.engine.tokenizer;

/**
 * The "clean up tokenization spaces" step of detokenization that GPT-2 era vocabularies ask for, done in
 * place on the decoded bytes exactly as llama.cpp does it (three passes, each reading the previous pass's
 * output while compacting it):
 * <ol>
 *   <li>drop a space before {@code ? ! . ,};
 *   <li>turn {@code " ' "} into {@code "'"};
 *   <li>drop a space before {@code 's 'm 're 've} (not before {@code 't 'd 'll}).
 * </ol>
 */
final class SpaceCleanup {
    private SpaceCleanup() {}

    /** Cleans {@code b} in place; returns the new length. */
    static int apply(byte[] b) {
        int n = b.length;
        n = punctuation(b, n);
        n = quotedApostrophe(b, n);
        return contractions(b, n);
    }

    private static int punctuation(byte[] t, int n) {
        int out = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) out--;
            t[out++] = x;
        }
        return out;
    }

    private static int quotedApostrophe(byte[] t, int n) {
        int out = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (x == '\'' && i + 1 < n && t[i - 1] == ' ' && t[i + 1] == ' ') {
                out--; // the space before
                t[++i] = 0; // and the one after, which is skipped (the zero stays visible to the next look-behind)
            }
            t[out++] = x;
        }
        return out;
    }

    private static int contractions(byte[] t, int n) {
        int out = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < n) {
                byte x1 = t[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    out--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < n) {
                    byte x2 = t[i + 2];
                    if ((x1 == 'r' || x1 == 'v') && x2 == 'e') out--;
                }
            }
            t[out++] = x;
        }
        return out;
    }
}
