package dev.ponder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.eval.FastEval;
import dev.ponder.eval.GreedyAnswerer;
import dev.ponder.eval.SearchEval;
import dev.ponder.eval.SearchReport;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.search.BeamSearch;
import dev.ponder.think.search.Mcts;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponder eval}: scores a model on a question file in the world's eval format, per category.
 * Today it runs fast mode (greedy, no retrieval; the calculator tool on request); the slow-thinking
 * methods join it as they are built.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model on world-format questions (JSONL).")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "GGUF model.")
    Path model;

    @Option(names = "--questions", required = true, description = "Questions, one JSON object per line (the world's eval format).")
    Path questions;

    @Option(names = "--categories", split = ",", description = "Only these categories (e.g. K,R).")
    Set<Category> categories;

    @Option(names = "--tools", description = "Execute the tool calls the model writes (calculator, dates); with --library also evaluates A with every method.")
    boolean tools;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "48", description = "Tokens per answer at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--out", description = "Write metrics.json and answers.jsonl (with --library: report.md, plots, traces) to this directory.")
    Path out;

    @Option(names = "--library", description = "Documents directory or index: evaluates the slow-thinking methods (fast, rag, flare, ponder) on K, U, N, H.")
    Path library;

    @Option(names = "--methods", split = ",", description = "Methods to compare (default: fast,rag,flare,ponder).")
    List<String> methods;

    @Option(names = "--dev", description = "Fit the calibration (confidence and thresholds) on these dev questions first.")
    Path dev;

    @Option(names = "--calibration", description = "Use this calibration file (default: MODEL.calibration.json if present).")
    Path calibration;

    @Option(names = "--save-calibration", description = "Also save the calibration fit on --dev here (e.g. models/ponder-nano.calibration.json).")
    Path saveCalibration;

    @Option(names = "--answer-when-unsure", description = "Ponder answers with its confidence instead of abstaining when unsure.")
    boolean answerWhenUnsure;

    @Option(names = "--target-precision", defaultValue = "0.95", description = "With --dev: precision on answered dev questions the thresholds must reach (default: ${DEFAULT-VALUE}).")
    double targetPrecision;

    @Option(names = "--samples", defaultValue = "0", description = "With --dev: answers sampled (as one batch) per draft read with evidence, for the agreement features (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--passages", defaultValue = "1", description = "Passages taken per retrieval (default: ${DEFAULT-VALUE}).")
    int passages;

    @Option(names = "--pauses", defaultValue = "3", description = "Pauses per question at most (default: ${DEFAULT-VALUE}).")
    int pauses;

    @Option(names = "--reading-consult", paramLabel = "N", defaultValue = "16", description = "Answers Ponder samples when a name it "
            + "drafts after reading is not in the passages, taking the most common name they hold; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int readingConsult;

    @Option(names = "--consult", paramLabel = "K", description = "Measure consultation: K answers sampled as one batch per question (K, U, N, H, A: no library; R: its passage supplied, with Ponder's consultation after reading), their consensus against greedy, and the confidence fit on --dev with and without the samples' agreement; writes consult.md to --out.")
    Integer consult;

    @Option(names = "--consult-temperature", defaultValue = "1.0", description = "Sampling temperature of --consult (default: ${DEFAULT-VALUE}).")
    double consultTemperature;

    @Option(names = "--search", split = ",", description = "Search the answers of the countdown (C) questions with these algorithms (mcts, beam) at each --search-budget, against fast mode; writes search.md and search.svg to --out.")
    List<String> search;

    @Option(names = "--search-budget", split = ",", defaultValue = "1,4,16,64,256", description = "Node budgets of --search, each a separate run (default: ${DEFAULT-VALUE}).")
    List<Integer> searchBudgets;

    @Option(names = "--c-puct", defaultValue = "1.5", description = "MCTS: weight of the prior in PUCT (default: ${DEFAULT-VALUE}).")
    double cPuct;

    @Option(names = "--prior-temperature", defaultValue = "2", description = "MCTS: priors are probabilities^(1/T), renormalized (default: ${DEFAULT-VALUE}).")
    double priorTemperature;

    @Option(names = "--search-top-k", defaultValue = "8", description = "Children per search node at most (default: ${DEFAULT-VALUE}).")
    int searchTopK;

    @Option(names = "--beam-depth", defaultValue = "12", description = "Beam: width at budget N is N / this (answer tokens a beam is expected to need; default: ${DEFAULT-VALUE}).")
    int beamDepth;

    @Override
    public Integer call() throws Exception {
        if (readingConsult < 0) throw new PonderException("--reading-consult must be 0 or more (got " + readingConsult + ")");
        if (consult != null) {
            if (library != null || search != null) throw new PonderException("--consult measures sampling without a library; leave out --library and --search");
            return new ConsultRun(this).run();
        }
        if (search != null) {
            if (library != null) throw new PonderException("--search evaluates countdown answers; it does not take --library");
            return searchEval();
        }
        if (library != null) {
            return new SlowEvalRun(this).run();
        }
        List<EvalQuestion> qs = EvalQuestion.read(questions);
        Set<Category> keep = categories == null ? EnumSet.allOf(Category.class) : EnumSet.copyOf(categories);
        qs = qs.stream().filter(q -> keep.contains(q.category())).toList();
        if (qs.isEmpty()) throw new PonderException("no questions to evaluate in " + questions);
        List<FastEval.Scored> scored;
        try (Model m = Model.load(model)) {
            Tokenizer tok = m.tokenizer();
            if (tok == null) throw new PonderException(model.getFileName() + " has no tokenizer (tokenizer.ggml.* metadata)");
            GreedyAnswerer answerer = new GreedyAnswerer(m, tok, maxTokens, tools);
            try (ProgressBar pb = Slow.questionBar("fast", qs.size())) {
                scored = FastEval.run(answerer, qs, s -> pb.step());
            }
        }
        Map<Category, FastEval.Tally> t = FastEval.tally(scored);
        PrintWriter w = new PrintWriter(System.out, true);
        w.println("method  category  questions  accuracy  tokens/q  latency ms/q");
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (var e : t.entrySet()) {
            FastEval.Tally x = e.getValue();
            w.printf(Locale.ROOT, "fast    %-8s  %9d  %7.1f%%  %8.1f  %12.1f%n", e.getKey(), x.questions, 100 * x.accuracy(),
                    (double) x.tokens / x.questions, x.meanLatencyMs());
            metrics.put(e.getKey().name(), Map.of("questions", x.questions, "accuracy", x.accuracy(),
                    "tokens_per_question", (double) x.tokens / x.questions, "latency_ms", x.meanLatencyMs(), "tool_calls", x.toolCalls));
        }
        Map<String, Object> abstentions = new LinkedHashMap<>();
        for (var scope : List.of(Map.entry("all", EnumSet.allOf(Category.class)),
                Map.entry("KUNH", EnumSet.of(Category.K, Category.U, Category.N, Category.H)))) {
            FastEval.Abstention a = FastEval.abstention(scored, scope.getValue());
            if (a.questions() == 0) continue;
            w.printf(Locale.ROOT, "fast    %-8s  abstained ('unknown') %d of %d (%.1f%%); precision on the %d answered %.1f%%%n", scope.getKey(),
                    a.abstained(), a.questions(), 100 * a.abstentionRate(), a.answered(), 100 * a.precision());
            abstentions.put(scope.getKey(), Map.of("questions", a.questions(), "abstained", a.abstained(), "answered", a.answered(),
                    "correct_answered", a.correctAnswered()));
        }
        metrics.put("abstention", abstentions);
        if (out != null) {
            Files.createDirectories(out);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(out.resolve("metrics.json").toFile(), Map.of("fast", metrics));
            StringBuilder lines = new StringBuilder();
            ObjectMapper plain = new ObjectMapper();
            for (FastEval.Scored s : scored)
                lines.append(plain.writeValueAsString(Map.of("id", s.question().id(), "category", s.question().category().name(),
                        "question", s.question().question(), "gold", s.question().answers(), "output", s.answer().continuation(),
                        "answer", s.answer().answer(), "correct", s.correct()))).append('\n');
            Files.writeString(out.resolve("answers.jsonl"), lines);
            w.println("wrote " + out.resolve("metrics.json") + " and answers.jsonl");
        }
        return 0;
    }

    private int searchEval() throws Exception {
        if (categories != null && !categories.contains(Category.C)) throw new PonderException("--search runs on the C category; --categories leaves it out");
        List<EvalQuestion> qs = EvalQuestion.read(questions).stream().filter(q -> q.category() == Category.C).toList();
        if (qs.isEmpty()) throw new PonderException("no countdown (C) questions in " + questions);
        SearchEval.Settings settings = new SearchEval.Settings(search, searchBudgets,
                Mcts.Settings.defaults().withCPuct(cPuct).withTopK(searchTopK).withPriorTemperature(priorTemperature), BeamSearch.Settings.defaults().withTopK(searchTopK), beamDepth);
        List<SearchEval.Attempt> attempts;
        try (Model m = Model.load(model)) {
            if (m.tokenizer() == null) throw new PonderException(model.getFileName() + " has no tokenizer (tokenizer.ggml.* metadata)");
            int perPuzzle = 1 + settings.budgets().size() * settings.algorithms().size();
            try (ProgressBar pb = new ProgressBarBuilder().setTaskName("search").setInitialMax((long) qs.size() * perPuzzle)
                    .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build()) {
                attempts = SearchEval.run(m, qs, settings, maxTokens, a -> pb.step());
            }
        }
        List<String> header = List.of("model: " + model, "questions: " + questions + " (" + qs.size() + " C)",
                String.format(Locale.ROOT, "MCTS: cPuct %.2f, prior temperature %.2f, top %d children; beam: top %d, width = budget / %d; answers up to %d tokens",
                        cPuct, priorTemperature, searchTopK, searchTopK, beamDepth, maxTokens),
                "machine: " + Runtime.getRuntime().availableProcessors() + " cores (times are wall time on whatever else was running)");
        SearchReport report = new SearchReport(header, attempts);
        PrintWriter w = new PrintWriter(System.out, true);
        w.println("method  budget  width  solved  solve rate  nodes/q  tokens/q  ms/q");
        for (SearchReport.Row r : report.rows())
            w.printf(Locale.ROOT, "%-6s  %6d  %5d  %3d/%-3d  %9.1f%%  %7.1f  %8.1f  %6.1f%n", r.method(), r.budget(), r.width(), r.solved(), r.puzzles(),
                    100 * r.solveRate(), r.meanNodes(), r.meanTokens(), r.meanMs());
        for (String alg : report.searchMethods()) {
            SearchReport.Row a = report.acceptedAt(alg);
            w.println(alg + ": " + (a == null ? "below " + SearchReport.FACTOR + "x fast mode at every budget" : SearchReport.FACTOR + "x fast mode reached at " + a.budget() + " nodes"));
        }
        if (out != null) w.println("wrote " + report.writeTo(out) + ", " + SearchReport.PLOT_SVG + ", " + SearchReport.METRICS_JSON + ", " + SearchReport.ATTEMPTS_JSONL);
        return 0;
    }
}
