package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.gguf.GGUFFile;
import dev.ponder.engine.gguf.GGUFValue;
import dev.ponder.learn.train.ByteVocab;
import dev.ponder.learn.train.Checkpoint;
import dev.ponder.learn.train.LlamaConfig;
import dev.ponder.learn.train.LlamaGguf;
import dev.ponder.learn.train.LlamaWeights;
import dev.ponder.learn.train.Lora;
import dev.ponder.learn.train.LossCurve;
import dev.ponder.learn.train.Parallel;
import dev.ponder.learn.train.TokenStream;
import dev.ponder.learn.train.TrainBenchmark;
import dev.ponder.learn.train.TrainConfig;
import dev.ponder.learn.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ponder train}: trains a llama model from scratch (or continues from an F32 GGUF) on text or token ids,
 * with checkpoints, exact resume, a progress bar, a loss-curve SVG and GGUF export.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a small llama model in pure Java and export it as GGUF.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Data {
        @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 text, trained byte by byte (toy byte-level vocabulary of 257 tokens).")
        Path text;

        @Option(names = "--tokens", paramLabel = "FILE", description = "Token ids as little-endian int32 (use with --tokenizer or --init-from).")
        Path tokens;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Data data = new Data();

    @Option(names = "--token-weights", paramLabel = "FILE", description = "Loss weight per token of --tokens, one unsigned byte each (e.g. to stress answers).")
    Path tokenWeights;

    @Option(names = "--tokenizer", paramLabel = "GGUF", description = "GGUF whose tokenizer.* metadata (and vocabulary size) the model takes.")
    Path tokenizer;

    @Option(names = "--init-from", paramLabel = "GGUF", description = "Start from this F32 llama GGUF instead of random weights.")
    Path initFrom;

    @Option(names = "--lora", paramLabel = "R", description = "Fine-tune low-rank adapters of rank R instead of every weight (needs --init-from); "
            + "the export merges them into the base weights.")
    Integer loraRank;
    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA scale numerator: adapters add (A/R)·B·A (default: 2·R).")
    Float loraAlpha;
    @Option(names = "--lora-targets", defaultValue = "q,k,v,o,gate,up,down", description = "Matrices of every block that get adapters (default: ${DEFAULT-VALUE}).")
    String loraTargets;

    @Option(names = "--dim", defaultValue = "128", description = "Model width (default: ${DEFAULT-VALUE}).")
    int dim;
    @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--heads", defaultValue = "4", description = "Query heads (default: ${DEFAULT-VALUE}).")
    int heads;
    @Option(names = "--kv-heads", description = "Key/value heads (default: same as --heads).")
    Integer kvHeads;
    @Option(names = "--ffn", description = "Feed-forward width (default: 8/3·dim rounded up to 32).")
    Integer ffn;
    @Option(names = "--context", description = "Context length recorded in the model (default: --seq).")
    Integer context;
    @Option(names = "--untied", description = "Separate output matrix instead of sharing the embedding.")
    boolean untied;

    @Option(names = "--batch", defaultValue = "8", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--seq", defaultValue = "128", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int seq;
    @Option(names = "--steps", defaultValue = "1000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;
    @Option(names = "--min-lr", description = "Final learning rate (default: lr/10).")
    Float minLr;
    @Option(names = "--warmup", description = "Warm-up steps (default: steps/10).")
    Integer warmup;
    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;
    @Option(names = "--clip", defaultValue = "1.0", description = "Max global gradient norm, 0 = off (default: ${DEFAULT-VALUE}).")
    float clip;
    @Option(names = "--accumulate", defaultValue = "1", description = "Micro-batches per step, gradient accumulation (default: ${DEFAULT-VALUE}).")
    int accumulate;
    @Option(names = "--seed", defaultValue = "1", description = "Seed for initialisation and data order (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = {"-o", "--out"}, paramLabel = "GGUF", description = "Where to write the trained model (default: model.gguf).")
    Path out = Path.of("model.gguf");
    @Option(names = "--name", defaultValue = "ponder-trained", description = "general.name of the exported model.")
    String name;
    @Option(names = "--q8", description = "Export matrices as Q8_0 (norms stay F32).")
    boolean q8;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Checkpoint file (default: <out>.ckpt).")
    Path checkpoint;
    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Steps between checkpoints and evaluations (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;
    @Option(names = "--resume", description = "Continue from the checkpoint if it exists (exactly as if never stopped).")
    boolean resume;
    @Option(names = "--loss-svg", paramLabel = "FILE", description = "Loss curve SVG (default: <out>.loss.svg).")
    Path lossSvg;
    @Option(names = "--no-progress", description = "No progress bar; print a line every --checkpoint-every steps.")
    boolean noProgress;
    @Option(names = "--held-out", paramLabel = "N", description = "Hold out the data's last N tokens for evaluation "
            + "(default: the last 5%% when that is at least two sequences).")
    Integer heldOut;
    @Option(names = "--benchmark", description = "Print FMA peak, matmul and training-step GFLOPS, then exit.")
    boolean benchmark;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        if (threads != null) Parallel.setThreads(threads);
        if (benchmark) {
            o.print(TrainBenchmark.report(false));
            o.flush();
            return 0;
        }
        if (data.text == null && data.tokens == null) throw new PonderException("give training data with --text FILE or --tokens FILE");
        String base = out.getFileName().toString().replaceFirst("\\.gguf$", "");
        Path dir = out.toAbsolutePath().getParent();
        Path ck = checkpoint != null ? checkpoint : dir.resolve(base + ".ckpt");
        Path svg = lossSvg != null ? lossSvg : dir.resolve(base + ".loss.svg");

        // data and vocabulary
        int[] tokens;
        int vocab;
        Map<String, GGUFValue> tokMeta;
        LlamaWeights init = initFrom != null ? LlamaGguf.load(initFrom) : null;
        if (data.text != null) {
            if (tokenizer != null) throw new PonderException("--text trains the byte-level toy vocabulary; use --tokens with --tokenizer");
            tokens = ByteVocab.encode(read(data.text));
            vocab = ByteVocab.SIZE;
            tokMeta = ByteVocab.metadata();
        } else {
            tokens = readTokens(data.tokens);
            Path vocabFile = tokenizer != null ? tokenizer : initFrom;
            if (vocabFile == null) throw new PonderException("--tokens needs --tokenizer GGUF (or --init-from GGUF) for the vocabulary");
            try (GGUFFile f = GGUFFile.open(vocabFile)) {
                tokMeta = LlamaGguf.tokenizerMetadata(f);
                vocab = f.has("tokenizer.ggml.tokens") ? f.getStrings("tokenizer.ggml.tokens").length : init != null ? init.config.vocab() : -1;
            }
            if (vocab <= 0) throw new PonderException(vocabFile + " has no tokenizer.ggml.tokens");
        }
        if (init != null && init.config.vocab() != vocab)
            throw new PonderException(initFrom + " has a vocabulary of " + init.config.vocab() + " but the data's vocabulary has " + vocab);
        for (int t : tokens) if (t < 0 || t >= vocab) throw new PonderException("token id " + t + " in the data is outside the vocabulary of " + vocab);

        // hold out the last --held-out tokens (by default the last 5% when there is enough) for evaluation
        if (heldOut != null && (heldOut < 0 || heldOut > tokens.length - 2 * (seq + 1)))
            throw new PonderException("--held-out " + heldOut + " leaves fewer than two sequences of the " + tokens.length + " tokens to train on");
        int evalLen = heldOut != null ? heldOut : tokens.length / 20 >= 2 * (seq + 1) ? tokens.length / 20 : 0;
        if (evalLen > 0 && evalLen < seq + 1) throw new PonderException("--held-out " + evalLen + " is shorter than one sequence (" + (seq + 1) + " tokens)");
        int[] train = Arrays.copyOf(tokens, tokens.length - evalLen);
        float[] weights = null;
        if (tokenWeights != null) {
            if (data.tokens == null) throw new PonderException("--token-weights goes with --tokens");
            byte[] wb = read(tokenWeights);
            if (wb.length != tokens.length) throw new PonderException(tokenWeights + " has " + wb.length + " weights for " + tokens.length + " tokens");
            weights = new float[train.length];
            for (int i = 0; i < train.length; i++) weights[i] = wb[i] & 0xff;
        }
        TokenStream stream = new TokenStream(train, weights, batch, seq, seed);
        TokenStream evalStream = evalLen > 0 ? new TokenStream(Arrays.copyOfRange(tokens, tokens.length - evalLen, tokens.length), batch, seq, 12345) : null;
        long fingerprint = Trainer.fingerprint(train) ^ (weights == null ? 0 : Arrays.hashCode(weights) * 0x9E3779B97F4A7C15L);

        Trainer trainer;
        if (resume && Files.exists(ck)) {
            trainer = Checkpoint.load(ck);
            if (trainer.dataFingerprint() != fingerprint || trainer.dataSeed() != seed)
                throw new PonderException("checkpoint " + ck + " was made with different data or --seed; resuming would not be exact");
            if (trainer.config().steps() != steps) o.printf("note: continuing the checkpoint's schedule of %d steps%n", trainer.config().steps());
            o.printf("resuming from %s at step %d%n", ck, trainer.step());
        } else {
            LlamaConfig c;
            LlamaWeights w;
            if (init != null) {
                w = init;
                c = init.config;
            } else {
                int kv = kvHeads != null ? kvHeads : heads;
                int f = ffn != null ? ffn : (8 * dim / 3 + 31) / 32 * 32;
                c = new LlamaConfig(dim, layers, heads, kv, f, vocab, context != null ? context : seq, 10000f, 1e-5f, !untied);
                w = new LlamaWeights(c).initialize(seed);
            }
            if (seq > c.contextLength()) throw new PonderException("--seq " + seq + " exceeds the model's context length " + c.contextLength());
            TrainConfig tc = new TrainConfig(steps, lr, minLr != null ? minLr : lr / 10, warmup != null ? warmup : Math.max(1, steps / 10),
                    weightDecay, 0.9f, 0.95f, 1e-8f, clip, accumulate);
            Lora lora = null;
            if (loraRank != null) {
                if (init == null) throw new PonderException("--lora adapts a trained model: give it with --init-from");
                lora = new Lora(w, new Lora.Settings(loraRank, Lora.Settings.alphaOrDefault(loraAlpha, loraRank), Lora.Target.parse(loraTargets)), seed);
            } else if (loraAlpha != null) {
                throw new PonderException("--lora-alpha goes with --lora R");
            }
            trainer = new Trainer(w, tc, lora).data(seed, fingerprint);
        }
        LlamaConfig c = trainer.weights().config;
        o.printf(Locale.ROOT, "model: dim %d, %d layers, %d heads (%d kv), ffn %d, vocab %d, %s output; %,d parameters%n",
                c.dim(), c.layers(), c.heads(), c.kvHeads(), c.ffnDim(), c.vocab(), c.tiedOutput() ? "tied" : "untied", c.parameterCount());
        if (trainer.lora() != null) {
            Lora.Settings ls = trainer.lora().settings();
            o.printf(Locale.ROOT, "LoRA: rank %d, alpha %s (scale %s) on %s of every block; %,d trainable parameters (%.2f%% of the model), base frozen%n",
                    ls.rank(), ls.alpha(), ls.scale(), ls.targetList(), trainer.lora().parameterCount(), 100.0 * trainer.lora().parameterCount() / c.parameterCount());
        }
        o.printf(Locale.ROOT, "data: %,d training tokens, %,d held out; %d x %d tokens per step%s; %d threads%n",
                train.length, evalLen, batch * trainer.config().accumulate(), seq,
                trainer.config().accumulate() > 1 ? " (" + trainer.config().accumulate() + " micro-batches)" : "", Parallel.threads());
        o.flush();

        List<double[]> evals = new ArrayList<>();
        trainer.run(stream, ck, checkpointEvery, !noProgress, r -> {
            boolean tick = (r.step() + 1) % checkpointEvery == 0 || r.step() + 1 == trainer.config().steps();
            if (!tick) return;
            String ev = "";
            if (evalStream != null) {
                double e = trainer.evaluate(evalStream, 4);
                evals.add(new double[] {r.step(), e});
                ev = String.format(Locale.ROOT, ", eval loss %.4f", e);
            }
            if (noProgress) {
                o.printf(Locale.ROOT, "step %d/%d: loss %.4f%s, lr %.2e, grad norm %.3f, %.0f tok/s%n",
                        r.step() + 1, trainer.config().steps(), r.loss(), ev, r.lr(), r.gradNorm(), r.tokensPerSecond());
                o.flush();
            }
        });
        LossCurve.write(trainer.history(), evals, "training loss: " + name, svg);
        LlamaGguf.export(trainer.exportWeights(), name, tokMeta, q8 ? GGMLType.Q8_0 : GGMLType.F32, out);
        double last = trainer.history().isEmpty() ? Double.NaN : trainer.history().get(trainer.history().size() - 1).loss();
        o.printf(Locale.ROOT, "wrote %s (final training loss %.4f), loss curve %s, checkpoint %s%n", out, last, svg, ck);
        o.flush();
        return 0;
    }

    private static byte[] read(Path p) throws IOException {
        if (!Files.isRegularFile(p)) throw new PonderException("no such file: " + p);
        return Files.readAllBytes(p);
    }

    private static int[] readTokens(Path p) throws IOException {
        byte[] b = read(p);
        if (b.length % 4 != 0) throw new PonderException(p + " is not a whole number of int32 token ids (" + b.length + " bytes)");
        int[] t = new int[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(t);
        return t;
    }
}
