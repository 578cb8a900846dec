package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.chat.ChatTemplate;
import dev.ponder.engine.bench.DecodeBench;
import dev.ponder.engine.bench.MemoryBandwidth;
import dev.ponder.engine.bench.SyntheticModel;
import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.tensor.Parallel;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.learn.world.PromptFormat;
import dev.ponder.serve.BatchingBackend;
import dev.ponder.serve.LoadBench;
import dev.ponder.serve.PonderServer;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponder bench}: prefill and decode speed, batched decode at B = 1, 2, 4, 8, memory bandwidth and the
 * roofline fraction, resident memory. Runs on a given GGUF or on a synthetic model of a real shape that it
 * writes first (kept for other runtimes to load).
 *
 * <p>{@code ponder bench --serve}: load on {@code ponder serve} instead ({@link LoadBench}): C concurrent streaming
 * clients at each {@code --clients} value, on a server started in this process (the model, default ponder-nano)
 * or on {@code --url}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure prefill/decode speed against the memory-bandwidth roofline.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, description = "GGUF model to measure (default: write a synthetic one).")
    Path model;

    @Option(names = "--shape", defaultValue = "qwen2.5-0.5b", description = "Synthetic model shape: qwen2.5-0.5b, llama-3.2-1b, tiny (default: ${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--type", defaultValue = "Q8_0", description = "Synthetic weight type: Q8_0, Q4_0, Q4_K, Q6_K, F16, F32 (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--out", description = "Where to write the synthetic GGUF (default: target/bench/SHAPE-TYPE.gguf).")
    Path out;

    @Option(names = "--write-only", description = "Only write the synthetic model.")
    boolean writeOnly;

    @Option(names = "--prompt", defaultValue = "512", description = "Prefill length in tokens (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--gen", defaultValue = "64", description = "Decode steps per measurement (default: ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = "--batches", defaultValue = "1,2,4,8", split = ",", description = "Batch sizes for batched decode (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--no-triad", description = "Skip the memory-bandwidth measurement.")
    boolean noTriad;

    @Option(names = "--serve", description = "Benchmark ponder serve under load: concurrent streaming clients (see --clients).")
    boolean serve;

    @Option(names = "--clients", defaultValue = "1,8,32", split = ",", description = "With --serve: concurrent clients per round (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--requests", defaultValue = "8", description = "With --serve: requests each client sends (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--max-tokens", defaultValue = "32", description = "With --serve: tokens per request, with ignore_eos (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--warmup", defaultValue = "4", description = "With --serve: requests each client sends, unmeasured, before each round (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--url", description = "With --serve: the API root of a running server (e.g. http://127.0.0.1:8080/v1) instead of one in this process.")
    String url;

    @Option(names = "--api-key", description = "With --serve --url: the server's key (default: $PONDER_API_KEY).")
    String apiKey;

    @Option(names = "--batch", defaultValue = "16", description = "With --serve: the in-process server's --batch (default: ${DEFAULT-VALUE}, as ponder serve).")
    int batch;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved measurement rounds over the batch sizes; figures are medians (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-time", defaultValue = "2", description = "Seconds of unmeasured decoding at every batch size before measuring (default: ${DEFAULT-VALUE}).")
    double warmupTime;

    @Option(names = "--threads", description = "Threads for the model (default: one per processor, or -Dponder.threads).")
    Integer threadCount;

    @Option(names = "--consult", paramLabel = "K", description = "Also time a K-way consultation (prefill once, fork K, sampled batched steps) against one greedy decode of the same length, on a chat prompt.")
    Integer consult;

    @Override
    public Integer call() throws Exception {
        if (serve) return serveLoad();
        if (promptTokens < 1 || genTokens < 1) throw new PonderException("--prompt and --gen must be at least 1");
        if (rounds < 1 || warmupTime < 0) throw new PonderException("--rounds must be at least 1 and --warmup-time at least 0");
        if (batches.stream().anyMatch(b -> b < 1)) throw new PonderException("--batches must be positive numbers");
        if (consult != null && (consult < 1 || consult > 64)) throw new PonderException("--consult takes 1..64 sequences (got " + consult + ")");
        if (threadCount != null && threadCount < 1) throw new PonderException("--threads must be at least 1");
        Path file = model;
        if (file == null) {
            SyntheticModel.Shape s = SyntheticModel.preset(shape);
            GGMLType t;
            try {
                t = GGMLType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new PonderException("unknown tensor type '" + type + "'");
            }
            file = out != null ? out : Path.of("target", "bench", s.name() + "-" + t + ".gguf");
            if (!Files.exists(file) || out != null) {
                System.out.printf("writing synthetic %s %s to %s ...%n", s.name(), t, file);
                long t0 = System.nanoTime();
                SyntheticModel.write(s, t, 42, file);
                System.out.printf("  %.1f MB in %.1f s%n", Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e9);
            }
            if (writeOnly) return 0;
        }
        if (threadCount != null) Parallel.setCommonThreads(threadCount);
        int threads = Parallel.common().threads();
        java.util.List<double[]> decodes = new java.util.ArrayList<>(); // {batch, seconds per step}
        long weightBytes;
        try (Model m = Model.load(file)) {
            var c = m.config();
            weightBytes = m.transformer().weights().bytesPerToken();
            System.out.printf(Locale.ROOT, "model: %s, %s, dim %d, %d layers, vocab %d; %.1f MB of weights read per token; %d threads%n",
                    file.getFileName(), c.arch(), c.dim(), c.layers(), c.vocabSize(), weightBytes / 1e6, threads);
            SplittableRandom rnd = new SplittableRandom(1);
            int[] prompt = new int[promptTokens];
            for (int i = 0; i < prompt.length; i++) prompt[i] = rnd.nextInt(c.vocabSize());
            // warm-up (JIT): a short prompt, then every batch size in turn until --warmup-time has passed
            long w0 = System.nanoTime();
            int passes;
            try (Sequence w = m.newSequence()) {
                m.prefill(w, java.util.Arrays.copyOf(prompt, Math.min(32, prompt.length)));
                passes = DecodeBench.warmUp(m, w, batches, Math.min(genTokens, 16), warmupTime);
            }
            System.out.printf(Locale.ROOT, "warm-up: %d passes over B=%s in %.1f s%n", passes, joined(batches), (System.nanoTime() - w0) / 1e9);
            try (Sequence root = m.newSequence()) {
                long t0 = System.nanoTime();
                m.prefill(root, prompt);
                double prefillSec = (System.nanoTime() - t0) / 1e9;
                double flopsPerToken = 2.0 * matrixParameters(m);
                System.out.printf(Locale.ROOT, "prefill: %d tokens in %.2f s = %.1f tok/s, %.1f GFLOPS (matrix part)%n",
                        promptTokens, prefillSec, promptTokens / prefillSec, flopsPerToken * promptTokens / prefillSec / 1e9);
                System.out.printf(Locale.ROOT, "decode after the %d-token prompt: %d steps per batch size per round, %d rounds interleaved, medians:%n",
                        promptTokens, genTokens, rounds);
                DecodeBench.Batched r = DecodeBench.batched(m, root, batches, genTokens, rounds);
                for (int b : r.msPerStep().keySet()) {
                    double stepMs = r.median(b);
                    double[] xs = r.msPerStep().get(b).clone();
                    java.util.Arrays.sort(xs);
                    decodes.add(new double[] {b, stepMs / 1e3});
                    System.out.printf(Locale.ROOT, "decode B=%d: %.2f ms/step (rounds %.2f..%.2f), %.1f tok/s%s%n", b, stepMs, xs[0], xs[xs.length - 1],
                            b * 1e3 / stepMs, b > 1 && !Double.isNaN(r.ratioToSingle(b)) ? String.format(Locale.ROOT, ", step cost %.2fx B=1", r.ratioToSingle(b)) : "");
                }
            }
            if (consult != null) consultBench(m);
            long rss = residentBytes();
            if (rss > 0) {
                long fileSize = Files.size(file), kv = m.cache().bytesAllocated();
                System.out.printf(Locale.ROOT, "resident memory: %.0f MB (file %.0f MB + KV cache %.0f MB + %.0f MB other)%n",
                        rss / 1e6, fileSize / 1e6, kv / 1e6, (rss - fileSize - kv) / 1e6);
            }
        }
        if (!noTriad) { // after the model, so its arrays do not count in the resident memory above
            double bw1 = MemoryBandwidth.triad(1, 1 << 25, 5);
            double bwN = MemoryBandwidth.triad(threads, 1 << 25, 5);
            System.out.printf(Locale.ROOT, "memory bandwidth (triad): %.1f GB/s on 1 thread, %.1f GB/s on %d threads%n", bw1, bwN, threads);
            for (double[] d : decodes) {
                double gbps = weightBytes / d[1] / 1e9;
                System.out.printf(Locale.ROOT, "roofline B=%d: weights streamed at %.1f GB/s = %.0f %% of the measured %d-thread bandwidth%n",
                        (int) d[0], gbps, 100 * gbps / bwN, threads);
            }
        }
        return 0;
    }

    /** {@code --serve}: rounds of C concurrent streaming clients; exits 1 if any stream was lost or failed. */
    private int serveLoad() throws Exception {
        if (requests < 1 || maxTokens < 1 || batch < 1) throw new PonderException("--requests, --max-tokens and --batch must be at least 1");
        if (warmup < 0) throw new PonderException("--warmup must be at least 0");
        if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1)) throw new PonderException("--clients must be positive numbers");
        Path file = model != null ? model : Path.of("models/ponder-nano.gguf");
        String name = file.getFileName().toString().replaceFirst("\\.gguf$", "");
        if (url != null) return serveRounds(url, apiKey != null ? apiKey : System.getenv("PONDER_API_KEY"), name, null);
        if (!Files.exists(file)) throw new PonderException("model not found: " + file);
        int maxClients = clients.stream().mapToInt(Integer::intValue).max().orElse(1);
        PonderServer.Options opts = new PonderServer.Options(name, null, 1 << 20, Math.max(512, maxTokens), Math.max(64, maxClients),
                Calibration.fallback(), Budget.defaults());
        try (Model m = Model.load(file); BatchingBackend b = new BatchingBackend(m, name, batch, 32);
             PonderServer s = new PonderServer(b, null, opts).start("127.0.0.1", 0)) {
            System.out.printf(Locale.ROOT, "ponder serve in this process on %s: %s, --batch %d; %d threads (client and server share them)%n",
                    s.url("127.0.0.1"), file, batch, Runtime.getRuntime().availableProcessors());
            return serveRounds(s.url("127.0.0.1") + "/v1", null, name, b);
        }
    }

    private int serveRounds(String base, String key, String modelId, BatchingBackend b) throws Exception {
        LoadBench bench = new LoadBench(base, key, modelId, maxTokens);
        System.out.printf(Locale.ROOT, "streaming completions: %d tokens each (greedy, ignore_eos), %d requests per client after %d unmeasured, %d prompts%n",
                maxTokens, requests, warmup, LoadBench.PROMPTS.size());
        bench.prepare(0);
        List<LoadBench.Result> results = new ArrayList<>();
        int bad = 0;
        for (int c : clients) {
            if (warmup > 0) { // JIT and a steady batch before measuring; its streams are checked all the same
                LoadBench.Result w = bench.run(c, warmup);
                if (w.firstError() != null) System.out.println("  warm-up problem: " + w.firstError());
                bad += w.lost() + w.failed();
            }
            BatchingBackend.Stats before = b != null ? b.stats() : null;
            LoadBench.Result r = bench.run(c, requests);
            results.add(r);
            String batching = "";
            if (b != null) {
                BatchingBackend.Stats after = b.stats();
                long steps = after.steps() - before.steps(), tokens = after.decodedTokens() - before.decodedTokens();
                batching = String.format(Locale.ROOT, "; %.1f sequences per decode step (largest batch so far %d)",
                        steps == 0 ? 0.0 : (double) tokens / steps, after.maxBatchSeen());
            }
            System.out.println(r.summary() + batching);
            if (r.firstError() != null) System.out.println("  first problem: " + r.firstError());
            bad += r.lost() + r.failed();
        }
        LoadBench.Result one = results.stream().filter(r -> r.clients() == 1).findFirst().orElse(null);
        LoadBench.Result eight = results.stream().filter(r -> r.clients() == 8).findFirst().orElse(null);
        if (one != null && eight != null) {
            System.out.printf(Locale.ROOT, "throughput C=8 vs C=1: %.2fx tokens/s%n", eight.tokensPerSecond() / one.tokensPerSecond());
        }
        if (bad > 0) System.out.println("ponder bench: " + bad + " requests lost or failed");
        return bad > 0 ? 1 : 0;
    }

    /** The system message and question of the {@code --consult} prompt. */
    static final String CONSULT_SYSTEM = "You are a careful assistant. Answer in a few words; say unknown if you are not sure.";
    static final String CONSULT_QUESTION = "Where did the inventor of the calculator work?";
    /** The passage of the world-format {@code --consult} prompt (models without a chat template). */
    static final String CONSULT_PASSAGE = "Mara Velden built the first calculator in Carrow.";

    /** {@code --consult K}: prefill + L greedy steps against prefill + fork K + L sampled batched steps. */
    private void consultBench(Model m) {
        int[] lengths = {8, 16, 32};
        int[] prompt = consultPrompt(m);
        int r = Math.max(rounds, 7);
        DecodeBench.consult(m, prompt, consult, lengths, 2); // warm-up of the prefill and sampling paths
        DecodeBench.Consult res = DecodeBench.consult(m, prompt, consult, lengths, r);
        System.out.printf(Locale.ROOT, "consult K=%d on a %d-token chat prompt (%s), medians of %d rounds:%n", consult, prompt.length,
                m.tokenizer() == null ? "random ids: the model has no tokenizer" : m.gguf().has("tokenizer.chat_template") ? "the model's chat template" : "the world's Passage/Question/Answer format",
                r);
        for (int i = 0; i < lengths.length; i++)
            System.out.printf(Locale.ROOT, "consult L=%d: greedy %.2f ms, %d-way %.2f ms = %.2fx%n", lengths[i],
                    DecodeBench.median(res.greedyMs()[i]), consult, DecodeBench.median(res.consultMs()[i]), res.ratio(i));
    }

    /**
     * A realistic consultation prompt: a system message and a question through the model's chat template, or,
     * for a model without one (ponder-nano), the same as a world-format passage and question.
     */
    static int[] consultPrompt(Model m) {
        Tokenizer t = m.tokenizer();
        if (t == null) {
            SplittableRandom rnd = new SplittableRandom(3);
            int[] ids = new int[40];
            for (int i = 0; i < ids.length; i++) ids[i] = rnd.nextInt(m.config().vocabSize());
            return ids;
        }
        String src = m.gguf().getString("tokenizer.chat_template", null);
        String text;
        if (src != null) {
            ChatTemplate tpl = new ChatTemplate(src, t.bos() >= 0 ? t.tokenText(t.bos()) : "", t.eos() >= 0 ? t.tokenText(t.eos()) : "");
            text = tpl.render(List.of(Map.of("role", "system", "content", CONSULT_SYSTEM), Map.of("role", "user", "content", CONSULT_QUESTION)),
                    null, true, null);
            return t.encode(text, false, true);
        }
        text = PromptFormat.prompt(CONSULT_PASSAGE, CONSULT_QUESTION);
        return t.encode(text, t.addsBos(), false);
    }

    private static String joined(List<Integer> xs) {
        return String.join(",", xs.stream().map(String::valueOf).toList());
    }

    private static double matrixParameters(Model m) {
        var c = m.config();
        long attn = (long) c.dim() * c.qDim() * 2 + (long) c.dim() * c.kvDim() * 2;
        return c.layers() * (attn + 3.0 * c.dim() * c.ffnDim()); // logits are computed for the last prompt token only
    }

    /** VmRSS of this process from /proc (0 where unavailable). */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }

}
