package dev.ponder.think;

import java.util.ArrayList;
import java.util.List;

/**
 * Drafts one answer: builds the prompt (evidence, question, kept answer prefix), decodes greedily, computes
 * the features and the calibrated confidence, and records a {@link TraceEvent.Draft}. Shared by every method
 * so that they differ only in when and what they retrieve.
 */
public final class Drafter {
    /** A drafted answer. */
    public record Drafted(Generation generation, String prefix, String answer, boolean unknown, double confidence, double[] features) {}

    /** Seed of the agreement samples (fixed: the same draft gets the same samples). */
    static final long SAMPLE_SEED = 20261129L;

    private final Backend backend;
    private final QuestionFormat format;
    private final Calibration calibration;
    private final Budget budget;

    public Drafter(Backend backend, QuestionFormat format, Calibration calibration, Budget budget) {
        this.backend = backend;
        this.format = format;
        this.calibration = calibration;
        this.budget = budget;
    }

    public Backend backend() {
        return backend;
    }

    public Budget budget() {
        return budget;
    }

    public Calibration calibration() {
        return calibration;
    }

    public QuestionFormat format() {
        return format;
    }

    public Drafted draft(String question, List<Passage> evidence, String prefix, int pause, Trace trace) {
        Generation g = backend.generate(format.prompt(question, evidence, prefix), budget.maxAnswerTokens(), format.stop());
        String answer = format.answerOf(prefix + g.text());
        boolean unknown = format.isUnknown(answer);
        Agreement agreement = Agreement.NONE;
        if (calibration.samples() > 0 && !evidence.isEmpty()) {
            String context = format.prompt(question, evidence, prefix);
            List<String> answers = new ArrayList<>();
            for (Generation s : backend.sample(context, calibration.samples(), Calibration.SAMPLE_TEMPERATURE,
                    budget.maxAnswerTokens(), format.stop(), SAMPLE_SEED)) answers.add(format.answerOf(prefix + s.text()));
            agreement = Agreement.of(answer, answers);
        }
        double[] x = AnswerFeatures.of(question, g, answer, unknown, evidence, agreement);
        double c = calibration.confidence(x, !evidence.isEmpty());
        List<TraceEvent.Token> tokens = new ArrayList<>();
        for (TokenSignal s : g.tokens()) tokens.add(TraceEvent.Token.of(s));
        trace.add(new TraceEvent.Draft(pause, answer, tokens, c, x, g.reusedTokens(), g.prefilledTokens()));
        return new Drafted(g, prefix, answer, unknown, c, x);
    }

    /**
     * Takes up to {@code budget.passagesPerPause()} of {@code hits} not already in {@code evidence}, while the
     * evidence stays within the token budget; returns the passages taken (also appended to {@code evidence},
     * with any tool-call markup {@linkplain ToolCallParser#neutralise(String) neutralised}: a passage can never
     * show the model a call to copy).
     */
    public List<Passage> take(List<Passage> hits, List<Passage> evidence, int[] evidenceTokens) {
        List<Passage> taken = new ArrayList<>();
        for (Passage p : hits) {
            if (taken.size() == budget.passagesPerPause()) break;
            if (evidence.stream().anyMatch(e -> e.docId().equals(p.docId()))) continue;
            int t = backend.countTokens(p.text());
            if (evidenceTokens[0] + t > budget.maxEvidenceTokens()) continue;
            evidenceTokens[0] += t;
            evidence.add(inert(p));
            taken.add(p);
        }
        return taken;
    }

    /** {@code p} with its text neutralised as tool-call markup (the same passage when it has none). */
    static Passage inert(Passage p) {
        String text = ToolCallParser.neutralise(p.text());
        return text.equals(p.text()) ? p : new Passage(p.docId(), p.title(), text, p.score());
    }

    /** Trace hits, marking those taken. */
    static List<TraceEvent.Hit> hits(List<Passage> hits, List<Passage> taken) {
        List<TraceEvent.Hit> out = new ArrayList<>();
        for (Passage p : hits) out.add(new TraceEvent.Hit(p.docId(), p.title(), p.score(), p.text(), taken.contains(p)));
        return out;
    }

    /** What the model reads before the question: the passages taken, in order. */
    static String injected(List<Passage> evidence) {
        StringBuilder sb = new StringBuilder();
        for (Passage p : evidence) sb.append(sb.isEmpty() ? "" : " ").append(p.text());
        return sb.toString();
    }
}
