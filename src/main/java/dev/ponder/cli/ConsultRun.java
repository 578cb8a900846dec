package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.eval.ConsultEval;
import dev.ponder.eval.WorldFormat;
import dev.ponder.knowledge.tools.InlineTools;
import dev.ponder.knowledge.tools.ToolRegistry;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.think.ToolRunner;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;

/** {@code ponder eval --consult K}: self-consistency against greedy, and what agreement adds to the confidence. */
final class ConsultRun {
    /** Seed of the samples. */
    static final long SEED = 20261129L;

    private final EvalCommand c;

    ConsultRun(EvalCommand c) {
        this.c = c;
    }

    int run() throws Exception {
        if (c.dev == null) throw new PonderException("--consult needs --dev (the confidence is fit there) and --questions (reported there)");
        if (c.consult < 2 || c.consult > 64) throw new PonderException("--consult takes 2..64 samples (got " + c.consult + ")");
        List<EvalQuestion> dev = select(EvalQuestion.read(c.dev)), test = select(EvalQuestion.read(c.questions));
        if (dev.stream().anyMatch(d -> test.stream().anyMatch(q -> q.id().equals(d.id()))))
            throw new PonderException("--dev and --questions share question ids: calibrate on dev, report on test");
        ToolRunner tools = new InlineTools(ToolRegistry.withBuiltins());
        String name = c.model.getFileName().toString().replaceFirst("\\.gguf$", "");
        List<ConsultEval.Item> di, ti;
        try (Model m = Model.load(c.model); EmbeddedBackend b = new EmbeddedBackend(m, name)) {
            Budget budget = Budget.defaults();
            Drafter drafter = new Drafter(b, new WorldFormat(), Calibration.fallback(), budget).withTools(tools);
            try (ProgressBar pb = Slow.questionBar("consult (dev)", dev.size())) {
                di = ConsultEval.run(dev, drafter, b, new WorldFormat(), tools, c.consult, c.consultTemperature, budget.maxAnswerTokens(), SEED, q -> pb.step());
            }
            try (ProgressBar pb = Slow.questionBar("consult (test)", test.size())) {
                ti = ConsultEval.run(test, drafter, b, new WorldFormat(), tools, c.consult, c.consultTemperature, budget.maxAnswerTokens(), SEED, q -> pb.step());
            }
        }
        ConsultEval.Summary s = ConsultEval.summarize(di, ti), sd = ConsultEval.summarize(di, di);
        String md = String.format(Locale.ROOT, """
                # Consultation (self-consistency)

                - model: %s; %d answers sampled per question as one batch at temperature %.1f (seed %d), plus the greedy answer
                - questions: %s (%d; categories %s); confidence fit on %s (%d)

                | | questions | greedy accuracy | consensus accuracy |
                |---|---:|---:|---:|
                | all | %d | %.1f%% | %.1f%% |
                | samples disagree | %d | %.1f%% | %.1f%% |
                | dev: all | %d | %.1f%% | %.1f%% |
                | dev: samples disagree | %d | %.1f%% | %.1f%% |

                | confidence of the greedy answer (fit on dev) | AUROC | ECE |
                |---|---:|---:|
                | without agreement | %.3f | %.3f |
                | with agreement and semantic entropy | %.3f | %.3f |
                """, c.model, c.consult, c.consultTemperature, SEED, c.questions, ti.size(), categories(ti.stream().map(ConsultEval.Item::question).toList()), c.dev, di.size(),
                s.questions(), 100 * s.greedyAccuracy(), 100 * s.consensusAccuracy(),
                s.disagree(), 100 * s.greedyOnDisagree(), 100 * s.consensusOnDisagree(),
                sd.questions(), 100 * sd.greedyAccuracy(), 100 * sd.consensusAccuracy(),
                sd.disagree(), 100 * sd.greedyOnDisagree(), 100 * sd.consensusOnDisagree(),
                s.aurocWithout(), s.eceWithout(), s.aurocWith(), s.eceWith());
        if (s.reading().questions() > 0) md += reading(s.reading(), sd.reading());
        System.out.print(md);
        if (c.out != null) {
            Files.createDirectories(c.out);
            Files.writeString(c.out.resolve("consult.md"), md);
            System.out.println("wrote " + c.out.resolve("consult.md"));
        }
        return 0;
    }

    /** The reading questions' table: greedy, plain consensus and Ponder's consultation, on test and on dev. */
    private String reading(ConsultEval.Reading t, ConsultEval.Reading d) {
        return String.format(Locale.ROOT, """

                Reading questions (R, the passage supplied as a retrieval pause would place it). *Consultation* is what
                Ponder does after reading (Drafter.consult, %d samples at temperature %.1f, its own seed): a drafted name
                the passage does not hold is replaced by the most common sampled name the passage holds (or "unknown").

                | | questions | greedy | consensus | consultation |
                |---|---:|---:|---:|---:|
                | all | %d | %.1f%% | %.1f%% | %.1f%% |
                | samples disagree | %d | %.1f%% | %.1f%% | %.1f%% |
                | dev: all | %d | %.1f%% | %.1f%% | %.1f%% |
                | dev: samples disagree | %d | %.1f%% | %.1f%% | %.1f%% |
                """, c.consult, dev.ponder.think.Drafter.CONSULT_TEMPERATURE,
                t.questions(), 100 * t.greedy(), 100 * t.consensus(), 100 * t.consulted(),
                t.disagree(), 100 * t.greedyOnDisagree(), 100 * t.consensusOnDisagree(), 100 * t.consultedOnDisagree(),
                d.questions(), 100 * d.greedy(), 100 * d.consensus(), 100 * d.consulted(),
                d.disagree(), 100 * d.greedyOnDisagree(), 100 * d.consensusOnDisagree(), 100 * d.consultedOnDisagree());
    }

    private static String categories(List<EvalQuestion> qs) {
        return qs.stream().map(q -> q.category().name()).distinct().sorted().collect(java.util.stream.Collectors.joining(", "));
    }

    private List<EvalQuestion> select(List<EvalQuestion> all) {
        List<EvalQuestion> qs = all.stream().filter(q -> ConsultEval.CATEGORIES.contains(q.category())
                && (c.categories == null || c.categories.contains(q.category()))).toList();
        if (qs.isEmpty()) throw new PonderException("no K, U, N, H, A or R questions to consult on");
        return qs;
    }
}
