package dev.ponder.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Evaluation metrics over per-question outcomes: discrimination (AUROC), calibration (ECE, reliability bins),
 * selective prediction (risk–coverage, AURC) and a per-category summary of accuracy and cost.
 *
 * <p>Every function is plain double arithmetic over arrays of the same length; scores and confidences must
 * not be NaN (a method without confidences gets NaN calibration figures from {@link #summary}, never an
 * exception).
 */
public final class Metrics {
    /** Number of equal-width confidence bins {@link #summary} uses for ECE. */
    public static final int DEFAULT_BINS = 10;
    /** The label {@link #summary} gives the row over every question. */
    public static final String ALL = "all";
    /** Category order of the world's eval sets; other labels follow alphabetically. */
    public static final List<String> CATEGORY_ORDER = List.of("K", "U", "N", "H", "A", "C", "R");

    private Metrics() {}

    /** One equal-width confidence bin: its range, how many answers fell in it, their mean confidence and accuracy (NaN when empty). */
    public record Bin(double lo, double hi, int count, double meanConf, double accuracy) {}

    /** One point of a risk–coverage curve: the fraction of questions answered and the error rate among them. */
    public record Point(double coverage, double risk) {}

    /**
     * Calibration and ranking quality over {@code n} outcomes. NaN when the outcomes lack confidences (or
     * {@code n == 0}); AUROC is also NaN when every outcome is right or every one is wrong.
     *
     * @param n     outcomes the figures are computed over
     * @param auroc {@link #auroc} of confidence against correctness
     * @param ece   {@link #ece} with {@link #DEFAULT_BINS} bins
     * @param aurc  {@link #aurc}
     * @param eaurc excess AURC: {@code aurc - aurcOptimal}, 0 for a perfect ranking
     */
    public record Calibration(int n, double auroc, double ece, double aurc, double eaurc) {
        static final Calibration NONE = new Calibration(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * Accuracy and cost of one method on one category (or on {@link #ALL} questions).
     *
     * @param category            category label, or {@link #ALL}
     * @param questions           outcomes counted
     * @param accuracy            correct / questions (a correct abstention on N counts as correct)
     * @param answered            outcomes that did not abstain
     * @param precision           correct among answered / answered; NaN when nothing was answered
     * @param abstentionRate      abstained / questions
     * @param meanRetrievals      retrieval calls per question
     * @param meanRetrievedTokens retrieved tokens per question
     * @param meanGeneratedTokens generated tokens per question
     * @param meanPauses          pauses per question
     * @param meanLatencyMs       mean wall time per question
     * @param p50LatencyMs        median wall time ({@link #percentile} 50)
     * @param p95LatencyMs        95th percentile wall time
     * @param answeredOnly        calibration over answered outcomes only (abstentions left out)
     * @param allQuestions        calibration over every outcome, an abstention counting as confidence 0
     */
    public record Summary(String category, int questions, double accuracy, int answered, double precision,
            double abstentionRate, double meanRetrievals, double meanRetrievedTokens, double meanGeneratedTokens,
            double meanPauses, double meanLatencyMs, double p50LatencyMs, double p95LatencyMs,
            Calibration answeredOnly, Calibration allQuestions, Calibration drafts) {}

    // ---- discrimination -------------------------------------------------------------------------------

    /**
     * Area under the ROC curve of {@code scores} for telling {@code true} labels from {@code false} ones:
     * the probability that a random positive scores above a random negative, ties counting half. Computed
     * with the Mann–Whitney statistic: {@code (R+ - n+(n+ + 1)/2) / (n+ n-)}, where {@code R+} is the sum of
     * the (tie-averaged) ascending ranks of the positives.
     *
     * @return AUROC in [0, 1]; NaN when either class is empty
     */
    public static double auroc(double[] scores, boolean[] labels) {
        check(scores, labels);
        int n = scores.length, pos = 0;
        for (boolean l : labels) if (l) pos++;
        int neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        Integer[] order = ascending(scores);
        double rankSumPos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double midRank = (i + j) / 2.0 + 1; // ranks are 1-based; a tie group shares the mean of its ranks
            for (int k = i; k <= j; k++) if (labels[order[k]]) rankSumPos += midRank;
            i = j + 1;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    // ---- calibration ----------------------------------------------------------------------------------

    /**
     * Reliability bins: {@code bins} equal-width intervals of [0, 1], bin {@code b} holding confidences in
     * {@code [b/bins, (b+1)/bins)} (the last bin also holds 1). Empty bins are kept, with NaN mean and accuracy.
     */
    public static List<Bin> reliability(double[] conf, boolean[] correct, int bins) {
        check(conf, correct);
        if (bins < 1) throw new IllegalArgumentException("bins must be at least 1: " + bins);
        int[] count = new int[bins], right = new int[bins];
        double[] confSum = new double[bins];
        for (int i = 0; i < conf.length; i++) {
            double c = conf[i];
            if (!(c >= 0 && c <= 1)) throw new IllegalArgumentException("confidence outside [0, 1]: " + c);
            int b = Math.min(bins - 1, (int) (c * bins));
            count[b]++;
            confSum[b] += c;
            if (correct[i]) right[b]++;
        }
        List<Bin> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            double mean = count[b] == 0 ? Double.NaN : confSum[b] / count[b];
            double acc = count[b] == 0 ? Double.NaN : (double) right[b] / count[b];
            out.add(new Bin((double) b / bins, (double) (b + 1) / bins, count[b], mean, acc));
        }
        return out;
    }

    /**
     * Expected calibration error over equal-width bins: {@code sum_b (n_b / n) * |accuracy_b - meanConf_b|},
     * bins as in {@link #reliability}. 0 for a perfectly calibrated method.
     *
     * @return ECE in [0, 1]; NaN when there are no outcomes
     */
    public static double ece(double[] conf, boolean[] correct, int bins) {
        if (conf.length == 0) return Double.NaN;
        double e = 0;
        for (Bin b : reliability(conf, correct, bins))
            if (b.count() > 0) e += (double) b.count() / conf.length * Math.abs(b.accuracy() - b.meanConf());
        return e;
    }

    // ---- selective prediction -------------------------------------------------------------------------

    /**
     * Risk–coverage curve: answer the most confident questions first and, after each step, record the
     * fraction answered (coverage) and the fraction of those that are wrong (risk). Questions with equal
     * confidence cannot be told apart, so they are admitted together in one step. The last point has
     * coverage 1 and the overall error rate as its risk. Empty input gives an empty curve.
     */
    public static List<Point> riskCoverage(double[] conf, boolean[] correct) {
        check(conf, correct);
        int n = conf.length;
        Integer[] order = descending(conf);
        List<Point> out = new ArrayList<>();
        int errors = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && conf[order[j]] == conf[order[i]]) {
                if (!correct[order[j]]) errors++;
                j++;
            }
            out.add(new Point((double) j / n, (double) errors / j));
            i = j;
        }
        return out;
    }

    /**
     * Area under the risk–coverage curve (Geifman &amp; El-Yaniv): the mean, over coverage levels
     * {@code k/n} for {@code k = 1..n}, of the risk when answering the {@code k} most confident questions.
     * Within a group of equal confidences the order is unknown, so each level inside the group takes the
     * expected risk over the group's orderings: after {@code j} of its {@code g} members, with {@code e}
     * errors in the group and {@code E} before it, the risk is {@code (E + j e / g) / k}. Lower is better.
     *
     * @return AURC in [0, 1]; NaN when there are no outcomes
     */
    public static double aurc(double[] conf, boolean[] correct) {
        check(conf, correct);
        int n = conf.length;
        if (n == 0) return Double.NaN;
        Integer[] order = descending(conf);
        double sum = 0;
        int before = 0; // errors among the groups already admitted
        for (int i = 0; i < n; ) {
            int j = i, groupErrors = 0;
            while (j < n && conf[order[j]] == conf[order[i]]) {
                if (!correct[order[j]]) groupErrors++;
                j++;
            }
            int g = j - i;
            for (int m = 1; m <= g; m++) sum += (before + (double) m * groupErrors / g) / (i + m);
            before += groupErrors;
            i = j;
        }
        return sum / n;
    }

    /**
     * The smallest AURC any confidence could reach on these outcomes: every right answer ranked above every
     * wrong one. With {@code n} outcomes of which {@code e} are wrong: {@code (1/n) sum_{k=n-e+1..n} (k-n+e)/k}.
     */
    public static double aurcOptimal(boolean[] correct) {
        int n = correct.length, e = 0;
        if (n == 0) return Double.NaN;
        for (boolean c : correct) if (!c) e++;
        double sum = 0;
        for (int k = n - e + 1; k <= n; k++) sum += (double) (k - n + e) / k;
        return sum / n;
    }

    // ---- from outcomes --------------------------------------------------------------------------------

    /** Which outcomes a calibration figure covers. */
    public enum View {
        /** Answered outcomes only; abstentions are left out. */
        ANSWERED_ONLY,
        /** Every outcome; an abstention counts as confidence 0 and keeps its correctness (right on N). */
        ALL_QUESTIONS,
        /**
         * Every outcome, the confidence against the correctness of the draft it is about, whether the method then
         * answered or abstained: how well the confidence itself separates right from wrong answers.
         */
        DRAFTS
    }

    /** Parallel arrays of confidences and correctness, ready for the functions above. */
    public record Confidences(double[] conf, boolean[] correct) {}

    /**
     * The confidences and correctness of {@code outcomes} under {@code view}; empty when an outcome the view
     * covers has no confidence (NaN), so that a method without confidences never gets half-made figures.
     */
    public static Optional<Confidences> confidences(List<Outcome> outcomes, View view) {
        List<Outcome> os = view == View.ANSWERED_ONLY ? outcomes.stream().filter(o -> !o.abstained()).toList() : outcomes;
        double[] conf = new double[os.size()];
        boolean[] ok = new boolean[os.size()];
        for (int i = 0; i < os.size(); i++) {
            Outcome o = os.get(i);
            conf[i] = view == View.ALL_QUESTIONS && o.abstained() ? 0 : o.confidence();
            if (Double.isNaN(conf[i])) return Optional.empty();
            ok[i] = view == View.DRAFTS ? o.draftCorrect() : o.correct();
        }
        return Optional.of(new Confidences(conf, ok));
    }

    // ---- summary --------------------------------------------------------------------------------------

    /**
     * Linear-interpolation percentile ({@code p} in [0, 100]) of {@code values}: the value at fractional
     * position {@code (n-1) p / 100} of the sorted values. NaN for no values.
     */
    public static double percentile(double[] values, double p) {
        if (!(p >= 0 && p <= 100)) throw new IllegalArgumentException("percentile outside [0, 100]: " + p);
        if (values.length == 0) return Double.NaN;
        double[] s = values.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * p / 100;
        int lo = (int) Math.floor(h), hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    /**
     * Summary per category (in {@link #CATEGORY_ORDER}, then other labels alphabetically) and over all
     * outcomes (key {@link #ALL}, last). Each row carries two calibration views: {@code answeredOnly}
     * (abstentions left out) and {@code allQuestions} (an abstention counts as confidence 0, keeping its
     * correctness). Either is NaN when an outcome it covers has no confidence.
     */
    public static Map<String, Summary> summary(List<Outcome> outcomes) {
        TreeSet<String> cats = new TreeSet<>(categoryOrder());
        for (Outcome o : outcomes) cats.add(o.category());
        Map<String, Summary> out = new LinkedHashMap<>();
        for (String c : cats) {
            List<Outcome> sub = outcomes.stream().filter(o -> o.category().equals(c)).toList();
            out.put(c, summarize(c, sub));
        }
        out.put(ALL, summarize(ALL, outcomes));
        return out;
    }

    /** Orders category labels: those of {@link #CATEGORY_ORDER} first, in that order, then the rest alphabetically. */
    public static Comparator<String> categoryOrder() {
        return Comparator.comparingInt((String c) -> {
            int i = CATEGORY_ORDER.indexOf(c);
            return i < 0 ? CATEGORY_ORDER.size() : i;
        }).thenComparing(Comparator.naturalOrder());
    }

    private static Summary summarize(String category, List<Outcome> os) {
        int n = os.size(), right = 0, answered = 0, answeredRight = 0;
        long retrievals = 0, retrieved = 0, generated = 0, pauses = 0;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            Outcome o = os.get(i);
            if (o.correct()) right++;
            if (!o.abstained()) {
                answered++;
                if (o.correct()) answeredRight++;
            }
            retrievals += o.retrievals();
            retrieved += o.retrievedTokens();
            generated += o.generatedTokens();
            pauses += o.pauses();
            ms[i] = o.nanos() / 1e6;
        }
        double sumMs = 0;
        for (double m : ms) sumMs += m;
        return new Summary(category, n, ratio(right, n), answered, ratio(answeredRight, answered), ratio(n - answered, n),
                ratio(retrievals, n), ratio(retrieved, n), ratio(generated, n), ratio(pauses, n), n == 0 ? Double.NaN : sumMs / n,
                percentile(ms, 50), percentile(ms, 95),
                calibration(os, View.ANSWERED_ONLY), calibration(os, View.ALL_QUESTIONS), calibration(os, View.DRAFTS));
    }

    private static Calibration calibration(List<Outcome> os, View view) {
        Optional<Confidences> c = confidences(os, view);
        int n = view != View.ANSWERED_ONLY ? os.size() : (int) os.stream().filter(o -> !o.abstained()).count();
        if (n == 0) return Calibration.NONE;
        if (c.isEmpty()) return new Calibration(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double[] conf = c.get().conf();
        boolean[] ok = c.get().correct();
        double aurc = aurc(conf, ok);
        return new Calibration(n, auroc(conf, ok), ece(conf, ok, DEFAULT_BINS), aurc, aurc - aurcOptimal(ok));
    }

    private static double ratio(double num, int den) {
        return den == 0 ? Double.NaN : num / den;
    }

    private static void check(double[] values, boolean[] labels) {
        if (values.length != labels.length)
            throw new IllegalArgumentException("lengths differ: " + values.length + " values, " + labels.length + " labels");
        for (double v : values) if (Double.isNaN(v)) throw new IllegalArgumentException("NaN score or confidence");
    }

    private static Integer[] ascending(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        return idx;
    }

    private static Integer[] descending(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(v[b], v[a]));
        return idx;
    }
}
