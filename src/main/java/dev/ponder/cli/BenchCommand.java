package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.bench.MemoryBandwidth;
import dev.ponder.engine.bench.SyntheticModel;
import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
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

    @Override
    public Integer call() throws Exception {
        if (serve) return serveLoad();
        if (promptTokens < 1 || genTokens < 1) throw new PonderException("--prompt and --gen must be at least 1");
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
        int threads = Runtime.getRuntime().availableProcessors();
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
            // warm-up (JIT) on a short prompt
            try (Sequence w = m.newSequence()) {
                Distribution d = m.prefill(w, java.util.Arrays.copyOf(prompt, Math.min(32, prompt.length)));
                for (int i = 0; i < 8; i++) d = m.decode(w, d.argmax());
            }
            Sequence s = m.newSequence();
            long t0 = System.nanoTime();
            Distribution d = m.prefill(s, prompt);
            double prefillSec = (System.nanoTime() - t0) / 1e9;
            double flopsPerToken = 2.0 * matrixParameters(m);
            System.out.printf(Locale.ROOT, "prefill: %d tokens in %.2f s = %.1f tok/s, %.1f GFLOPS (matrix part)%n",
                    promptTokens, prefillSec, promptTokens / prefillSec, flopsPerToken * promptTokens / prefillSec / 1e9);
            s.close();
            double single = 0;
            for (int b : batches) {
                Sequence[] seqs = new Sequence[b];
                int[] toks = new int[b];
                Sequence root = m.newSequence();
                m.prefill(root, java.util.Arrays.copyOf(prompt, 16));
                for (int i = 0; i < b; i++) {
                    seqs[i] = root.fork();
                    toks[i] = rnd.nextInt(c.vocabSize());
                }
                m.decode(seqs, toks); // warm-up step
                long t1 = System.nanoTime();
                for (int step = 0; step < genTokens; step++) {
                    Distribution[] ds = m.decode(seqs, toks);
                    for (int i = 0; i < b; i++) toks[i] = ds[i].argmax();
                }
                double sec = (System.nanoTime() - t1) / 1e9;
                double stepMs = sec / genTokens * 1e3;
                if (b == 1) single = stepMs;
                double tokps = b * genTokens / sec;
                decodes.add(new double[] {b, sec / genTokens});
                System.out.printf(Locale.ROOT, "decode B=%d: %.2f ms/step, %.1f tok/s%s%n", b, stepMs, tokps,
                        single > 0 && b > 1 ? String.format(Locale.ROOT, ", step cost %.2fx B=1", stepMs / single) : "");
                for (Sequence q : seqs) q.close();
                root.close();
            }
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
