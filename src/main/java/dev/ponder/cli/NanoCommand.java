package dev.ponder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGUFWriter;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.tokenizer.BpeTrainer;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.learn.world.CalcTool;
import dev.ponder.learn.world.WorldConfig;
import dev.ponder.learn.world.WorldGenerator;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponder nano}: the one documented command that makes the default model {@code ponder-nano} from
 * nothing: generates the world from its seed, trains a byte-level BPE tokenizer on the training corpus,
 * tokenizes the corpus (each document {@code BOS text EOS}; the validation documents last, where the
 * trainer holds out its evaluation tokens) and trains the model with {@code ponder train}, exporting Q8_0.
 */
@Command(name = "nano", mixinStandardHelpOptions = true, description = "Generate the world and train the default model ponder-nano.")
public final class NanoCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "7", description = "World seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--work", defaultValue = "target/nano", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = {"-o", "--out"}, defaultValue = "models/ponder-nano.gguf", description = "Model file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--vocab", defaultValue = "4096", description = "BPE vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--dim", defaultValue = "256") int dim;
    @Option(names = "--layers", defaultValue = "4") int layers;
    @Option(names = "--heads", defaultValue = "8") int heads;
    @Option(names = "--kv-heads", defaultValue = "4") int kvHeads;
    @Option(names = "--ffn", defaultValue = "768") int ffn;
    @Option(names = "--seq", defaultValue = "256") int seq;
    @Option(names = "--batch", defaultValue = "8") int batch;
    @Option(names = "--steps", defaultValue = "4500") int steps;
    @Option(names = "--lr", defaultValue = "2e-3") String lr;

    @Option(names = "--passage-weight", defaultValue = "1", description = "Loss weight (0-255) of a reading example's passage tokens "
            + "(before its question); 0 trains only the question and answer, so the model is not asked to predict the passage's made-up names "
            + "(default: ${DEFAULT-VALUE}).")
    int passageWeight;

    @Option(names = "--reading-rounds", defaultValue = "1", description = "Rounds of reading items the world makes: the corpus holds the "
            + "first, the reading phase reads the others (default: ${DEFAULT-VALUE}).")
    int readingRounds;

    @Option(names = "--reading-steps", defaultValue = "0", description = "Steps of a reading phase after the main training: reading items "
            + "never seen before (the world's further rounds, see --reading-rounds) with a replay of the corpus, so that the model answers from "
            + "the passage by copying instead of from memory; an experiment, see models/README.md (default: ${DEFAULT-VALUE}, no reading phase).")
    int readingSteps;

    @Option(names = "--reading-lr", defaultValue = "1e-4", description = "Peak learning rate of the reading phase (default: ${DEFAULT-VALUE}).")
    String readingLr;

    @Option(names = "--reading-replay", defaultValue = "20000", description = "Corpus documents replayed in the reading phase "
            + "(default: ${DEFAULT-VALUE}).")
    int readingReplay;

    @Option(names = "--from", paramLabel = "GGUF", description = "Skip the main training: run the reading phase on this model "
            + "(e.g. models/ponder-nano.gguf), with its own tokenizer.")
    Path from;

    @Option(names = "--resume", description = "Resume training from the checkpoint in the working directory.")
    boolean resume;

    @Option(names = "--no-progress", description = "Print lines instead of a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        if (readingSteps < 0) throw new PonderException("--reading-steps must be 0 or more, got " + readingSteps);
        if (readingSteps > 0 && readingRounds < 2) throw new PonderException("the reading phase needs --reading-rounds 2 or more (or --reading-steps 0)");
        if (from != null && readingSteps == 0) throw new PonderException("--from starts the reading phase: give it --reading-steps N");
        if (from != null && !Files.isRegularFile(from)) throw new PonderException("no such model: " + from);
        if (readingReplay < 0) throw new PonderException("--reading-replay must be 0 or more, got " + readingReplay);
        Files.createDirectories(work);
        Path worldDir = work.resolve("world");
        System.out.println("1/5 world (seed " + seed + ", " + readingRounds + " reading round" + (readingRounds == 1 ? "" : "s") + ") -> " + worldDir);
        if (!resume || !Files.exists(worldDir.resolve("README.md")))
            WorldGenerator.generate(WorldConfig.defaults().withReadingRounds(readingRounds), seed, worldDir, true);
        List<String> docs = texts(worldDir.resolve("train/corpus.jsonl"));
        List<String> valid = texts(worldDir.resolve("train/valid.jsonl"));
        if (from != null) {
            Tokenizer own;
            try (Model m = Model.load(from)) {
                own = m.tokenizer();
            }
            if (own == null) throw new PonderException(from + " has no tokenizer");
            System.out.println("2/5 to 4/5 skipped: the reading phase starts from " + from);
            readingPhase(own, texts(worldDir.resolve("train/reading.jsonl")), docs, valid, from);
            System.out.println("ponder-nano written to " + out + " (world seed " + seed + ")");
            return 0;
        }

        System.out.println("2/5 tokenizer: byte-level BPE, " + vocab + " tokens, on " + Math.min(docs.size(), BPE_DOCS) + " of " + docs.size() + " (shuffled) documents");
        BpeTrainer.Result bpe = new BpeTrainer().vocabSize(vocab)
                .specialTokens(List.of("<|bos|>", "<|eos|>", "<|pad|>"), "<|bos|>", "<|eos|>", "<|pad|>")
                .addBos(true).train(docs.subList(0, Math.min(docs.size(), BPE_DOCS)));
        Path tokGguf = work.resolve("tokenizer.gguf");
        GGUFWriter w = new GGUFWriter().putString("general.architecture", "llama").putString("general.name", "ponder-nano tokenizer");
        bpe.writeTo(w).write(tokGguf);
        Tokenizer tok = bpe.tokenizer();

        Path tokens = work.resolve("tokens.bin");
        Path weights = work.resolve("tokens.weights");
        long count = 0, answerTokens = 0;
        try (OutputStream os = Files.newOutputStream(tokens); DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
             OutputStream ws = new BufferedOutputStream(Files.newOutputStream(weights), 1 << 16)) {
            for (List<String> part : List.of(docs, valid)) {
                long[] n = writeDocs(tok, part, part == docs, part == docs ? passageWeight : 1, dos, ws);
                count += n[0];
                answerTokens += n[1];
            }
        }
        System.out.printf("3/5 corpus: %d tokens (%.2f tokens per byte); %d answer tokens weighted %d%n", count,
                count / (double) Files.size(worldDir.resolve("train/corpus.jsonl")), answerTokens, ANSWER_WEIGHT);

        Path trained = readingSteps > 0 ? work.resolve("main.gguf") : out;
        System.out.println("4/5 training -> " + trained);
        Files.createDirectories(out.toAbsolutePath().getParent());
        List<String> args = new ArrayList<>(List.of("--tokens", tokens.toString(), "--token-weights", weights.toString(), "--tokenizer", tokGguf.toString(),
                "--dim", "" + dim, "--layers", "" + layers, "--heads", "" + heads, "--kv-heads", "" + kvHeads, "--ffn", "" + ffn,
                "--seq", "" + seq, "--batch", "" + batch, "--steps", "" + steps, "--lr", lr, "--seed", "" + seed,
                "--q8", "--name", "ponder-nano", "-o", trained.toString(),
                "--checkpoint", work.resolve("nano.ckpt").toString(), "--loss-svg", work.resolve("loss.svg").toString()));
        train(args);
        if (readingSteps == 0) {
            System.out.println("5/5 reading phase skipped (--reading-steps 0)");
        } else {
            readingPhase(tok, texts(worldDir.resolve("train/reading.jsonl")), docs, valid, trained);
        }
        System.out.println("ponder-nano written to " + out + " (world seed " + seed + ")");
        return 0;
    }

    /**
     * The reading phase: fine-tunes {@code from} on reading items it has never seen ({@code reading}), mixed with a
     * replay of {@code corpus} so that it keeps what it knows, validated on {@code valid}; writes {@link #out}.
     */
    private void readingPhase(Tokenizer tok, List<String> reading, List<String> corpus, List<String> valid, Path from) throws IOException {
        List<String> docs = new ArrayList<>(reading);
        addReplay(docs, corpus, readingReplay, seed, 1);
        Path tokens = work.resolve("reading.bin"), weights = work.resolve("reading.weights");
        long count = 0, validTokens = 0;
        try (DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tokens), 1 << 16));
             OutputStream ws = new BufferedOutputStream(Files.newOutputStream(weights), 1 << 16)) {
            count += writeDocs(tok, docs, true, dos, ws)[0];
            validTokens = writeDocs(tok, valid, false, dos, ws)[0];
        }
        System.out.printf("5/5 reading phase -> %s: %d new reading items and %d corpus documents, %d tokens, %d steps%n",
                out, reading.size(), docs.size() - reading.size(), count, readingSteps);
        train(new ArrayList<>(List.of("--tokens", tokens.toString(), "--token-weights", weights.toString(), "--init-from", from.toString(),
                "--seq", "" + seq, "--batch", "" + batch, "--steps", "" + readingSteps, "--lr", readingLr,
                "--warmup", "" + Math.max(1, readingSteps / 50), "--seed", "" + (seed + 1), "--held-out", "" + validTokens,
                "--q8", "--name", "ponder-nano", "-o", out.toString(),
                "--checkpoint", work.resolve("reading.ckpt").toString(), "--loss-svg", work.resolve("reading-loss.svg").toString())));
    }

    private void train(List<String> args) {
        if (resume) args.add("--resume");
        if (noProgress) args.add("--no-progress");
        runTrainer(args, "training");
    }

    /**
     * Adds {@code replay} documents of {@code corpus} (drawn by a shuffle seeded from {@code seed} and {@code round}) to
     * {@code docs} and shuffles them all: the mix a fine-tune trains on, so that the model keeps what it knew.
     */
    static void addReplay(List<String> docs, List<String> corpus, int replay, long seed, int round) {
        List<String> pool = new ArrayList<>(corpus);
        Collections.shuffle(pool, new Random(seed * 31 + round));
        docs.addAll(pool.subList(0, Math.min(replay, pool.size())));
        Collections.shuffle(docs, new Random(seed * 17 + round));
    }

    /** Runs {@code ponder train} with {@code args}; a failure ends in one error naming {@code what} and the exit code. */
    static void runTrainer(List<String> args, String what) {
        int rc = new CommandLine(new TrainCommand()).execute(args.toArray(String[]::new));
        if (rc != 0) throw new PonderException(what + " failed (exit " + rc + ")");
    }

    /** Documents the tokenizer is trained on (the corpus is shuffled, so these are a sample of every kind). */
    static final int BPE_DOCS = 20_000;

    /**
     * Writes {@code docs} as training data: each document's token ids between BOS and EOS (little-endian int32 to
     * {@code tokens}) and one loss weight byte per token to {@code weights}: {@link #ANSWER_WEIGHT} for the answer
     * tokens (and the EOS after them) when {@code weighAnswers}, 0 for a tool's output, 1 otherwise. Returns
     * {tokens written, answer tokens weighted}.
     */
    static long[] writeDocs(Tokenizer tok, List<String> docs, boolean weighAnswers, DataOutputStream tokens, OutputStream weights)
            throws IOException {
        return writeDocs(tok, docs, weighAnswers, 1, tokens, weights);
    }

    /**
     * As {@link #writeDocs(Tokenizer, List, boolean, DataOutputStream, OutputStream)}, with the tokens of a reading
     * example's passage (a document starting {@code Passage:}, up to its question) weighted {@code passageWeight}.
     */
    static long[] writeDocs(Tokenizer tok, List<String> docs, boolean weighAnswers, int passageWeight, DataOutputStream tokens, OutputStream weights)
            throws IOException {
        if (passageWeight < 0 || passageWeight > 255) throw new PonderException("--passage-weight takes 0 to 255, got " + passageWeight);
        long count = 0, answerTokens = 0;
        for (String d : docs) {
            int[] ids = tok.encode(d, false, false);
            int answerFrom = answerStart(tok, d, ids);
            writeLE(tokens, tok.bos());
            weights.write(1);
            boolean[] toolOutput = toolOutputTokens(tok, d, ids);
            int passageEnd = passageWeight == 1 ? 0 : passageEnd(tok, d, ids);
            for (int i = 0; i < ids.length; i++) {
                writeLE(tokens, ids[i]);
                boolean answer = weighAnswers && answerFrom >= 0 && i >= answerFrom;
                weights.write(toolOutput[i] ? 0 : answer ? ANSWER_WEIGHT : i < passageEnd ? passageWeight : 1);
                if (answer) answerTokens++;
            }
            writeLE(tokens, tok.eos());
            weights.write(weighAnswers && answerFrom >= 0 ? ANSWER_WEIGHT : 1);
            count += ids.length + 2;
        }
        return new long[] {count, answerTokens};
    }

    /**
     * Number of leading tokens of a reading example that are its passage ({@code Passage: …} up to the token before
     * {@code \nQuestion:}, where that is a token boundary), 0 for other documents.
     */
    static int passageEnd(Tokenizer tok, String doc, int[] ids) {
        int at = doc.startsWith("Passage:") ? doc.indexOf("\nQuestion:") : -1;
        if (at < 0) return 0;
        int[] head = tok.encode(doc.substring(0, at), false, false);
        for (int i = 0; i < head.length; i++) if (i >= ids.length || head[i] != ids[i]) return i; // up to where they agree
        return head.length;
    }

    /** Loss weight of an answer token (after {@code Answer:}) in a training example; other tokens weigh 1. */
    static final int ANSWER_WEIGHT = 6;

    /**
     * Index of the first answer token of a question-answer document (the tokens after its last
     * {@code "\nAnswer:"}), or -1 if it has none or the answer does not start on a token boundary.
     */
    static int answerStart(Tokenizer tok, String doc, int[] ids) {
        int at = doc.lastIndexOf("\nAnswer:");
        if (at < 0) return -1;
        int[] head = tok.encode(doc.substring(0, at + "\nAnswer:".length()), false, false);
        if (head.length >= ids.length) return -1;
        for (int i = 0; i < head.length; i++) if (head[i] != ids[i]) return -1;
        return head.length;
    }

    /**
     * Tokens of {@code doc} that lie wholly inside a tool's output (the call's result right after its {@code >>}):
     * the runtime inserts that text, so the model is not trained to guess it (weight 0). A model that learned to
     * guess results also goes on guessing after the runtime has inserted the real one. What the model writes after
     * the result (the end of the line, or a worked countdown answer's solution) is trained as usual.
     */
    static boolean[] toolOutputTokens(Tokenizer tok, String doc, int[] ids) {
        boolean[] out = new boolean[ids.length];
        if (!doc.contains(CalcTool.CLOSE)) return out;
        boolean[] insideResult = new boolean[doc.length() + 1];
        for (int at = doc.indexOf(CalcTool.OPEN); at >= 0; at = doc.indexOf(CalcTool.OPEN, at + 1)) {
            int close = doc.indexOf(CalcTool.CLOSE, at);
            if (close < 0) break;
            int from = close + CalcTool.CLOSE.length();
            String result = CalcTool.result(doc.substring(at + CalcTool.OPEN.length(), close).strip());
            if (!doc.startsWith(result, from)) continue; // no result written after the call: nothing was inserted
            for (int c = from; c < from + result.length(); c++) insideResult[c] = true;
        }
        int pos = 0; // char offset of token i (documents are ASCII: one byte per char)
        for (int i = 0; i < ids.length; i++) {
            int len = tok.tokenBytes(ids[i]).length;
            boolean all = len > 0;
            for (int c = pos; c < pos + len && c < doc.length(); c++) all &= insideResult[c];
            out[i] = all;
            pos += len;
        }
        return out;
    }

    private static void writeLE(DataOutputStream out, int v) throws IOException {
        out.writeInt(Integer.reverseBytes(v));
    }

    private static List<String> texts(Path jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) if (!line.isBlank()) out.add(json.readTree(line).get("text").asText());
        return out;
    }
}
