package dev.ponder.engine.tokenizer;

import dev.ponder.engine.PonderException;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE ({@code tokenizer.ggml.model = llama}): spaces become {@code ▁} (with one more in
 * front of text that starts the input or follows a special token, if {@code add_space_prefix}), the text is
 * split into characters, and the adjacent pair whose concatenation is the highest-scoring vocabulary piece
 * is merged, again and again (ties: the leftmost pair). Characters that end up outside the vocabulary are
 * spelled as byte tokens {@code <0xNN>} of their UTF-8 bytes.
 */
final class SpmTokenizer extends Tokenizer {
    /** byteTokens[b] = the token that spells byte b, or -1 if none. [256] */
    private final int[] byteTokens = new int[256];

    SpmTokenizer(Vocabulary vocab) {
        super(vocab);
        for (int b = 0; b < 256; b++) byteTokens[b] = findByteToken(b);
    }

    @Override
    void encodeFragments(String text, List<Fragment> fragments, IntList out) {
        boolean afterSpecial = true; // the start of the input counts as "after a special token"
        for (Fragment f : fragments) {
            if (!f.isText()) {
                out.add(f.token());
                afterSpecial = true;
                continue;
            }
            String s = text.substring(f.start(), f.end());
            if (vocab.addSpacePrefix && afterSpecial) s = " " + s;
            encodePiece(s.replace(' ', '\u2581'), out);
            afterSpecial = false;
        }
    }

    /** A candidate merge of symbol {@code left} with its right neighbour {@code right}. */
    private record Bigram(int left, int right, float score, int size) {}

    /** Tokenizes one space-escaped piece of text. */
    private void encodePiece(String s, IntList out) {
        // symbols: one per codepoint at first; a merged symbol covers [start, start + len) of s
        int n = s.codePointCount(0, s.length());
        int[] start = new int[n]; // [n] char offset in s
        int[] len = new int[n]; // [n] length in chars, 0 once merged into its left neighbour
        int[] prev = new int[n]; // [n] index of the previous live symbol, or -1
        int[] next = new int[n]; // [n] index of the next live symbol, or -1
        for (int i = 0, at = 0; i < n; i++) {
            int cp = s.codePointAt(at);
            start[i] = at;
            len[i] = Character.charCount(cp);
            at += len[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) offer(s, start, len, i - 1, i, queue);
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            int l = b.left, r = b.right;
            if (len[l] == 0 || len[r] == 0 || len[l] + len[r] != b.size) continue; // outdated
            len[l] += len[r];
            len[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) prev[next[r]] = l;
            offer(s, start, len, prev[l], l, queue);
            offer(s, start, len, l, next[l], queue);
        }
        for (int i = n > 0 ? 0 : -1; i != -1; i = next[i]) {
            String piece = s.substring(start[i], start[i] + len[i]);
            int id = vocab.id(piece);
            if (id >= 0) {
                out.add(id);
            } else { // only single characters can be missing: every merge made a vocabulary piece
                for (byte b : Unicode.utf8(piece)) out.add(byteToken(b & 0xFF));
            }
        }
    }

    private void offer(String s, int[] start, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) return;
        int size = len[left] + len[right];
        int id = vocab.id(s.substring(start[left], start[left] + size));
        if (id >= 0) queue.add(new Bigram(left, right, vocab.scores[id], size));
    }

    /** The byte-fallback token for byte {@code b}: {@code <0xNN>}, else the one-character piece, else unknown. */
    private int byteToken(int b) {
        int id = byteTokens[b];
        if (id >= 0) return id;
        if (vocab.unk >= 0) return vocab.unk;
        throw new PonderException("cannot encode byte 0x" + Integer.toHexString(b) + ": the vocabulary has neither byte tokens nor an unknown token");
    }

    private int findByteToken(int b) {
        int id = vocab.id(String.format("<0x%02X>", b));
        if (id < 0 && b > 0 && b < 0x80) id = vocab.id(String.valueOf((char) b));
        return id;
    }
}
