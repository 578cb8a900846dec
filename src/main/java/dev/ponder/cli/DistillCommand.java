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
import dev.ponder.eval.CountdownVerifier;
import dev.ponder.learn.distill.CountdownProblem;
import dev.ponder.learn.distill.CountdownProblems;
import dev.ponder.learn.distill.CountdownWorked;
import dev.ponder.learn.distill.Problem;
import dev.ponder.learn.distill.Problems;
import dev.ponder.learn.distill.Refusal;
import dev.ponder.learn.distill.Refusals;
import dev.ponder.learn.train.Lora;
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
import dev.ponder.think.search.EngineSearchModel;
import dev.ponder.think.search.Mcts;
import dev.ponder.think.search.SearchBudget;
import dev.ponder.think.search.SearchResult;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponder distill}: expert iteration on the world. Each round: slow thinking (retrieval and the calculator)
 * answers the distillable U-fact problems; only answers the world's checker verifies are kept; they are written
 * as a chat-format dataset with their traces; the model is fine-tuned on them (answers weighted, mixed with a
 * replay of its original corpus so that it keeps what it knew) by the Java trainer; the new GGUF is evaluated in
 * fast mode on the test split's K and U questions, the U ones split into facts that were distilled and facts
 * held out. Countdown: each round also draws fresh puzzles with the world's generator (never a dev or test puzzle), MCTS
 * solves them, the checker-verified solutions are fine-tuned with the facts, and fast mode's solve rate is measured on
 * the test split's C puzzles and on a fixed set of fresh held-out puzzles. {@code --lora R} fine-tunes low-rank
 * adapters instead of every weight.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, description = "Distil verified slow-thinking answers back into the model (expert iteration).")
public final class DistillCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, defaultValue = "models/ponder-nano.gguf", description = "Model to start from (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--library", required = true, description = "The world's library (its Lucene index is kept beside it).")
    Path library;

    @Option(names = "--seed", defaultValue = "7", description = "World seed the model was trained on (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of solve → verify → fine-tune (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--steps", defaultValue = "600", description = "Fine-tuning steps per round (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", description = "Peak fine-tuning learning rate (default: 3e-4; with --lora 1e-3).")
    String lr;

    @Option(names = "--lora", paramLabel = "R", description = "Fine-tune rank-R adapters on q, k, v, o, gate, up, down instead of every weight; "
            + "each round's GGUF has them merged in (default: full fine-tune).")
    Integer lora;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA scale numerator, adapters add (A/R)·B·A (default: 2·R).")
    Float loraAlpha;

    @Option(names = "--countdown", defaultValue = "400", description = "Fresh countdown puzzles per round (0: none), from the world's own puzzle generator and never "
            + "a dev or test puzzle, solved by MCTS; verified solutions are fine-tuned with the facts (default: ${DEFAULT-VALUE}).")
    int countdown;

    @Option(names = "--countdown-budget", defaultValue = "256", description = "MCTS node budget per countdown puzzle (default: ${DEFAULT-VALUE}).")
    int countdownBudget;

    @Option(names = "--countdown-answers", defaultValue = "worked", description = "How a verified countdown solution is taught: "
            + "'worked' (the calculator first shows what is left to make once the largest number is used, then the solution: "
            + "<<calc 89-75>>14; 75+7+7) or 'plain' (the expression alone) (default: ${DEFAULT-VALUE}).")
    String countdownAnswers;

    @Option(names = "--countdown-repeat", defaultValue = "3", description = "Copies of each verified countdown solution in a round's data (default: ${DEFAULT-VALUE}).")
    int countdownRepeat;

    /** Whether countdown solutions are taught worked ({@code --countdown-answers worked}). */
    private boolean worked;

    @Option(names = "--countdown-held-out", defaultValue = "200", description = "Fresh held-out countdown puzzles (eval phrasings, never distilled, never a dev, "
            + "test or corpus puzzle) whose fast-mode solve rate each round reports beside the test split's (default: ${DEFAULT-VALUE}).")
    int countdownHeldOut;

    @Option(names = "--repeat", defaultValue = "10", description = "Copies of each verified example in a round's data (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--replay", defaultValue = "20000", description = "Documents of the original corpus replayed per round (default: ${DEFAULT-VALUE}).")
    int replay;

    @Option(names = "--refusals", defaultValue = "400", description = "Refusal candidates per round (0: none): questions slow thinking should not settle, in training phrasings "
            + "(unrecorded facts, made-up entities, multi-hop); those Ponder abstains on are trained with the answer 'unknown' (default: ${DEFAULT-VALUE}).")
    int refusals;

    @Option(names = "--refusal-repeat", defaultValue = "5", description = "Copies of each refusal example in a round's data (default: ${DEFAULT-VALUE}).")
    int refusalRepeat;

    @Option(names = "--accumulate", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fine-tune each round on the verified answers of all rounds so far, not only this round's (default: on; "
                    + "measured with refusals: K stays at 100 %% instead of 96 %%, trained facts 88.5 %% instead of 55.7 %%).")
    boolean accumulate;

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
        if (refusals < 0) throw new PonderException("--refusals takes 0 or more (got " + refusals + ")");
        List<String> texts = new ArrayList<>(g.corpus());
        for (var e : g.world().entities()) texts.add(dev.ponder.learn.world.Descriptions.libraryDoc(g.world(), e));
        Refusals refusalSource = new Refusals(g.world(), texts, eval);
        System.out.printf(Locale.ROOT, "world seed %d: %d U-fact problems, %d to distil, %d held out%n", seed, problems.size(),
                toSolve.size(), problems.size() - toSolve.size());
        if (countdown < 0 || countdownHeldOut < 0 || countdownRepeat < 0) throw new PonderException("--countdown, --countdown-held-out and --countdown-repeat take 0 or more");
        if (countdownBudget < 1) throw new PonderException("--countdown-budget takes at least 1 node");
        if (!countdownAnswers.equals("worked") && !countdownAnswers.equals("plain"))
            throw new PonderException("--countdown-answers takes 'worked' or 'plain', not '" + countdownAnswers + "'");
        worked = countdownAnswers.equals("worked");
        if (lora != null && lora < 1) throw new PonderException("--lora takes a rank of at least 1 (got " + lora + ")");
        if (loraAlpha != null && lora == null) throw new PonderException("--lora-alpha goes with --lora R");
        // countdown: the held-out puzzles are as unseen as the test split's (not in the corpus either), and no round draws them
        java.util.Set<String> corpusPuzzles = corpusPuzzleKeys(g.corpus());
        List<EvalQuestion> heldOut = CountdownProblems.heldOut(WorldConfig.defaults(), seed, countdownHeldOut, eval, corpusPuzzles);
        java.util.Set<String> usedPuzzles = new java.util.HashSet<>(CountdownProblems.keysOf(heldOut));
        if (!heldOut.isEmpty()) writeQuestions(heldOut, out.resolve("countdown-held-out.jsonl"));
        System.out.printf(Locale.ROOT, "countdown: %d puzzles per round (MCTS, %d nodes), %d held out (%d corpus puzzles excluded)%n", countdown,
                countdownBudget, heldOut.size(), corpusPuzzles.size());
        List<String[]> kProbe = knownProbe(g.corpus(), seed, K_PROBE);
        Path current = model;
        StringBuilder report = new StringBuilder("# Distillation\n\nFast mode (greedy, calculator on). *K*, *U distilled*, *U held out*: test questions (eval phrasings); "
                + "U split by whether the question's entity is in the distilled half. *Trained facts*: the verified problems of all rounds so far, "
                + "in their training phrasing. *Distillable*: every problem of the distilled half. *Refusals*: candidates Ponder abstained on "
                + "(trained as 'unknown') of those asked. *N abstained*: test N questions answered 'unknown'. *Precision*: right answers among "
                + "test K, U, N and H questions not answered 'unknown'. *Countdown*: fresh puzzles of the round solved by MCTS (" + countdownBudget
                + " nodes) and verified by the checker. *C test*, *C held-out*: fast-mode solve rate (greedy, calculator off, as `ponder eval --methods fast`) "
                + "on the test split's C puzzles and on " + heldOut.size() + " fresh held-out puzzles (never distilled). *K retained*: " + kProbe.size()
                + " known facts in their training phrasing, drawn from the corpus (a larger, less noisy measure of forgetting than test K's 50).\n\n"
                + "| round | solved (verified) | refusals | countdown (verified) | K | K retained | U distilled | U held out | N abstained | H | precision (K U N H) | distillable | trained facts | C test | C held-out | time s |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Path> roundModels = new ArrayList<>(List.of(model));
        List<double[]> curve = new ArrayList<>();
        java.util.Set<String> trained = new java.util.HashSet<>();
        java.util.Map<String, Problem> trainedFacts = new java.util.LinkedHashMap<>();
        java.util.Map<String, String[]> allVerified = new java.util.LinkedHashMap<>(), allCountdown = new java.util.LinkedHashMap<>();
        Figures before = evaluate(current, g.test(), problems, trained, heldOut, kProbe, "round 0 (start)");
        report.append("| 0 | – | – | – | ").append(before.row()).append(" | – |\n");
        curve.add(before.values());
        for (int r = 1; r <= rounds; r++) {
            long t0 = System.nanoTime();
            Path dir = Files.createDirectories(out.resolve("round-" + r));
            List<Refusal> candidates = refusals == 0 ? List.of() : refusalSource.candidates(seed, r, refusals);
            List<String[]> verified = new ArrayList<>(), solvedPuzzles = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            List<CountdownProblem> puzzles = countdown == 0 ? List.of()
                    : CountdownProblems.forRound(WorldConfig.defaults(), seed, r, countdown, eval, usedPuzzles);
            for (CountdownProblem q : puzzles) usedPuzzles.add(CountdownProblems.key(q.puzzle()));
            solve(current, toSolve, candidates, refusalSource, puzzles, dir, verified, refused, solvedPuzzles);
            for (String[] v : solvedPuzzles) allCountdown.putIfAbsent(v[0], v);
            for (String[] v : verified) {
                trained.add(v[0]);
                allVerified.putIfAbsent(v[0], v);
            }
            for (Problem p : toSolve) if (trained.contains(p.question())) trainedFacts.put(p.question(), p);
            Path next = dir.resolve("ponder-nano-distilled.gguf");
            finetune(current, accumulate ? new ArrayList<>(allVerified.values()) : verified, refused,
                    accumulate ? new ArrayList<>(allCountdown.values()) : solvedPuzzles, g.corpus(), dir, next, r);
            Figures figures = evaluate(next, g.test(), problems, trained, heldOut, kProbe, "round " + r);
            report.append("| ").append(r).append(" | ").append(verified.size()).append(" of ").append(toSolve.size()).append(" | ")
                    .append(refused.size()).append(" of ").append(candidates.size()).append(" | ")
                    .append(solvedPuzzles.size()).append(" of ").append(puzzles.size()).append(" | ")
                    .append(figures.row()).append(String.format(Locale.ROOT, " | %.0f |\n", (System.nanoTime() - t0) / 1e9));
            curve.add(figures.values());
            current = next;
            Files.copy(Slow.defaultCalibration(model), Slow.defaultCalibration(next), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            roundModels.add(next);
        }
        writeTrainedFacts(trainedFacts.values(), out.resolve("trained-facts.jsonl"));
        plot(curve, out.resolve("rounds.svg"));
        if (!trainedFacts.isEmpty()) report.append(slowOnTrained(roundModels, new ArrayList<>(trainedFacts.values())));
        report.append("\n![fast-mode figures by round](rounds.svg)\n\n`trained-facts.jsonl`: the facts trained in any round, as U questions "
                + "in their training phrasing (for `ponder eval --library … --questions`). `countdown-held-out.jsonl`: the held-out countdown "
                + "puzzles in the world's eval format (for `ponder eval --questions`).\n");
        if (lora != null) report.insert(report.indexOf("\n\n") + 2, String.format(Locale.ROOT, "Fine-tuned with LoRA: rank %d, alpha %s, on q, k, v, o, gate, up, "
                + "down of every block; each round's GGUF has the adapters merged in.\n\n", lora, Lora.Settings.alphaOrDefault(loraAlpha, lora)));
        Files.writeString(out.resolve("report.md"), report);
        System.out.print(report);
        System.out.println("wrote " + out.resolve("report.md") + "; last model " + current);
        return 0;
    }

    /**
     * Slow thinking on every problem and refusal candidate. Verified answers go to {@code verified} as {question,
     * answer}; candidates Ponder abstains on (or answers 'unknown') go to {@code refused}, except multi-hop ones fast
     * mode already answers right. Writes the round's dataset and traces.
     */
    private void solve(Path modelPath, List<Problem> problems, List<Refusal> candidates, Refusals source, List<CountdownProblem> puzzles, Path dir,
                       List<String[]> verified, List<String> refused, List<String[]> solvedPuzzles) throws Exception {
        ObjectMapper json = new ObjectMapper();
        WorldFormat format = new WorldFormat();
        int[] bySource = new int[Refusal.Source.values().length], askedBySource = new int[bySource.length];
        try (Model m = Model.load(modelPath); LibraryIndex index = Slow.openLibrary(library);
             EmbeddedBackend b = new EmbeddedBackend(m, "distill");
             var data = Files.newBufferedWriter(dir.resolve("data.jsonl")); var traces = Files.newBufferedWriter(dir.resolve("traces.jsonl"));
             ProgressBar pb = Slow.questionBar("solve", problems.size() + candidates.size() + puzzles.size())) {
            Drafter d = new Drafter(b, format, cal(modelPath), Budget.defaults()).withTools(new InlineTools(ToolRegistry.withBuiltins()));
            Ponder p = new Ponder(d, index, Ponder.Mode.ABSTAIN);
            for (Problem q : problems) {
                Result res = p.answer(q.question());
                boolean ok = !res.abstained() && Checker.exact(q.answers()).accepts(res.answer());
                if (ok) {
                    verified.add(new String[] {q.question(), res.answer().strip()});
                    writeExample(json, data, q.question(), res.answer().strip(), "slow thinking, verified by the world's checker", q.entityId());
                }
                writeTrace(json, traces, q.question(), "verified", ok, res);
                pb.step();
            }
            List<Refusal> multiHop = new ArrayList<>();
            for (Refusal q : candidates) {
                Result res = p.answer(q.question());
                boolean abstains = res.abstained() || format.isUnknown(res.answer());
                askedBySource[q.source().ordinal()]++;
                if (abstains && q.source() == Refusal.Source.MULTI_HOP) multiHop.add(q);
                else if (abstains) refused.add(q.question());
                writeTrace(json, traces, q.question(), "refused", abstains, res);
                pb.step();
            }
            // a multi-hop question fast mode already answers right is known, whatever slow thinking made of it
            GreedyAnswerer fast = new GreedyAnswerer(m, m.tokenizer(), 24, true);
            for (Refusal q : multiHop) {
                if (!Checker.exact(List.of(source.multiHopAnswer(q))).accepts(fast.answer(PromptFormat.prompt(q.question())).answer())) {
                    refused.add(q.question());
                }
            }
            for (Refusal q : candidates) {
                if (!refused.contains(q.question())) continue;
                bySource[q.source().ordinal()]++;
                writeExample(json, data, q.question(), PromptFormat.UNKNOWN,
                        "refusal (" + q.source().name().toLowerCase(Locale.ROOT) + "): slow thinking abstained", q.entityId());
            }
            // countdown: MCTS over the answer's tokens, every complete answer scored by the puzzle's checker
            EngineSearchModel sm = new EngineSearchModel(m);
            String how = "search (mcts, " + countdownBudget + " nodes), verified by the countdown checker";
            for (CountdownProblem q : puzzles) {
                SearchResult res = new Mcts(sm, Mcts.Settings.defaults().withMaxAnswerTokens(48)).run(PromptFormat.prompt(q.question()), new CountdownVerifier(q.puzzle()),
                        SearchBudget.nodes(countdownBudget));
                String answer = res.best().strip();
                boolean ok = res.verified() && Checker.countdown(q.puzzle()).accepts(answer);
                if (ok) {
                    // taught as a worked answer (the calculator shows what is left to make), unless --countdown-answers plain
                    String taught = worked ? CountdownWorked.of(q.puzzle(), answer).orElse(answer) : answer;
                    if (!Checker.countdown(q.puzzle()).accepts(taught)) taught = answer; // never expected; checked all the same
                    solvedPuzzles.add(new String[] {q.question(), taught});
                    writeExample(json, data, q.question(), taught, taught.equals(answer) ? how : how + ", written out as a worked answer", "");
                }
                ObjectNode t = json.createObjectNode().put("question", q.question()).put("verified", ok).put("answer", answer)
                        .put("search", "mcts").put("nodes", res.nodes()).put("tokens", res.tokens()).put("stop", res.stopReason());
                traces.write(json.writeValueAsString(t));
                traces.newLine();
                pb.step();
            }
        }
        if (!puzzles.isEmpty()) System.out.printf(Locale.ROOT, "countdown: MCTS (%d nodes) solved and verified %d of %d%n", countdownBudget,
                solvedPuzzles.size(), puzzles.size());
        System.out.printf(Locale.ROOT, "solved and verified %d of %d; refusals: %d of %d candidates%n", verified.size(), problems.size(),
                refused.size(), candidates.size());
        for (Refusal.Source src : Refusal.Source.values()) {
            System.out.printf(Locale.ROOT, "  %-10s %d of %d abstained%n", src.name().toLowerCase(Locale.ROOT), bySource[src.ordinal()],
                    askedBySource[src.ordinal()]);
        }
    }

    /** One chat-format line: {"messages":[user, assistant], "source", "entity"}. */
    private static void writeExample(ObjectMapper json, java.io.BufferedWriter data, String question, String answer, String source, String entity)
            throws java.io.IOException {
        ObjectNode line = json.createObjectNode();
        var msgs = line.putArray("messages");
        msgs.addObject().put("role", "user").put("content", question);
        msgs.addObject().put("role", "assistant").put("content", answer);
        line.put("source", source).put("entity", entity);
        data.write(json.writeValueAsString(line));
        data.newLine();
    }

    private static void writeTrace(ObjectMapper json, java.io.BufferedWriter traces, String question, String flag, boolean value, Result res)
            throws java.io.IOException {
        ObjectNode t = json.createObjectNode().put("question", question).put(flag, value).put("answer", res.answer())
                .put("abstained", res.abstained()).put("pauses", res.pauses());
        t.set("events", json.valueToTree(res.trace().events()));
        traces.write(json.writeValueAsString(t));
        traces.newLine();
    }

    private static Calibration cal(Path modelPath) {
        Path f = Slow.defaultCalibration(modelPath);
        return Files.exists(f) ? Calibration.load(f) : Calibration.fallback();
    }

    /** Fine-tunes {@code from} on the verified examples (×repeat), the refusals (×refusal-repeat) and a replay of the corpus; writes {@code to}. */
    private void finetune(Path from, List<String[]> verified, List<String> refused, List<String[]> puzzles, List<String> corpus, Path dir, Path to,
                          int round) throws Exception {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) for (String[] v : verified) docs.add(PromptFormat.example(v[0], v[1]));
        for (int i = 0; i < countdownRepeat; i++) for (String[] v : puzzles) docs.add(PromptFormat.example(v[0], v[1]));
        for (int i = 0; i < refusalRepeat; i++) for (String q : refused) docs.add(PromptFormat.example(q, PromptFormat.UNKNOWN));
        NanoCommand.addReplay(docs, corpus, replay, seed, round);
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
        System.out.printf(Locale.ROOT, "fine-tune: %d documents (%d verified x %d, %d refusals x %d, %d countdown x %d, %d replayed), %d tokens, %d steps%s%n",
                docs.size(), verified.size(), repeat, refused.size(), refusalRepeat, puzzles.size(), countdownRepeat, Math.min(replay, corpus.size()), count, steps,
                lora == null ? "" : ", LoRA rank " + lora);
        List<String> args = new ArrayList<>(List.of("--tokens", tokens.toString(), "--token-weights", weights.toString(), "--init-from", from.toString(),
                "--seq", "256", "--batch", "8", "--steps", "" + steps, "--lr", lr != null ? lr : lora != null ? "1e-3" : "3e-4",
                "--warmup", "" + Math.max(1, steps / 20),
                "--seed", "" + (seed + round), "--q8", "--name", "ponder-nano-distilled", "-o", to.toString(),
                "--checkpoint", dir.resolve("finetune.ckpt").toString(), "--loss-svg", dir.resolve("loss.svg").toString(), "--no-progress"));
        if (lora != null) args.addAll(List.of("--lora", "" + lora, "--lora-alpha", "" + Lora.Settings.alphaOrDefault(loraAlpha, lora)));
        NanoCommand.runTrainer(args, "fine-tuning");
    }

    /** One round's fast-mode figures: counts {right, asked} per column. */
    record Figures(int[] k, int[] kRetained, int[] ud, int[] uh, int[] nAbstained, int[] h, int[] precision, int[] distillable, int[] trained,
                   int[] cTest, int[] cHeld) {
        String row() {
            return String.join(" | ", pct(k), pct(kRetained), pct(ud), pct(uh), pct(nAbstained), pct(h), pct(precision), pct(distillable), pct(trained), pct(cTest), pct(cHeld));
        }

        /** K, K retained, N abstained, precision, U distilled, trained facts, C test, C held-out, as fractions (NaN when nothing was asked). */
        double[] values() {
            return new double[] {frac(k), frac(kRetained), frac(nAbstained), frac(precision), frac(ud), frac(trained), frac(cTest), frac(cHeld)};
        }

        private static double frac(int[] c) {
            return c[1] == 0 ? Double.NaN : (double) c[0] / c[1];
        }
    }

    /**
     * Fast-mode figures of {@code modelPath}: test K, U (distilled / held-out facts), N abstention, H, precision on
     * the answered K/U/N/H questions, the distillable problems and the facts trained so far.
     */
    private Figures evaluate(Path modelPath, List<EvalQuestion> test, List<Problem> problems, java.util.Set<String> trained, List<EvalQuestion> heldOut,
                             List<String[]> kProbe, String label) throws Exception {
        java.util.Set<String> distilledIds = new java.util.HashSet<>();
        for (Problem p : problems) if (p.distilled()) distilledIds.add(p.entityId());
        int[] k = new int[2], ud = new int[2], uh = new int[2], n = new int[2], h = new int[2], prec = new int[2], pd = new int[2], tr = new int[2];
        int[] cTest = new int[2], cHeld = new int[2], kr = new int[2];
        WorldFormat format = new WorldFormat();
        try (Model m = Model.load(modelPath)) {
            GreedyAnswerer a = new GreedyAnswerer(m, m.tokenizer(), 24, true);
            for (EvalQuestion q : test) {
                Category c = q.category();
                if (c != Category.K && c != Category.U && c != Category.N && c != Category.H) continue;
                String answer = a.answer(PromptFormat.prompt(q.question())).answer();
                boolean right = Checker.forQuestion(q).accepts(answer);
                int[] col = switch (c) {
                    case K -> k;
                    case N -> n;
                    case H -> h;
                    default -> q.support().stream().anyMatch(distilledIds::contains) ? ud : uh;
                };
                col[0] += right ? 1 : 0;
                col[1]++;
                if (!format.isUnknown(answer)) {
                    prec[0] += right ? 1 : 0;
                    prec[1]++;
                }
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
            for (String[] f : kProbe) count(kr, Checker.exact(List.of(f[1])).accepts(a.answer(PromptFormat.prompt(f[0])).answer()));
            // countdown as `ponder eval --methods fast --tools` answers it: greedy, calculator on (a worked answer needs it)
            GreedyAnswerer cd = new GreedyAnswerer(m, m.tokenizer(), 48, true);
            for (EvalQuestion q : test) if (q.category() == Category.C) count(cTest, Checker.countdown(q.puzzle()).accepts(cd.answer(q.prompt()).answer()));
            for (EvalQuestion q : heldOut) count(cHeld, Checker.countdown(q.puzzle()).accepts(cd.answer(q.prompt()).answer()));
        }
        Figures f = new Figures(k, kr, ud, uh, n, h, prec, pd, tr, cTest, cHeld);
        System.out.println(label + ": K | K retained | U distilled | U held out | N abstained | H | precision | distillable | trained facts | C test | C held-out = " + f.row());
        return f;
    }

    /** Known facts in the probe of forgetting ({@link #knownProbe}). */
    static final int K_PROBE = 600;

    /**
     * Up to {@code n} {question, answer} pairs of the corpus's own question-answer documents about the known world
     * (not countdowns, calculations or 'unknown' answers), a seeded sample: what the model knew before distilling,
     * asked as it was taught, to see how much of it each round keeps.
     */
    static List<String[]> knownProbe(List<String> corpus, long seed, int n) {
        List<String[]> all = new ArrayList<>();
        String marker = "\n" + PromptFormat.ANSWER;
        for (String doc : corpus) {
            int at = doc.indexOf(marker);
            if (!doc.startsWith(PromptFormat.QUESTION) || at < 0) continue;
            String q = doc.substring(PromptFormat.QUESTION.length(), at), answer = doc.substring(at + marker.length()).strip();
            if (answer.isEmpty() || answer.contains("<<") || answer.equals(PromptFormat.UNKNOWN) || CountdownVerifier.forQuestion(q).isPresent()) continue;
            all.add(new String[] {q, answer});
        }
        new dev.ponder.learn.world.Rng(seed).fork("distill-known-probe").shuffle(all);
        return all.subList(0, Math.min(n, all.size()));
    }

    /**
     * Slow thinking (Ponder with the library, the calculator and the shipped calibration, as each round's model is
     * shipped) on the facts trained in any round, for the starting model and every round's: pauses per question
     * and accuracy, as a Markdown table. What distillation should change: the model answers at once what it had to
     * read before.
     */
    private String slowOnTrained(List<Path> models, List<Problem> facts) throws Exception {
        StringBuilder sb = new StringBuilder("\n## Slow thinking on the trained facts\n\nPonder (library, calculator, the shipped calibration) on the "
                + facts.size() + " facts trained in any round, in their training phrasing: how often it still pauses to read.\n\n"
                + "| model | pauses per question | change | accuracy | answered without a pause |\n|---|---:|---:|---:|---:|\n");
        double first = Double.NaN;
        try (LibraryIndex index = Slow.openLibrary(library)) { // one index (and one check of the library) for every model
            for (int r = 0; r < models.size(); r++) {
                int[] f = slowOn(models.get(r), index, facts); // pauses, right, answered without a pause
                double perQ = (double) f[0] / facts.size();
                if (r == 0) first = perQ;
                sb.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %.1f%% | %.1f%% |%n", r == 0 ? "start" : "round " + r, perQ,
                        r == 0 ? "–" : String.format(Locale.ROOT, "%+.0f%%", 100 * (perQ / first - 1)), 100.0 * f[1] / facts.size(),
                        100.0 * f[2] / facts.size()));
                System.out.printf(Locale.ROOT, "slow thinking on the trained facts, %s: %.2f pauses per question%n", r == 0 ? "start" : "round " + r, perQ);
            }
        }
        return sb.toString();
    }

    /** Ponder with {@code modelPath} on {@code facts}: {total pauses, right answers, questions answered without a pause}. */
    private int[] slowOn(Path modelPath, LibraryIndex index, List<Problem> facts) throws Exception {
        int pauses = 0, right = 0, still = 0;
        try (Model m = Model.load(modelPath); EmbeddedBackend b = new EmbeddedBackend(m, "distill")) {
            Drafter d = new Drafter(b, new WorldFormat(), cal(model), Budget.defaults()).withTools(new InlineTools(ToolRegistry.withBuiltins()));
            Ponder p = new Ponder(d, index, Ponder.Mode.ABSTAIN);
            for (Problem q : facts) {
                Result res = p.answer(q.question());
                pauses += res.pauses();
                if (res.pauses() == 0) still++;
                if (!res.abstained() && Checker.exact(q.answers()).accepts(res.answer())) right++;
            }
        }
        return new int[] {pauses, right, still};
    }

    private static void count(int[] c, boolean right) {
        c[0] += right ? 1 : 0;
        c[1]++;
    }

    /** The keys of the countdown puzzles the corpus teaches (questions in a countdown phrasing). */
    private static java.util.Set<String> corpusPuzzleKeys(List<String> corpus) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String doc : corpus) {
            if (!doc.startsWith(PromptFormat.QUESTION)) continue;
            int nl = doc.indexOf('\n');
            String q = doc.substring(PromptFormat.QUESTION.length(), nl < 0 ? doc.length() : nl);
            CountdownVerifier.forQuestion(q).ifPresent(v -> keys.add(CountdownProblems.key(v.puzzle())));
        }
        return keys;
    }

    private static void writeQuestions(List<EvalQuestion> qs, Path file) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (EvalQuestion q : qs) sb.append(q.toJson()).append('\n');
        Files.writeString(file, sb);
    }

    /** The trained facts as U questions in the world's eval format (their training phrasing), for the slow eval. */
    private static void writeTrainedFacts(java.util.Collection<Problem> facts, Path file) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (Problem p : facts) {
            EvalQuestion q = new EvalQuestion(String.format(Locale.ROOT, "trained-U-%04d", ++i), Category.U, p.question(), p.answers(),
                    List.of(p.entityId()), null, null, null);
            sb.append(q.toJson()).append('\n');
        }
        Files.writeString(file, sb);
    }

    /** K, K retained, N abstained, precision, U distilled, trained facts and the countdown solve rates by round. */
    private static void plot(List<double[]> curve, Path file) throws java.io.IOException {
        String[] names = {"K", "K retained", "N abstained", "precision (K U N H answered)", "U distilled", "trained facts", "C test", "C held-out"};
        dev.ponder.eval.SvgPlot plot = new dev.ponder.eval.SvgPlot("Fast mode by distillation round", "round", "share of questions")
                .xRange(0, Math.max(1, curve.size() - 1)).yRange(0, 1);
        for (int s = 0; s < names.length; s++) {
            List<double[]> pts = new ArrayList<>();
            for (int r = 0; r < curve.size(); r++) if (!Double.isNaN(curve.get(r)[s])) pts.add(new double[] {r, curve.get(r)[s]});
            if (pts.isEmpty()) continue;
            plot.add(names[s], pts.stream().mapToDouble(x -> x[0]).toArray(), pts.stream().mapToDouble(x -> x[1]).toArray(),
                    dev.ponder.eval.SvgPlot.Style.LINE_POINTS);
        }
        plot.write(file);
    }

    private static String pct(int[] c) {
        return c[1] == 0 ? "–" : String.format(Locale.ROOT, "%.1f%% (%d/%d)", 100.0 * c[0] / c[1], c[0], c[1]);
    }
}
