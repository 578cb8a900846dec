package dev.ponder.engine.tokenizer;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGUFWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Learns a byte-level BPE vocabulary from text, to be stored in GGUF as a {@code gpt2} tokenizer so that
 * any GGUF runtime (llama.cpp, this project's {@link Tokenizer}) tokenizes the model's text identically.
 *
 * <p>The corpus is cut at special-token text (never learned), split into words by the chosen
 * {@link PreTokenizer} (the same code that later encodes, so training and inference see the same words),
 * and each distinct word is counted. The vocabulary starts as the special tokens followed by all 256 bytes;
 * then the most frequent adjacent pair of symbols (summed over word counts) is merged into a new symbol,
 * again and again until the vocabulary is full or no pair occurs {@code minFrequency} times. Ties go to the
 * pair of smallest (left id, right id), so training is deterministic. Pair counts are kept incrementally:
 * a merge only revisits the words that contain the pair.
 *
 * <p>The default pre-tokenizer is {@code qwen2}: one digit per word (helps arithmetic) and no space
 * clean-up on decoding, so {@code decode(encode(text))} gives back exactly {@code text}.
 */
public final class BpeTrainer {
    private int vocabSize = 4096;
    private String preTokenizer = "qwen2";
    private List<String> specials = List.of("<|bos|>", "<|eos|>", "<|pad|>");
    private String bos = "<|bos|>", eos = "<|eos|>", pad = "<|pad|>";
    private int minFrequency = 2;
    private boolean addBos = true;

    /** The vocabulary size to reach (special tokens and the 256 bytes included). */
    public BpeTrainer vocabSize(int size) {
        this.vocabSize = size;
        return this;
    }

    /** The pre-tokenizer ({@code tokenizer.ggml.pre}), one of {@link PreTokenizer#names()}. */
    public BpeTrainer preTokenizer(String name) {
        PreTokenizer.forName(name); // validate now
        this.preTokenizer = name;
        return this;
    }

    /**
     * The special tokens (ids 0.. in this order) and which of them are BOS, EOS and padding (each may be
     * null; a non-null one must be in the list).
     */
    public BpeTrainer specialTokens(List<String> tokens, String bos, String eos, String pad) {
        for (String t : tokens) if (t == null || t.isEmpty()) throw new PonderException("special tokens must not be empty");
        if (tokens.stream().distinct().count() != tokens.size()) throw new PonderException("special tokens must be distinct: " + tokens);
        for (String t : new String[] {bos, eos, pad}) {
            if (t != null && !tokens.contains(t)) throw new PonderException("'" + t + "' is not among the special tokens " + tokens);
        }
        this.specials = List.copyOf(tokens);
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
        return this;
    }

    /** Pairs seen fewer times than this are never merged (default 2). */
    public BpeTrainer minFrequency(int count) {
        if (count < 1) throw new PonderException("minimum pair frequency must be at least 1, not " + count);
        this.minFrequency = count;
        return this;
    }

    /** Whether the GGUF asks for BOS in front of prompts (default true when there is a BOS token). */
    public BpeTrainer addBos(boolean add) {
        this.addBos = add;
        return this;
    }

    /** Trains on one text. */
    public Result train(String corpus) {
        return train(List.of(corpus));
    }

    /** Trains on documents (each pre-tokenized as a whole, so words never span two documents). */
    public Result train(Iterable<String> documents) {
        int byteBase = specials.size();
        if (vocabSize < byteBase + 256) throw new PonderException("vocabulary size " + vocabSize + " is below the " + (byteBase + 256) + " tokens that special tokens and bytes take");
        PreTokenizer pre = PreTokenizer.forName(preTokenizer);

        // ---- count words (byte-level strings)
        Map<String, long[]> counts = new HashMap<>();
        List<String> longestFirst = new ArrayList<>(specials);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        for (String doc : documents) {
            for (String piece : cutAtSpecials(Unicode.sanitize(doc), longestFirst)) {
                pre.forEachByteLevelWord(piece, w -> counts.computeIfAbsent(w, k -> new long[1])[0]++);
            }
        }

        // ---- initial vocabulary: specials, then the 256 bytes
        Vocab v = new Vocab();
        for (String s : specials) v.add(s, TokenType.CONTROL);
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevel.charOf(b));
            if (v.ids.containsKey(c)) throw new PonderException("special token '" + c + "' collides with the byte token for 0x" + Integer.toHexString(b));
            v.add(c, TokenType.NORMAL);
        }

        // ---- words as symbol ids
        String[] words = counts.keySet().toArray(new String[0]);
        Arrays.sort(words);
        int[][] symbols = new int[words.length][]; // [word][symbol]
        long[] freq = new long[words.length]; // [word]
        for (int w = 0; w < words.length; w++) {
            freq[w] = counts.get(words[w])[0];
            symbols[w] = new int[words[w].length()];
            for (int i = 0; i < symbols[w].length; i++) symbols[w][i] = byteBase + ByteLevel.byteOf(words[w].charAt(i));
        }
        new Merger(v, symbols, freq).run(vocabSize, minFrequency);

        int bosId = bos == null ? -1 : specials.indexOf(bos);
        int eosId = eos == null ? -1 : specials.indexOf(eos);
        int padId = pad == null ? -1 : specials.indexOf(pad);
        return new Result(List.copyOf(v.tokens), v.types.toArray(), List.copyOf(v.merges), preTokenizer, bosId, eosId, padId, addBos && bosId >= 0);
    }

    /** The text pieces between occurrences of special-token text. */
    private static List<String> cutAtSpecials(String doc, List<String> longestFirst) {
        List<String> pieces = new ArrayList<>(List.of(doc));
        for (String special : longestFirst) {
            if (!doc.contains(special)) continue;
            List<String> next = new ArrayList<>();
            for (String p : pieces) {
                int from = 0;
                for (int at = p.indexOf(special); at >= 0; at = p.indexOf(special, from)) {
                    if (at > from) next.add(p.substring(from, at));
                    from = at + special.length();
                }
                if (from < p.length()) next.add(p.substring(from));
            }
            pieces = next;
        }
        return pieces;
    }

    /** The growing vocabulary. */
    private static final class Vocab {
        final List<String> tokens = new ArrayList<>();
        final IntList types = new IntList();
        final Map<String, Integer> ids = new HashMap<>();
        final List<String> merges = new ArrayList<>();
        final java.util.Set<String> mergeSet = new java.util.HashSet<>();

        /** Records a merge (once: a pair can reappear when a later merge spells an existing token). */
        void addMerge(String left, String right) {
            String m = left + " " + right;
            if (mergeSet.add(m)) merges.add(m);
        }

        int add(String text, TokenType type) {
            int id = tokens.size();
            tokens.add(text);
            types.add(type.code);
            ids.put(text, id);
            return id;
        }
    }

    /** The merge loop with incremental pair counts. */
    private static final class Merger {
        /** A pair's total count (over word frequencies) and the words it may occur in (duplicates and stale entries allowed). */
        private static final class PairStat {
            long count;
            final IntList words = new IntList(4);
        }

        /** A heap entry; it is current if its count equals the pair's count when popped. */
        private record Candidate(long count, int left, int right) {}

        private final Vocab vocab;
        private final int[][] symbols;
        private final long[] freq;
        private final Map<Long, PairStat> stats = new HashMap<>();
        /** Pairs whose count rose during the current merge, announced on the heap once it is done. */
        private final java.util.Set<Long> risen = new java.util.HashSet<>();
        private final PriorityQueue<Candidate> heap = new PriorityQueue<>(
                Comparator.comparingLong((Candidate c) -> -c.count).thenComparingInt(Candidate::left).thenComparingInt(Candidate::right));

        Merger(Vocab vocab, int[][] symbols, long[] freq) {
            this.vocab = vocab;
            this.symbols = symbols;
            this.freq = freq;
            for (int w = 0; w < symbols.length; w++) {
                int[] s = symbols[w];
                for (int i = 0; i + 1 < s.length; i++) adjust(key(s[i], s[i + 1]), freq[w], w);
            }
            announceRisen();
        }

        private static long key(int left, int right) {
            return (long) left << 32 | (right & 0xFFFFFFFFL);
        }

        /** Adds {@code delta} to a pair's count (word {@code word} now holds the pair if it rose). */
        private void adjust(long key, long delta, int word) {
            PairStat st = stats.computeIfAbsent(key, k -> new PairStat());
            st.count += delta;
            if (delta > 0) {
                if (st.words.size() == 0 || st.words.get(st.words.size() - 1) != word) st.words.add(word);
                risen.add(key);
            }
            if (st.count <= 0) stats.remove(key);
        }

        /** Puts the current count of every risen pair on the heap (falls are caught lazily when popped). */
        private void announceRisen() {
            for (long k : risen) {
                PairStat st = stats.get(k);
                if (st != null) heap.add(new Candidate(st.count, (int) (k >>> 32), (int) k));
            }
            risen.clear();
        }

        void run(int vocabSize, int minFrequency) {
            int[] visited = new int[symbols.length];
            Arrays.fill(visited, -1);
            int round = 0;
            while (vocab.tokens.size() < vocabSize && !heap.isEmpty()) {
                Candidate c = heap.poll();
                long key = key(c.left, c.right);
                PairStat st = stats.get(key);
                if (st == null) continue;
                if (st.count != c.count) {
                    if (st.count < c.count) heap.add(new Candidate(st.count, c.left, c.right)); // it fell: re-announce
                    continue;
                }
                if (st.count < minFrequency) break; // the best pair is too rare: done
                String text = vocab.tokens.get(c.left) + vocab.tokens.get(c.right);
                Integer existing = vocab.ids.get(text);
                if (existing != null && vocab.types.get(existing) != TokenType.NORMAL.code) {
                    stats.remove(key); // would spell a special token: never merge this pair
                    continue;
                }
                int merged = existing != null ? existing : vocab.add(text, TokenType.NORMAL);
                vocab.addMerge(vocab.tokens.get(c.left), vocab.tokens.get(c.right));
                stats.remove(key);
                for (int i = 0; i < st.words.size(); i++) {
                    int w = st.words.get(i);
                    if (visited[w] == round) continue;
                    visited[w] = round;
                    mergeInWord(w, c.left, c.right, merged);
                }
                announceRisen();
                round++;
            }
        }

        /** Replaces each (left, right) in word {@code w}, left to right, and updates the pair counts by the difference. */
        private void mergeInWord(int w, int left, int right, int merged) {
            int[] s = symbols[w];
            int[] t = new int[s.length];
            int n = 0;
            for (int i = 0; i < s.length; i++) {
                if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                    t[n++] = merged;
                    i++;
                } else {
                    t[n++] = s[i];
                }
            }
            if (n == s.length) return; // the pair is no longer in this word
            t = Arrays.copyOf(t, n);
            long[] before = pairs(s), after = pairs(t);
            // walk the two sorted pair lists; pairs present in both with equal multiplicity are unchanged
            int i = 0, j = 0;
            while (i < before.length || j < after.length) {
                long k = j >= after.length || i < before.length && before[i] < after[j] ? before[i] : after[j];
                int d = 0;
                while (i < before.length && before[i] == k) { d--; i++; }
                while (j < after.length && after[j] == k) { d++; j++; }
                if (d != 0 && k != key(left, right)) adjust(k, d * freq[w], w);
            }
            symbols[w] = t;
        }

        /** The adjacent pairs of a symbol sequence, sorted. */
        private static long[] pairs(int[] s) {
            long[] p = new long[Math.max(0, s.length - 1)];
            for (int i = 0; i + 1 < s.length; i++) p[i] = key(s[i], s[i + 1]);
            Arrays.sort(p);
            return p;
        }
    }

    /**
     * A trained vocabulary: tokens (specials first, then the 256 bytes, then merge results), their GGUF token
     * types, the merges in rank order, and the special ids (-1 when absent).
     */
    public record Result(List<String> tokens, int[] tokenTypes, List<String> merges, String preTokenizer, int bos, int eos, int pad, boolean addBos) {
        public int vocabSize() {
            return tokens.size();
        }

        /** Puts the {@code tokenizer.ggml.*} metadata of this vocabulary into {@code w}. */
        public GGUFWriter writeTo(GGUFWriter w) {
            w.putString("tokenizer.ggml.model", "gpt2")
                    .putString("tokenizer.ggml.pre", preTokenizer)
                    .putStrings("tokenizer.ggml.tokens", tokens)
                    .putInt32s("tokenizer.ggml.token_type", tokenTypes)
                    .putStrings("tokenizer.ggml.merges", merges);
            if (bos >= 0) w.putUInt32("tokenizer.ggml.bos_token_id", bos);
            if (eos >= 0) w.putUInt32("tokenizer.ggml.eos_token_id", eos);
            if (pad >= 0) w.putUInt32("tokenizer.ggml.padding_token_id", pad);
            w.putBool("tokenizer.ggml.add_bos_token", addBos);
            w.putBool("tokenizer.ggml.add_eos_token", false);
            return w;
        }

        /** The tokenizer for this vocabulary, read back through GGUF exactly as a model file would be. */
        public Tokenizer tokenizer() {
            try {
                Path tmp = Files.createTempFile("ponder-vocab", ".gguf");
                try {
                    writeTo(new GGUFWriter()).write(tmp);
                    return Tokenizer.fromGGUF(tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
