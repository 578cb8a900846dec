package dev.ponder.eval;

import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.Agreement;
import dev.ponder.think.AnswerFeatures;
import dev.ponder.think.Backend;
import dev.ponder.think.Drafter;
import dev.ponder.think.Generation;
import dev.ponder.think.Isotonic;
import dev.ponder.think.Logistic;
import dev.ponder.think.Passage;
import dev.ponder.think.QuestionFormat;
import dev.ponder.think.ToolCallParser;
import dev.ponder.think.ToolRunner;
import dev.ponder.think.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Consultation (self-consistency) measured: for every question the greedy draft, {@code k} answers sampled as
 * one batch from the same prefix (the backend forks the prompt's KV cache), and their consensus — the most
 * common meaning among the samples and the greedy answer. A sampled tool call counts as its exact result. The
 * agreement of the greedy answer with the samples becomes two confidence features (agreement, semantic
 * entropy); whether they help is measured by fitting the confidence on dev with and without them. A reading
 * question (R: its passage supplied, as after a retrieval pause) also gets the answer Ponder's consultation gives
 * ({@link Drafter#consult}: a name the passage does not hold replaced by the most common sampled name it holds).
 */
public final class ConsultEval {
    /** Columns of {@link AnswerFeatures#NAMES} that come from the samples. */
    static final int AGREEMENT = AnswerFeatures.NAMES.indexOf("agreement"), ENTROPY = AnswerFeatures.NAMES.indexOf("semantic_entropy");

    private ConsultEval() {}

    /** One question: the greedy answer, the consensus, the agreement and the greedy draft's features. */
    public record Item(EvalQuestion question, String greedy, boolean greedyRight, String consensus, boolean consensusRight,
                       Agreement agreement, double[] features, String consulted, boolean consultedRight) {
        /** True if the samples did not all give one meaning. */
        public boolean samplesDisagree() {
            return agreement.clusters() > 1;
        }
    }

    /** Figures on test, the confidence fit on dev. */
    public record Summary(int questions, int disagree, double greedyAccuracy, double consensusAccuracy,
                          double greedyOnDisagree, double consensusOnDisagree, double aurocWithout, double aurocWith,
                          double eceWithout, double eceWith, Reading reading) {}

    /**
     * The reading questions (passage supplied) among them: how many, on how many the samples disagree, and on each
     * set the share right of the greedy answers, the plain consensus and Ponder's consultation.
     */
    public record Reading(int questions, int disagree, double greedy, double consensus, double consulted,
                          double greedyOnDisagree, double consensusOnDisagree, double consultedOnDisagree) {}

    public static List<Item> run(List<EvalQuestion> qs, Drafter drafter, Backend backend, QuestionFormat format, ToolRunner tools,
                                 int k, double temperature, int maxTokens, long seed, Consumer<EvalQuestion> onEach) {
        List<Item> out = new ArrayList<>();
        for (EvalQuestion q : qs) {
            // a reading question's passage is the evidence, as a retrieval pause would have placed it
            List<Passage> evidence = q.passage() == null ? List.of() : List.of(new Passage("passage", "", q.passage(), 0));
            int pause = evidence.isEmpty() ? 0 : 1;
            Drafter.Drafted d = drafter.draft(q.question(), evidence, "", pause, new Trace());
            List<String> samples = new ArrayList<>();
            for (Generation g : backend.sample(format.prompt(q.question(), evidence, ""), k, temperature, maxTokens, format.stop(), seed))
                samples.add(format.answerOf(withToolResult(g.text(), tools)));
            List<String> meanings = samples.stream().map(ConsultEval::meaning).toList();
            Agreement a = Agreement.of(meaning(d.answer()), meanings);
            String consensus = consensus(d.answer(), samples);
            String consulted = drafter.consult(q.question(), evidence, "", d, k, pause, new Trace()).taken().map(Drafter.Drafted::answer).orElse(d.answer());
            out.add(new Item(q, d.answer(), CalibrationFitter.isRight(q, d.answer()), consensus, CalibrationFitter.isRight(q, consensus), a,
                    AnswerFeatures.of(q.question(), d.generation(), d.answer(), d.unknown(), evidence, a, drafter.familiarity(q.question())),
                    consulted, CalibrationFitter.isRight(q, consulted)));
            if (onEach != null) onEach.accept(q);
        }
        return out;
    }

    /** The text a sample means: a tool call is replaced by its exact result (what the runtime would insert). */
    static String withToolResult(String text, ToolRunner tools) {
        if (tools == null) return text;
        Optional<ToolCallParser.Call> c = ToolCallParser.firstCall(text, 0, tools::has);
        if (c.isEmpty()) return text;
        ToolRunner.Output r = tools.run(c.get().tool(), c.get().arguments());
        return text.substring(0, c.get().end()) + r.text();
    }

    /** An answer's meaning for clustering: tool-call markup dropped (the result stays), then normalised. */
    static String meaning(String answer) {
        return Agreement.normalize(answer.replaceAll("<<[^>]*>>", " "));
    }

    /** The most common meaning among the samples and the greedy answer (a tie goes to the greedy answer). */
    static String consensus(String greedy, List<String> samples) {
        Map<String, Integer> votes = new LinkedHashMap<>();
        Map<String, String> text = new LinkedHashMap<>();
        votes.put(meaning(greedy), 1);
        text.put(meaning(greedy), greedy);
        for (String s : samples) {
            votes.merge(meaning(s), 1, Integer::sum);
            text.putIfAbsent(meaning(s), s);
        }
        String best = meaning(greedy);
        for (var e : votes.entrySet()) if (e.getValue() > votes.get(best)) best = e.getKey();
        return text.get(best);
    }

    /** Test figures, the two confidences (without and with the agreement features) fit on {@code dev}. */
    public static Summary summarize(List<Item> dev, List<Item> test) {
        double[] without = confidences(dev, test, true), with = confidences(dev, test, false);
        boolean[] right = new boolean[test.size()];
        int g = 0, c = 0, dis = 0, gd = 0, cd = 0;
        for (int i = 0; i < test.size(); i++) {
            Item it = test.get(i);
            right[i] = it.greedyRight();
            if (it.greedyRight()) g++;
            if (it.consensusRight()) c++;
            if (it.samplesDisagree()) {
                dis++;
                if (it.greedyRight()) gd++;
                if (it.consensusRight()) cd++;
            }
        }
        int n = test.size();
        return new Summary(n, dis, g / (double) n, c / (double) n, dis == 0 ? Double.NaN : gd / (double) dis,
                dis == 0 ? Double.NaN : cd / (double) dis, Metrics.auroc(without, right), Metrics.auroc(with, right),
                Metrics.ece(without, right, Metrics.DEFAULT_BINS), Metrics.ece(with, right, Metrics.DEFAULT_BINS), reading(test));
    }

    /** {@link Reading} over the items whose question supplies a passage. */
    static Reading reading(List<Item> items) {
        int n = 0, dis = 0, g = 0, c = 0, k = 0, gd = 0, cd = 0, kd = 0;
        for (Item it : items) {
            if (it.question().passage() == null) continue;
            n++;
            g += it.greedyRight() ? 1 : 0;
            c += it.consensusRight() ? 1 : 0;
            k += it.consultedRight() ? 1 : 0;
            if (it.samplesDisagree()) {
                dis++;
                gd += it.greedyRight() ? 1 : 0;
                cd += it.consensusRight() ? 1 : 0;
                kd += it.consultedRight() ? 1 : 0;
            }
        }
        double nn = n == 0 ? Double.NaN : n, dd = dis == 0 ? Double.NaN : dis;
        return new Reading(n, dis, g / nn, c / nn, k / nn, gd / dd, cd / dd, kd / dd);
    }

    /** Logistic + isotonic fit on dev (agreement columns zeroed if {@code withoutAgreement}), applied to test. */
    static double[] confidences(List<Item> dev, List<Item> test, boolean withoutAgreement) {
        double[][] x = new double[dev.size()][];
        boolean[] y = new boolean[dev.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = columns(dev.get(i).features(), withoutAgreement);
            y[i] = dev.get(i).greedyRight();
        }
        Logistic m = Logistic.fit(x, y, CalibrationFitter.LAMBDA);
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) p[i] = m.predict(x[i]);
        Isotonic map = Isotonic.fit(p, y);
        double[] out = new double[test.size()];
        for (int i = 0; i < out.length; i++) out[i] = map.apply(m.predict(columns(test.get(i).features(), withoutAgreement)));
        return out;
    }

    private static double[] columns(double[] f, boolean withoutAgreement) {
        double[] c = f.clone();
        if (withoutAgreement) {
            c[AGREEMENT] = 1;
            c[ENTROPY] = 0;
        }
        return c;
    }

    /** The categories consultation is measured on: facts and arithmetic (no library), and reading (its passage supplied). */
    public static final java.util.Set<Category> CATEGORIES = java.util.EnumSet.of(Category.K, Category.U, Category.N, Category.H, Category.A, Category.R);
}
