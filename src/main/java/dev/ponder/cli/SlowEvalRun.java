package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.eval.CalibrationFitter;
import dev.ponder.eval.EvalReport;
import dev.ponder.eval.Metrics;
import dev.ponder.eval.Outcome;
import dev.ponder.eval.SlowEval;
import dev.ponder.eval.WorldFormat;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.think.Method;
import dev.ponder.think.Ponder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;

/** {@code ponder eval --library …}: fits the calibration on dev (if asked), compares the methods, writes the report. */
final class SlowEvalRun {
    static final Set<Category> SLOW = EnumSet.of(Category.K, Category.U, Category.N, Category.H);

    private final EvalCommand c;

    SlowEvalRun(EvalCommand c) {
        this.c = c;
    }

    int run() throws Exception {
        Set<Category> slow = EnumSet.copyOf(SLOW);
        if (c.tools) slow.add(Category.A);
        Set<Category> keep = c.categories == null ? slow : EnumSet.copyOf(c.categories);
        for (Category k : keep) {
            if (!slow.contains(k)) throw new PonderException("the slow-thinking methods evaluate K, U, N and H (and A with --tools); evaluate " + k + " without --library");
        }
        dev.ponder.think.ToolRunner tools = c.tools ? new dev.ponder.knowledge.tools.InlineTools(dev.ponder.knowledge.tools.ToolRegistry.withBuiltins()) : null;
        List<EvalQuestion> qs = select(EvalQuestion.read(c.questions), keep, c.questions);
        List<EvalQuestion> devQs = c.dev == null ? null : select(EvalQuestion.read(c.dev), keep, c.dev);
        if (devQs != null && devQs.stream().anyMatch(d -> qs.stream().anyMatch(q -> q.id().equals(d.id())))) {
            throw new PonderException("--dev and --questions share question ids: calibrate on dev, report on test");
        }
        List<String> names = c.methods == null ? List.of("fast", "rag", "flare", "ponder") : Slow.methodNames(c.methods);
        Budget budget = Budget.defaults().withMaxPauses(c.pauses).withPassagesPerPause(c.passages).withConsultSamples(c.readingConsult);
        Ponder.Mode mode = c.answerWhenUnsure ? Ponder.Mode.ANSWER : Ponder.Mode.ABSTAIN;
        String modelName = c.model.getFileName().toString().replaceFirst("\\.gguf$", "");
        List<AutoCloseable> toClose = new ArrayList<>();
        try (Model m = Model.load(c.model); LibraryIndex index = Slow.openLibrary(c.library)) {
            Calibration cal;
            if (devQs != null) {
                List<CalibrationFitter.Chain> chains;
                try (EmbeddedBackend b = new EmbeddedBackend(m, modelName); ProgressBar pb = Slow.questionBar("calibrate (dev)", devQs.size())) {
                    chains = CalibrationFitter.chains(devQs, k -> new Drafter(b, new WorldFormat(), k, budget).withTools(tools), index, c.samples, q -> pb.step());
                }
                CalibrationFitter.Fit fit = CalibrationFitter.fit(chains, c.samples, "fit on " + c.dev.getFileName() + " (" + devQs.size() + " questions, target precision " + c.targetPrecision + ")", c.targetPrecision);
                cal = fit.calibration();
                try (EmbeddedBackend b = new EmbeddedBackend(m, modelName)) { // decomposed answers: their own map, on dev
                    cal = cal.withDecomposedMap(CalibrationFitter.fitDecomposed(devQs, new Drafter(b, new WorldFormat(), cal, budget).withTools(tools), index));
                    cal = cal.withFinalMap(CalibrationFitter.fitFinal(devQs, new Drafter(b, new WorldFormat(), cal, budget).withTools(tools), index));
                }
                System.out.printf(Locale.ROOT, "calibration (dev): pause below %.2f, accept above %.2f, abstain below %.2f; "
                                + "dev accuracy %.1f%%, precision on answered %.1f%%, retrievals/q %.2f, abstention %.1f%%%n",
                        cal.pauseBelow(), cal.acceptAbove(), cal.abstainBelow(), 100 * fit.devAccuracy(), 100 * fit.devPrecision(),
                        fit.devRetrievalsPerQuestion(), 100 * fit.devAbstention());
                if (c.saveCalibration != null) cal.save(c.saveCalibration);
                // the strategy chooser on every dev question whose category says which exploration fits
                try (EmbeddedBackend b = new EmbeddedBackend(m, modelName)) {
                    Drafter fast = new Drafter(b, new WorldFormat(), cal, budget).withTools(tools);
                    dev.ponder.eval.StrategyEval.Table t = dev.ponder.eval.StrategyEval.run(EvalQuestion.read(c.dev), fast,
                            new dev.ponder.think.StrategyChooser(java.util.EnumSet.allOf(dev.ponder.think.Strategy.class)));
                    System.out.printf(Locale.ROOT, "strategy choice (dev, every strategy available): %d of %d the right kind (%.1f%%): %s%n",
                            t.right(), t.total(), 100 * t.rate(), t.counts());
                }
            } else {
                Path file = c.calibration != null ? c.calibration : Slow.defaultCalibration(c.model);
                if (Files.exists(file)) {
                    cal = Calibration.load(file);
                } else if (c.calibration != null) {
                    throw new PonderException("calibration file not found: " + file);
                } else {
                    System.err.println("ponder: no calibration for " + c.model.getFileName() + " (use --dev); confidences are uncalibrated");
                    cal = Calibration.fallback();
                }
            }
            Map<String, Method> methods = Slow.methods(names, m, modelName, index, cal, budget, mode, toClose, tools);
            Map<String, List<Outcome>> outcomes;
            try (ProgressBar pb = Slow.questionBar(String.join("/", names), qs.size())) {
                outcomes = SlowEval.run(qs, methods, c.out == null ? null : c.out.resolve("traces"), q -> pb.step());
            }
            List<String> header = List.of("model: " + c.model, "questions: " + c.questions + " (" + qs.size() + ")",
                    "library: " + c.library + " (" + index.size() + " documents)",
                    "calibration: " + cal.fitOn() + String.format(Locale.ROOT, "; pause below %.2f, accept above %.2f, abstain below %.2f",
                            cal.pauseBelow(), cal.acceptAbove(), cal.abstainBelow()),
                    "budget: " + budget + "; Ponder when unsure: " + mode.name().toLowerCase(Locale.ROOT));
            EvalReport report = new EvalReport(header, outcomes);
            print(report);
            if (c.out != null) {
                Files.createDirectories(c.out);
                if (devQs != null) cal.save(c.out.resolve("calibration.json"));
                report.writeTo(c.out);
                System.out.println("wrote " + c.out.resolve(EvalReport.REPORT_MD) + ", metrics.json, plots and traces/");
            }
        } finally {
            for (AutoCloseable a : toClose) a.close();
        }
        return 0;
    }

    private static List<EvalQuestion> select(List<EvalQuestion> all, Set<Category> keep, Path file) {
        List<EvalQuestion> qs = all.stream().filter(q -> keep.contains(q.category())).toList();
        if (qs.isEmpty()) throw new PonderException("no " + keep + " questions in " + file);
        return qs;
    }

    private static void print(EvalReport report) {
        System.out.println("method  category  questions  accuracy  answered-precision  abstain  retrievals/q  tokens/q  latency ms");
        for (var m : report.summaries().entrySet()) {
            for (var e : m.getValue().entrySet()) {
                Metrics.Summary s = e.getValue();
                System.out.printf(Locale.ROOT, "%-7s %-8s  %9d  %7.1f%%  %18s  %6.1f%%  %12.2f  %8.1f  %10.1f%n", m.getKey(), e.getKey(),
                        s.questions(), 100 * s.accuracy(), Double.isNaN(s.precision()) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * s.precision()), 100 * s.abstentionRate(), s.meanRetrievals(),
                        s.meanGeneratedTokens(), s.meanLatencyMs());
            }
        }
    }
}
