package dev.ponder.serve;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.sampling.Sampler;
import dev.ponder.engine.sampling.SamplerSettings;
import dev.ponder.engine.sampling.TokenProb;
import dev.ponder.engine.tokenizer.StreamDecoder;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.think.Backend;
import dev.ponder.think.Generation;
import dev.ponder.think.TokenSignal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Continuous batching: one scheduler thread owns the {@link Model} and runs every generation submitted from
 * any thread. Each loop it prefills the jobs that arrived (reusing the KV cache of the longest matching
 * prompt prefix from a small cache of recent prompts), chooses the next token of every active job, retires
 * the finished and cancelled ones, and then runs ONE batched {@code model.decode(seqs[], tokens[])} for all
 * the others. Request threads block only on their own job's events. Work that must drive the model directly
 * (a search forking KV-cache sequences) runs through {@link #withModel}, between two scheduler steps.
 *
 * <p>As a {@link Backend} it behaves like {@code EmbeddedBackend} (greedy generation with each token's signals,
 * seeded samples, prompt scoring through {@link #scorePrompt}), but is thread-safe: many controllers can drive it at once, and their decode steps share
 * one pass over the weights. Prompts are tokenized with special tokens parsed (chat-template markers become
 * their tokens) and a BOS added unless the text already starts with it.
 */
public final class BatchingBackend implements Backend {
    /** Scheduler statistics since start. */
    public record Stats(long steps, long decodedTokens, int maxBatchSeen, long prefilledTokens, long reusedTokens,
                        long completed, long cancelled, int active, int waiting) {}

    private final Model model;
    private final Tokenizer tok;
    private final String name;
    private final int maxBatch;
    private final int prefixCacheSize;
    private final LinkedBlockingQueue<Job> arrivals = new LinkedBlockingQueue<>();
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final List<Job> active = new ArrayList<>();
    private final LinkedList<Sequence> prefixCache = new LinkedList<>();
    private final Thread scheduler;
    private volatile boolean closed;
    private final AtomicLong steps = new AtomicLong(), decoded = new AtomicLong(), prefilled = new AtomicLong(),
            reusedTotal = new AtomicLong(), completed = new AtomicLong(), cancelled = new AtomicLong();
    private volatile int maxBatchSeen, activeCount, waitingCount;
    /** Held by the scheduler for each admit-and-step, and by {@link #withModel} callers; fair, so they alternate. */
    private final ReentrantLock modelLock = new ReentrantLock(true);

    /**
     * @param model the model (the scheduler becomes its only user)
     * @param name a short name for traces
     * @param maxBatch jobs decoded together at most (more wait their turn)
     * @param prefixCacheSize recent prompts whose KV cache is kept for reuse (0: none)
     */
    public BatchingBackend(Model model, String name, int maxBatch, int prefixCacheSize) {
        if (model.tokenizer() == null) throw new PonderException("the model has no tokenizer");
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
        this.model = model;
        this.tok = model.tokenizer();
        this.name = name;
        this.maxBatch = maxBatch;
        this.prefixCacheSize = prefixCacheSize;
        this.scheduler = Thread.ofPlatform().name("ponder-scheduler").daemon().start(this::loop);
    }

    public Tokenizer tokenizer() {
        return tok;
    }

    public Model model() {
        return model;
    }

    /** Prompt text to token ids: special tokens parsed, BOS added if the model wants it and the text lacks it. */
    public int[] encodePrompt(String text) {
        return tok.encode(text, addsBosTo(text), true);
    }

    /** True if {@link #encodePrompt} puts a BOS before {@code text} (one that is not in the text). */
    private boolean addsBosTo(String text) {
        String bos = tok.bos() >= 0 ? tok.tokenText(tok.bos()) : "";
        return tok.addsBos() && !(bos.length() > 0 && text.startsWith(bos));
    }

    /** Prompt tokens computed per turn of the model when scoring a prompt: bounds the wait of other requests and the memory held. */
    static final int SCORE_CHUNK = 64;

    /**
     * The tokens of {@code prompt} (as {@link #encodePrompt} makes them), each with the text it stands for and,
     * for every token that ends after character {@code from} (but the first token, which has nothing before it),
     * its logprob given the tokens before it and its position's {@code top} most likely tokens. The prompt runs on
     * a fresh sequence of the served model, {@value #SCORE_CHUNK} tokens per turn, between scheduler steps (as a
     * search does, {@link #withModel}): positions before the scored range are prefilled without their
     * distributions, the scored ones with them ({@code Model.prefillAll}). The request's {@code cancel} stops it
     * between turns ({@link CancelledException}).
     */
    public List<PromptToken> scorePrompt(String prompt, int from, int top, CancelToken cancel) {
        int[] ids = encodePrompt(prompt);
        int n = ids.length;
        String[] text = pieces(ids, addsBosTo(prompt), prompt);
        int[] start = new int[n], end = new int[n]; // UTF-16 span of each token in the prompt
        int at = 0;
        for (int i = 0; i < n; i++) {
            start[i] = Math.min(at, prompt.length());
            at += text[i].length();
            end[i] = Math.min(at, prompt.length());
        }
        int k = 1; // the first scored token
        while (k < n && end[k] <= from) k++;
        double[] logprob = new double[n];
        Arrays.fill(logprob, Double.NaN);
        List<List<TokenProb>> tops = new ArrayList<>(java.util.Collections.nCopies(n, List.<TokenProb>of()));
        if (k < n) {
            Sequence seq = withModel(model::newSequence);
            try {
                // the context before the first scored position: its KV cache only
                for (int s = 0; s < k - 1; s += SCORE_CHUNK) {
                    if (cancel.isCancelled()) throw new CancelledException();
                    int[] chunk = Arrays.copyOfRange(ids, s, Math.min(k - 1, s + SCORE_CHUNK));
                    withModel(() -> model.prefill(seq, chunk));
                }
                // positions k-1 .. n-2: the distribution after each is the one token i = position + 1 is read from
                for (int s = k - 1; s < n - 1; s += SCORE_CHUNK) {
                    if (cancel.isCancelled()) throw new CancelledException();
                    int[] chunk = Arrays.copyOfRange(ids, s, Math.min(n - 1, s + SCORE_CHUNK));
                    Distribution[] after = withModel(() -> model.prefillAll(seq, chunk));
                    for (int j = 0; j < after.length; j++) {
                        int i = s + j + 1;
                        logprob[i] = after[j].logprob(ids[i]);
                        if (top > 0) tops.set(i, after[j].top(top));
                    }
                }
            } finally {
                release(seq);
            }
        }
        List<PromptToken> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new PromptToken(ids[i], text[i], start[i], end[i], logprob[i], tops.get(i)));
        return out;
    }

    /** Closes a sequence of the served model: on the model's turn while the scheduler runs, directly once it has stopped. */
    private void release(Sequence seq) {
        if (closed) {
            seq.close();
            return;
        }
        modelLock.lock();
        try {
            seq.close();
        } finally {
            modelLock.unlock();
        }
    }

    /**
     * The prompt text each token stands for: its piece as a stream decoder renders it (special tokens written in the
     * prompt as their text; a token ending inside a character empty, the one completing it the whole character), an
     * added BOS empty. The pieces then join to the prompt whenever the tokenizer reproduces it: always for byte-level
     * BPE; for SentencePiece once the space its vocabulary puts before the text is dropped (done here).
     */
    private String[] pieces(int[] ids, boolean addedBos, String prompt) {
        StreamDecoder dec = tok.streamDecoder(true);
        String[] out = new String[ids.length];
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            out[i] = i == 0 && addedBos ? "" : dec.push(ids[i]);
            all.append(out[i]);
        }
        if (ids.length > 0 && dec.hasPending()) {
            String rest = dec.flush();
            out[ids.length - 1] += rest;
            all.append(rest);
        }
        if (all.length() == prompt.length() + 1 && all.charAt(0) == ' ' && all.substring(1).equals(prompt)) {
            for (int i = 0; i < out.length; i++) {
                if (!out[i].isEmpty()) {
                    out[i] = out[i].substring(1);
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public List<ScoredToken> score(String context, int from) {
        return score(context, from, CancelToken.NEVER);
    }

    List<ScoredToken> score(String context, int from, CancelToken cancel) {
        List<ScoredToken> out = new ArrayList<>();
        for (PromptToken t : scorePrompt(context, from, 0, cancel)) {
            if (t.scored()) out.add(new ScoredToken(t.start(), t.end(), t.logprob()));
        }
        return out;
    }

    /**
     * Submits a generation; its events arrive on the returned job.
     *
     * @param prompt prompt token ids (at least one)
     * @param settings how to choose tokens
     * @param maxTokens tokens to generate at most (≥ 1)
     * @param stops stop strings (the output ends before the first one)
     * @param topLogprobs alternatives to report per token (at least {@link TokenSignal#TOP} are always kept)
     * @param cancel the request's cancellation
     */
    public Job submit(int[] prompt, SamplerSettings settings, int maxTokens, List<String> stops, int topLogprobs, CancelToken cancel) {
        return submit(prompt, settings, maxTokens, stops, topLogprobs, false, cancel);
    }

    /**
     * Like {@link #submit(int[], SamplerSettings, int, List, int, CancelToken)}; with {@code ignoreEos} an
     * end-of-generation token never ends the job: the most likely other token is taken instead (llama.cpp's
     * {@code ignore_eos}).
     */
    public Job submit(int[] prompt, SamplerSettings settings, int maxTokens, List<String> stops, int topLogprobs,
                      boolean ignoreEos, CancelToken cancel) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt");
        if (closed) throw new PonderException("the server is shutting down");
        Job j = new Job(prompt.clone(), new Sampler(settings), maxTokens, List.copyOf(stops), topLogprobs, ignoreEos, cancel);
        arrivals.add(j);
        return j;
    }

    /** A view of this backend whose generations are cancelled with {@code token}. */
    public Backend cancellable(CancelToken token) {
        BatchingBackend self = this;
        return new Backend() {
            @Override public Generation generate(String context, int maxTokens, String stop) {
                return self.generate(context, maxTokens, stop, token);
            }
            @Override public List<Generation> sample(String context, int n, double temperature, int maxTokens, String stop, long seed) {
                return self.sample(context, n, temperature, maxTokens, stop, seed, token);
            }
            @Override public List<ScoredToken> score(String context, int from) {
                return self.score(context, from, token);
            }
            @Override public int countTokens(String text) {
                return self.countTokens(text);
            }
            @Override public String name() {
                return self.name();
            }
        };
    }

    @Override
    public Generation generate(String context, int maxTokens, String stop) {
        return generate(context, maxTokens, stop, CancelToken.NEVER);
    }

    Generation generate(String context, int maxTokens, String stop, CancelToken token) {
        long t0 = System.nanoTime();
        Job j = submit(encodePrompt(context), SamplerSettings.GREEDY, maxTokens, stop == null ? List.of() : List.of(stop), 0, token);
        return collect(j, t0);
    }

    @Override
    public List<Generation> sample(String context, int n, double temperature, int maxTokens, String stop, long seed) {
        return sample(context, n, temperature, maxTokens, stop, seed, CancelToken.NEVER);
    }

    List<Generation> sample(String context, int n, double temperature, int maxTokens, String stop, long seed, CancelToken token) {
        long t0 = System.nanoTime();
        int[] ids = encodePrompt(context);
        List<Job> jobs = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            jobs.add(submit(ids, SamplerSettings.temperature((float) temperature, seed + b), maxTokens,
                    stop == null ? List.of() : List.of(stop), 0, token));
        }
        List<Generation> out = new ArrayList<>();
        for (Job j : jobs) out.add(collect(j, t0));
        return out;
    }

    /** Waits for {@code j} and gathers its output as a {@link Generation}. */
    static Generation collect(Job j, long t0) {
        StringBuilder text = new StringBuilder();
        List<TokenSignal> signals = new ArrayList<>();
        while (true) {
            Job.Event e = j.take();
            switch (e) {
                case Job.Token t -> {
                    if (t.included()) signals.add(t.signal());
                    text.append(t.text());
                }
                case Job.Done d -> {
                    text.append(d.tail());
                    return new Generation(text.toString(), signals, d.reusedTokens(), d.promptTokens() - d.reusedTokens(), System.nanoTime() - t0);
                }
                case Job.Failed f -> throw f.error();
            }
        }
    }

    @Override
    public int countTokens(String text) {
        return tok.encode(text, false, false).length;
    }

    @Override
    public String name() {
        return "embedded:" + name;
    }

    /**
     * Runs {@code task} with the model to itself: between two scheduler steps, never during one (the model's
     * activation buffers serve one forward pass at a time). Keep each task short (one prefill or one batched
     * decode step): generations of other requests wait while it runs.
     */
    public <T> T withModel(Supplier<T> task) {
        if (closed) throw new PonderException("the server is shutting down");
        modelLock.lock();
        try {
            return task.get();
        } finally {
            modelLock.unlock();
        }
    }

    public Stats stats() {
        return new Stats(steps.get(), decoded.get(), maxBatchSeen, prefilled.get(), reusedTotal.get(), completed.get(),
                cancelled.get(), activeCount, waitingCount + arrivals.size());
    }

    // ------------------------------------------------------------------ the scheduler thread

    private void loop() {
        while (!closed) {
            try {
                if (active.isEmpty() && waiting.isEmpty()) {
                    Job j = arrivals.poll(50, TimeUnit.MILLISECONDS);
                    if (j != null) waiting.add(j);
                }
                arrivals.drainTo(waiting);
                modelLock.lock();
                try {
                    admit();
                    step();
                } finally {
                    modelLock.unlock();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                // a failure inside a step fails the jobs in it, never the scheduler
                RuntimeException err = e instanceof RuntimeException re ? re : new PonderException("generation failed: " + e);
                for (Job j : active) finish(j, new Job.Failed(err));
                active.clear();
            }
            activeCount = active.size();
            waitingCount = waiting.size();
        }
        RuntimeException shut = new PonderException("the server is shutting down");
        for (Job j : active) finish(j, new Job.Failed(shut));
        for (Job j : waiting) j.emit(new Job.Failed(shut));
        for (Job j : arrivals) j.emit(new Job.Failed(shut));
        for (Sequence s : prefixCache) s.close();
        prefixCache.clear();
    }

    /** Prefills waiting jobs while there is room in the batch. */
    private void admit() {
        while (!waiting.isEmpty() && active.size() < maxBatch) {
            Job j = waiting.poll();
            if (j.cancel.isCancelled()) {
                cancelled.incrementAndGet();
                j.emit(new Job.Failed(new CancelledException()));
                continue;
            }
            try {
                prefill(j);
                active.add(j);
            } catch (RuntimeException e) {
                finish(j, new Job.Failed(e));
            }
        }
    }

    private void prefill(Job j) {
        Sequence best = null;
        int bestLcp = 0;
        for (Sequence c : prefixCache) {
            int l = lcp(c, j.prompt);
            if (l > bestLcp) {
                bestLcp = l;
                best = c;
            }
        }
        Sequence seq;
        int use = Math.min(bestLcp, j.prompt.length - 1);
        if (best != null && use > 0) {
            seq = best.fork();
            seq.truncate(use);
        } else {
            seq = model.newSequence();
            use = 0;
        }
        j.seq = seq;
        j.reused = use;
        j.next = model.prefill(seq, Arrays.copyOfRange(j.prompt, use, j.prompt.length));
        j.stream = tok.streamDecoder(false);
        prefilled.addAndGet(j.prompt.length - use);
        reusedTotal.addAndGet(use);
        remember(seq, best, bestLcp);
    }

    /** Keeps a fork of a freshly prefilled prompt; drops the entry it extends and the oldest beyond the limit. */
    private void remember(Sequence seq, Sequence extended, int extendedLcp) {
        if (prefixCacheSize <= 0) return;
        if (extended != null && extendedLcp == extended.length()) {
            prefixCache.remove(extended);
            extended.close();
        }
        prefixCache.addFirst(seq.fork());
        while (prefixCache.size() > prefixCacheSize) prefixCache.removeLast().close();
    }

    private static int lcp(Sequence s, int[] ids) {
        int n = Math.min(s.length(), ids.length), i = 0;
        while (i < n && s.token(i) == ids[i]) i++;
        return i;
    }

    /** Chooses a token for every active job, retires the finished, decodes the rest as one batch. */
    private void step() {
        List<Job> go = new ArrayList<>();
        List<Integer> next = new ArrayList<>();
        for (Iterator<Job> it = active.iterator(); it.hasNext(); ) {
            Job j = it.next();
            if (j.cancel.isCancelled()) {
                it.remove();
                cancelled.incrementAndGet();
                finish(j, new Job.Failed(new CancelledException()));
                continue;
            }
            int id = j.sampler.sample(j.next, null);
            if (j.ignoreEos && tok.isEog(id)) id = bestNonEog(j.next);
            Job.Done done = accept(j, id);
            if (done != null) {
                it.remove();
                completed.incrementAndGet();
                finish(j, done);
            } else {
                go.add(j);
                next.add(id);
            }
        }
        if (go.isEmpty()) return;
        Sequence[] seqs = new Sequence[go.size()];
        int[] tokens = new int[go.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = go.get(i).seq;
            tokens[i] = next.get(i);
        }
        Distribution[] out = model.decode(seqs, tokens);
        for (int i = 0; i < seqs.length; i++) go.get(i).next = out[i];
        steps.incrementAndGet();
        decoded.addAndGet(seqs.length);
        if (seqs.length > maxBatchSeen) maxBatchSeen = seqs.length;
    }

    /**
     * Hands token {@code id} to job {@code j}; returns its end if it is finished. The rules follow
     * {@code EmbeddedBackend}: an end-of-generation token ends it unseen; the token that completes a stop string
     * is reported, but counted in the output only if text precedes the stop and its piece does not begin with
     * the stop string; reaching {@code maxTokens} ends it with {@code length}.
     */
    private Job.Done accept(Job j, int id) {
        Distribution d = j.next;
        if (tok.isEog(id)) return new Job.Done("stop", j.prompt.length, j.reused, j.generated, j.stops.flush());
        j.generated++;
        String piece = j.stream.push(id);
        String released = j.stops.push(piece);
        TokenSignal s = new TokenSignal(id, piece, d.logprob(id), d.entropy(), d.varentropy(), d.topProb(), d.margin(),
                d.top(Math.max(TokenSignal.TOP, j.topLogprobs)));
        if (j.stops.stopped()) {
            boolean included = !j.stops.text().isEmpty() && !startsWithStop(piece, j);
            j.emit(new Job.Token(s, included, released));
            return new Job.Done("stop", j.prompt.length, j.reused, j.generated, "");
        }
        j.emit(new Job.Token(s, true, released));
        if (j.generated >= j.maxTokens) return new Job.Done("length", j.prompt.length, j.reused, j.generated, j.stops.flush());
        return null;
    }

    private int bestNonEog(Distribution d) {
        for (var t : d.top(tok.eogIds().length + 1)) if (!tok.isEog(t.id())) return t.id();
        return d.argmax();
    }

    private static boolean startsWithStop(String piece, Job j) {
        for (String stop : j.stops.stops()) if (piece.startsWith(stop)) return true;
        return false;
    }

    private void finish(Job j, Job.Event end) {
        if (j.seq != null) {
            j.seq.close();
            j.seq = null;
        }
        j.next = null;
        j.emit(end);
    }

    /** Stops the scheduler; unfinished jobs fail. */
    @Override
    public void close() {
        closed = true;
        try {
            scheduler.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
