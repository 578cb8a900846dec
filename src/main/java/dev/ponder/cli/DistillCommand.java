package dev.ponder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.eval.GreedyAnswerer;
import dev.ponder.eval.WorldFormat;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.knowledge.tools.InlineTools;
import dev.ponder.knowledge.tools.ToolRegistry;
import dev.ponder.learn.distill.Problem;
import dev.ponder.learn.distill.Problems;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.Checker;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.learn.world.PromptFormat;
import dev.ponder.learn.world.WorldConfig;
import dev.ponder.learn.world.WorldGenerator;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.think.Ponder;
import dev.ponder.think.Result;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponder distill}: expert iteration on the world. Each round: slow thinking (retrieval and the calculator)
 * answers the distillable U-fact problems; only answers the world's checker verifies are kept; they are written
 * as a chat-format dataset with their traces; the model is fine-tuned on them (answers weighted, mixed with a
 * replay of its original corpus so that it keeps what it knew) by the Java trainer; the new GGUF is evaluated in
 * fast mode on the test split's K and U questions, the U ones split into facts that were distilled and facts
 * held out.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, description = "Distil verified slow-thinking answers back into the model (expert iteration).")
public final class DistillCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, defaultValue = "models/ponder-nano.gguf", description = "Model to start from (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--library", required = true, description = "The world's library (its Lucene index is kept beside it).")
    Path library;

    @Option(names = "--seed", defaultValue = "7", description = "World seed the model was trained on (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of solve → verify → fine-tune (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--steps", defaultValue = "600", description = "Fine-tuning steps per round (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "3e-4", description = "Peak fine-tuning learning rate (default: ${DEFAULT-VALUE}).")
    String lr;

    @Option(names = "--repeat", defaultValue = "10", description = "Copies of each verified example in a round's data (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--replay", defaultValue = "20000", description = "Documents of the original corpus replayed per round (default: ${DEFAULT-VALUE}).")
    int replay;

    @Option(names = "--out", defaultValue = "target/distill", description = "Work and report directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || rounds > 10) throw new PonderException("--rounds takes 1..10 (got " + rounds + ")");
        if (!Files.exists(model)) throw new PonderException("model not found: " + model);
        Files.createDirectories(out);
        WorldGenerator.Generated g = WorldGenerator.build(WorldConfig.defaults(), seed);
        List<EvalQuestion> eval = new ArrayList<>(g.dev());
        eval.addAll(g.test());
        List<Problem> problems = Problems.unknownFacts(g.world(), eval);
        List<Problem> toSolve = problems.stream().filter(Problem::distilled).toList();
        System.out.printf(Locale.ROOT, "world seed %d: %d U-fact problems, %d to distil, %d held out%n", seed, problems.size(),
                toSolve.size(), problems.size() - toSolve.size());
        Path current = model;
        StringBuilder report = new StringBuilder("# Distillation\n\nFast mode (greedy, calculator on). *K*, *U distilled*, *U held out*: test questions (eval phrasings); "
                + "U split by whether the question's entity is in the distilled half. *Trained facts*: the verified problems of all rounds so far, "
                + "in their training phrasing. *Distillable*: every problem of the distilled half.\n\n"
                + "| round | solved (verified) | K | U distilled | U held out | distillable | trained facts | time s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        java.util.Set<String> trained = new java.util.HashSet<>();
        String before = evaluate(current, g.test(), problems, trained, "round 0 (start)");
        report.append("| 0 | – | ").append(before).append(" | – |\n");
        for (int r = 1; r <= rounds; r++) {
            long t0 = System.nanoTime();
            Path dir = Files.createDirectories(out.resolve("round-" + r));
            List<String[]> verified = solve(current, toSolve, dir);
            for (String[] v : verified) trained.add(v[0]);
            Path next = dir.resolve("ponder-nano-distilled.gguf");
            finetune(current, verified, g.corpus(), dir, next, r);
            String figures = evaluate(next, g.test(), problems, trained, "round " + r);
            report.append("| ").append(r).append(" | ").append(verified.size()).append(" of ").append(toSolve.size()).append(" | ")
                    .append(figures).append(String.format(Locale.ROOT, " | %.0f |\n", (System.nanoTime() - t0) / 1e9));
            current = next;
            Files.copy(Slow.defaultCalibration(model), Slow.defaultCalibration(next), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(out.resolve("report.md"), report);
        System.out.print(report);
        System.out.println("wrote " + out.resolve("report.md") + "; last model " + current);
        return 0;
    }

    /** Slow thinking on every problem; the verified answers, as {question, answer}; the dataset and traces written. */
    private List<String[]> solve(Path modelPath, List<Problem> problems, Path dir) throws Exception {
        List<String[]> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Model m = Model.load(modelPath); LibraryIndex index = Slow.openLibrary(library);
             EmbeddedBackend b = new EmbeddedBackend(m, "distill");
             var data = Files.newBufferedWriter(dir.resolve("data.jsonl")); var traces = Files.newBufferedWriter(dir.resolve("traces.jsonl"));
             ProgressBar pb = Slow.questionBar("solve", problems.size())) {
            Drafter d = new Drafter(b, new WorldFormat(), cal(modelPath), Budget.defaults()).withTools(new InlineTools(ToolRegistry.withBuiltins()));
            Ponder p = new Ponder(d, index, Ponder.Mode.ABSTAIN);
            for (Problem q : problems) {
                Result res = p.answer(q.question());
                boolean ok = !res.abstained() && Checker.exact(q.answers()).accepts(res.answer());
                if (ok) {
                    out.add(new String[] {q.question(), res.answer().strip()});
                    ObjectNode line = json.createObjectNode();
                    var msgs = line.putArray("messages");
                    msgs.addObject().put("role", "user").put("content", q.question());
                    msgs.addObject().put("role", "assistant").put("content", res.answer().strip());
                    line.put("source", "slow thinking, verified by the world's checker").put("entity", q.entityId());
                    data.write(json.writeValueAsString(line));
                    data.newLine();
                }
                ObjectNode t = json.createObjectNode().put("question", q.question()).put("verified", ok);
                t.set("events", json.valueToTree(res.trace().events()));
                traces.write(json.writeValueAsString(t));
                traces.newLine();
                pb.step();
            }
        }
        System.out.printf(Locale.ROOT, "solved and verified %d of %d%n", out.size(), problems.size());
        return out;
    }

    private static Calibration cal(Path modelPath) {
        Path f = Slow.defaultCalibration(modelPath);
        return Files.exists(f) ? Calibration.load(f) : Calibration.fallback();
    }

    /** Fine-tunes {@code from} on the verified examples (×repeat) and a replay of the corpus; writes {@code to}. */
    private void finetune(Path from, List<String[]> verified, List<String> corpus, Path dir, Path to, int round) throws Exception {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) for (String[] v : verified) docs.add(PromptFormat.example(v[0], v[1]));
        List<String> pool = new ArrayList<>(corpus);
        Collections.shuffle(pool, new Random(seed * 31 + round));
        docs.addAll(pool.subList(0, Math.min(replay, pool.size())));
        Collections.shuffle(docs, new Random(seed * 17 + round));
        Path tokens = dir.resolve("tokens.bin"), weights = dir.resolve("tokens.weights");
        Tokenizer tok;
        try (Model m = Model.load(from)) {
            tok = m.tokenizer();
        }
        long count;
        try (DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tokens), 1 << 16));
             OutputStream ws = new BufferedOutputStream(Files.newOutputStream(weights), 1 << 16)) {
            count = NanoCommand.writeDocs(tok, docs, true, dos, ws)[0];
        }
        System.out.printf(Locale.ROOT, "fine-tune: %d documents (%d verified x %d, %d replayed), %d tokens, %d steps%n",
                docs.size(), verified.size(), repeat, Math.min(replay, corpus.size()), count, steps);
        List<String> args = List.of("--tokens", tokens.toString(), "--token-weights", weights.toString(), "--init-from", from.toString(),
                "--seq", "256", "--batch", "8", "--steps", "" + steps, "--lr", lr, "--warmup", "" + Math.max(1, steps / 20),
                "--seed", "" + (seed + round), "--q8", "--name", "ponder-nano-distilled", "-o", to.toString(),
                "--checkpoint", dir.resolve("finetune.ckpt").toString(), "--loss-svg", dir.resolve("loss.svg").toString(), "--no-progress");
        int rc = new CommandLine(new TrainCommand()).execute(args.toArray(String[]::new));
        if (rc != 0) throw new PonderException("fine-tuning failed (exit " + rc + ")");
    }

    /** Fast-mode figures of {@code modelPath}: test K, test U (distilled / held-out facts), the distilled problems. */
    private String evaluate(Path modelPath, List<EvalQuestion> test, List<Problem> problems, java.util.Set<String> trained, String label) throws Exception {
        java.util.Set<String> distilledIds = new java.util.HashSet<>();
        for (Problem p : problems) if (p.distilled()) distilledIds.add(p.entityId());
        int[] k = new int[2], ud = new int[2], uh = new int[2], pd = new int[2], tr = new int[2];
        try (Model m = Model.load(modelPath)) {
            GreedyAnswerer a = new GreedyAnswerer(m, m.tokenizer(), 24, true);
            for (EvalQuestion q : test) {
                if (q.category() != Category.K && q.category() != Category.U) continue;
                boolean right = Checker.forQuestion(q).accepts(a.answer(PromptFormat.prompt(q.question())).answer());
                int[] c = q.category() == Category.K ? k : q.support().stream().anyMatch(distilledIds::contains) ? ud : uh;
                c[0] += right ? 1 : 0;
                c[1]++;
            }
            for (Problem p : problems) {
                if (!p.distilled()) continue;
                boolean right = Checker.exact(p.answers()).accepts(a.answer(PromptFormat.prompt(p.question())).answer());
                pd[0] += right ? 1 : 0;
                pd[1]++;
                if (trained.contains(p.question())) {
                    tr[0] += right ? 1 : 0;
                    tr[1]++;
                }
            }
        }
        String s = String.format(Locale.ROOT, "%s | %s | %s | %s | %s", pct(k), pct(ud), pct(uh), pct(pd), pct(tr));
        System.out.println(label + ": K | U distilled | U held out | distillable | trained facts = " + s);
        return s;
    }

    private static String pct(int[] c) {
        return c[1] == 0 ? "–" : String.format(Locale.ROOT, "%.1f%% (%d/%d)", 100.0 * c[0] / c[1], c[0], c[1]);
    }
}
