package dev.ponder.engine.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}): the pre-tokenizer cuts the text into words, each
 * word's UTF-8 bytes are written in the {@link ByteLevel} alphabet, and within a word the adjacent pair with
 * the lowest merge rank is merged, again and again (ties: the leftmost pair). Some pre-tokenizers
 * ({@code ignore_merges}) take a word that is itself a vocabulary piece as one token, merges or not.
 */
final class BpeTokenizer extends Tokenizer {
    private static final int CACHE_LIMIT = 100_000;
    private static final int CACHE_MAX_WORD = 64;

    /** "left right" -> merge rank (the first occurrence of a pair counts). */
    private final Map<String, Integer> ranks;
    private final PreTokenizer pre;
    /** Word (byte-level) -> its token ids; bounded, shared by all threads. */
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    BpeTokenizer(Vocabulary vocab) {
        super(vocab);
        this.pre = vocab.preTokenizer;
        this.ranks = new HashMap<>(vocab.merges.length * 2);
        for (int i = 0; i < vocab.merges.length; i++) {
            String m = vocab.merges[i];
            int space = m.indexOf(' ', 1);
            if (space > 0) ranks.putIfAbsent(m, i); // the key is the line itself: "left right"
        }
    }

    @Override
    void encodeFragments(String text, List<Fragment> fragments, IntList out) {
        for (Fragment f : fragments) {
            if (f.isText()) encodeText(text.substring(f.start(), f.end()), out);
            else out.add(f.token());
        }
    }

    /** Pre-tokenizes plain text and encodes each word. */
    private void encodeText(String text, IntList out) {
        pre.forEachByteLevelWord(text, word -> encodeWord(word, out));
    }

    /** A candidate merge of symbol {@code left} with its right neighbour {@code right}. */
    private record Bigram(int left, int right, int rank, int size) {}

    /** Encodes one byte-level word. */
    void encodeWord(String word, IntList out) {
        int[] cached = cache.get(word);
        if (cached != null) {
            out.addAll(cached);
            return;
        }
        IntList ids = new IntList(8);
        int whole = vocab.ignoreMerges ? vocab.id(word) : -1;
        if (whole >= 0) ids.add(whole);
        else merge(word, ids);
        int[] result = ids.toArray();
        if (word.length() <= CACHE_MAX_WORD && cache.size() < CACHE_LIMIT) cache.put(word, result);
        out.addAll(result);
    }

    /** Applies the merges to {@code word} (one symbol per char, as every byte is one char) and emits the pieces. */
    private void merge(String word, IntList out) {
        int n = word.length();
        int[] len = new int[n]; // [n] symbol length in chars, 0 once merged into its left neighbour
        int[] prev = new int[n]; // [n] previous live symbol or -1
        int[] next = new int[n]; // [n] next live symbol or -1
        for (int i = 0; i < n; i++) {
            len[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) offer(word, len, i - 1, i, queue);
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            int l = b.left, r = b.right;
            if (len[l] == 0 || len[r] == 0 || len[l] + len[r] != b.size) continue; // outdated
            len[l] += len[r];
            len[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) prev[next[r]] = l;
            offer(word, len, prev[l], l, queue);
            offer(word, len, l, next[l], queue);
        }
        for (int i = n > 0 ? 0 : -1; i != -1; i = next[i]) {
            String piece = word.substring(i, i + len[i]);
            int id = vocab.id(piece);
            if (id >= 0) {
                out.add(id);
                continue;
            }
            // not in the vocabulary: llama.cpp tries each UTF-8 byte of the piece as a one-byte token and
            // drops the rest; only ASCII characters of the byte alphabet can match that way
            for (int k = 0; k < piece.length(); k++) {
                char c = piece.charAt(k);
                int single = c < 0x80 ? vocab.id(String.valueOf(c)) : -1;
                if (single >= 0) out.add(single);
            }
        }
    }

    private void offer(String word, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) return;
        // symbols are contiguous: left covers [left, right), right covers [right, right + len[right])
        Integer rank = ranks.get(word.substring(left, right) + ' ' + word.substring(right, right + len[right]));
        if (rank != null) queue.add(new Bigram(left, right, rank, len[left] + len[right]));
    }
}
