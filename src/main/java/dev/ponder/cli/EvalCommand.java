package dev.ponder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.eval.FastEval;
import dev.ponder.eval.GreedyAnswerer;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
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

    @Option(names = "--target-precision", defaultValue = "0.90", description = "With --dev: precision on answered dev questions the thresholds must reach (default: ${DEFAULT-VALUE}).")
    double targetPrecision;

    @Option(names = "--samples", defaultValue = "0", description = "With --dev: answers sampled (as one batch) per draft read with evidence, for the agreement features (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--passages", defaultValue = "1", description = "Passages taken per retrieval (default: ${DEFAULT-VALUE}).")
    int passages;

    @Option(names = "--pauses", defaultValue = "3", description = "Pauses per question at most (default: ${DEFAULT-VALUE}).")
    int pauses;

    @Override
    public Integer call() throws Exception {
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
            try (ProgressBar pb = new ProgressBarBuilder().setTaskName("fast").setInitialMax(qs.size())
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().setUnit(" q", 1).continuousUpdate().build()) {
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
}
