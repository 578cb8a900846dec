package dev.ponder.think;

import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.sampling.Sampler;
import dev.ponder.engine.sampling.SamplerSettings;
import dev.ponder.engine.tokenizer.StreamDecoder;
import dev.ponder.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded engine as a {@link Backend}. It keeps one live sequence: a new context is compared with the
 * tokens already in the KV cache, the cache is truncated to the longest common prefix, and only the rest is
 * prefilled. So injecting evidence re-computes the context from the point of change on, and re-decoding an
 * answer after a rollback costs only the tokens that changed. Not thread-safe: one controller per backend.
 */
public final class EmbeddedBackend implements Backend {
    private final Model model;
    private final Tokenizer tok;
    private final String name;
    private Sequence live;
    /** The distribution after the live sequence's last token when {@link #score} just computed it (else null). */
    private Distribution liveNext;

    public EmbeddedBackend(Model model, String name) {
        this.model = model;
        this.tok = model.tokenizer();
        this.name = name;
        this.live = model.newSequence();
    }

    @Override
    public String name() {
        return "embedded:" + name;
    }

    @Override
    public int countTokens(String text) {
        return tok.encode(text, false, false).length;
    }

    /** The tokenizer of the model. */
    public Tokenizer tokenizer() {
        return tok;
    }

    @Override
    public Generation generate(String context, int maxTokens, String stop) {
        long t0 = System.nanoTime();
        int[] ids = tok.encode(context, tok.addsBos(), false);
        int[] reuse = new int[1];
        Distribution d = prefillShared(ids, reuse);
        List<TokenSignal> signals = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        StreamDecoder stream = tok.streamDecoder(false);
        for (int i = 0; i < maxTokens; i++) {
            int id = d.argmax();
            if (tok.isEog(id)) break;
            if (append(text, stream.push(id), stop, signals, d, id)) break;
            if (i + 1 < maxTokens) d = model.decode(live, id);
        }
        return new Generation(text.toString(), signals, reuse[0], ids.length - reuse[0], System.nanoTime() - t0);
    }

    @Override
    public List<Generation> sample(String context, int n, double temperature, int maxTokens, String stop, long seed) {
        long t0 = System.nanoTime();
        int[] ids = tok.encode(context, tok.addsBos(), false);
        int[] reuse = new int[1];
        Distribution first = prefillShared(ids, reuse);
        Sequence[] seqs = new Sequence[n];
        Sampler[] samplers = new Sampler[n];
        Distribution[] dist = new Distribution[n];
        StreamDecoder[] streams = new StreamDecoder[n];
        StringBuilder[] texts = new StringBuilder[n];
        List<List<TokenSignal>> signals = new ArrayList<>();
        boolean[] done = new boolean[n];
        for (int b = 0; b < n; b++) {
            seqs[b] = live.fork();
            samplers[b] = new Sampler(SamplerSettings.temperature((float) temperature, seed + b));
            dist[b] = first;
            streams[b] = tok.streamDecoder(false);
            texts[b] = new StringBuilder();
            signals.add(new ArrayList<>());
        }
        try {
            for (int step = 0; step < maxTokens; step++) {
                List<Integer> active = new ArrayList<>();
                List<Integer> next = new ArrayList<>();
                for (int b = 0; b < n; b++) {
                    if (done[b]) continue;
                    int id = samplers[b].sample(dist[b], new int[0]);
                    if (tok.isEog(id)) { done[b] = true; continue; }
                    if (append(texts[b], streams[b].push(id), stop, signals.get(b), dist[b], id)) {
                        done[b] = true;
                        continue;
                    }
                    active.add(b);
                    next.add(id);
                }
                if (active.isEmpty() || step + 1 == maxTokens) break;
                Sequence[] s = new Sequence[active.size()];
                int[] t = new int[active.size()];
                for (int i = 0; i < s.length; i++) { s[i] = seqs[active.get(i)]; t[i] = next.get(i); }
                Distribution[] out = model.decode(s, t);
                for (int i = 0; i < s.length; i++) dist[active.get(i)] = out[i];
            }
        } finally {
            for (Sequence s : seqs) s.close();
        }
        long nanos = System.nanoTime() - t0;
        List<Generation> out = new ArrayList<>();
        for (int b = 0; b < n; b++) out.add(new Generation(texts[b].toString(), signals.get(b), reuse[0], ids.length - reuse[0], nanos));
        return out;
    }

    @Override
    public List<ScoredToken> score(String context, int from) {
        return score(context, from, Integer.MAX_VALUE);
    }

    @Override
    public List<ScoredToken> score(String context, int from, int to) {
        int[] ids = tok.encode(context, tok.addsBos(), false);
        // character span of every token, from its decoded text
        int[] start = new int[ids.length], end = new int[ids.length];
        StreamDecoder stream = tok.streamDecoder(false);
        int at = 0;
        for (int i = 0; i < ids.length; i++) {
            start[i] = at;
            at += stream.push(ids[i]).length();
            end[i] = at;
        }
        int k = 1; // first scored token (the first token has nothing before it)
        while (k < ids.length && end[k] <= from) k++;
        if (k >= ids.length) return List.of();
        int stop = k; // scored tokens are k .. stop-1: those that start before character `to`
        while (stop < ids.length && start[stop] < to) stop++;
        // keep the cached prefix up to token k-1 exclusive, then compute every position from k-1 on, with the
        // distributions after k-1 .. stop-2 (each scores the next token) and after the last token
        int keep = commonPrefix(ids, k - 1);
        live.truncate(keep);
        liveNext = null;
        Distribution[] after = model.prefillAll(live, java.util.Arrays.copyOfRange(ids, keep, ids.length), k - 1 - keep, stop - 1 - keep);
        liveNext = after[after.length - 1]; // a generation from this very context starts here, without recomputing
        List<ScoredToken> out = new ArrayList<>();
        for (int i = k; i < stop; i++) out.add(new ScoredToken(start[i], end[i], after[i - 1 - keep].logprob(ids[i])));
        return out;
    }

    /**
     * Appends token {@code id}'s text {@code piece} (chosen from {@code d}) to {@code text} and its signal to
     * {@code signals}; if the text now holds {@code stop}, cuts it there, keeps the signal only if the token
     * contributed text before the stop, and returns true.
     */
    private static boolean append(StringBuilder text, String piece, String stop, List<TokenSignal> signals, Distribution d, int id) {
        text.append(piece);
        int cut = stop == null ? -1 : text.indexOf(stop);
        if (cut < 0) {
            signals.add(TokenSignal.of(d, id, piece));
            return false;
        }
        text.setLength(cut);
        if (!text.isEmpty() && !piece.startsWith(stop)) signals.add(TokenSignal.of(d, id, piece));
        return true;
    }

    /**
     * Makes the live sequence hold exactly {@code ids} and returns the next-token distribution, reusing the
     * cached longest common prefix ({@code reused[0]} receives its length). At least one token is always
     * computed, since the distribution after the last one is needed.
     */
    private Distribution prefillShared(int[] ids, int[] reused) {
        int[] have = live.tokens();
        Distribution next = liveNext;
        liveNext = null;
        if (next != null && java.util.Arrays.equals(have, ids)) { // scored just before: nothing to compute
            reused[0] = ids.length;
            return next;
        }
        int lcp = commonPrefix(ids, ids.length);
        if (lcp == ids.length) lcp--;
        live.truncate(lcp);
        reused[0] = lcp;
        int[] rest = java.util.Arrays.copyOfRange(ids, lcp, ids.length);
        return model.prefill(live, rest);
    }

    /** Length of the common prefix of the live sequence's tokens and {@code ids}, at most {@code limit}. */
    private int commonPrefix(int[] ids, int limit) {
        int[] have = live.tokens();
        int n = 0;
        while (n < have.length && n < limit && n < ids.length && have[n] == ids[n]) n++;
        return n;
    }

    /** Tokens currently held in the live KV cache (for tests and traces). */
    public int[] liveTokens() {
        return live.tokens();
    }

    @Override
    public void close() {
        live.close();
    }
}
