package dev.ponder.eval;

import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.Checker;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.AnswerFeatures;
import dev.ponder.think.AnswerType;
import dev.ponder.think.Calibration;
import dev.ponder.think.Decomposer;
import dev.ponder.think.Drafter;
import dev.ponder.think.EventCheck;
import dev.ponder.think.Isotonic;
import dev.ponder.think.Logistic;
import dev.ponder.think.Ponder;
import dev.ponder.think.Retriever;
import dev.ponder.think.Trace;
import dev.ponder.think.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Fits a {@link Calibration} on dev questions only.
 *
 * <ol>
 *   <li>Run the controller with every pause forced (never settle early, never abstain) and record each question's
 *       chain of drafts: the fast draft, then one draft after each pause. Ponder's real path is always a prefix of
 *       this chain (the drafts do not depend on the thresholds), so thresholds can be tried on it exactly.</li>
 *   <li>Label each draft right or wrong with the question's checker ({@code unknown} is right only for N) and fit
 *       one logistic model on the fast drafts and one on the drafts with evidence, each followed by an
 *       {@link Isotonic} map from its output to the observed rate of right answers.</li>
 *   <li>Choose the pause, accept and abstain thresholds on a grid of step 1/{@link #GRID}: the most right outcomes
 *       (an abstention is right only on N) minus {@link #RETRIEVAL_COST} per retrieval, subject to a precision on
 *       answered questions of at least the target precision on dev (default {@link #TARGET_PRECISION}), with at
 *       most {@link #MAX_KNOWN_RETRIEVAL} of the known questions reading. The abstain threshold never exceeds the
 *       pause threshold: an answer unsure enough to be withheld is first looked up.</li>
 * </ol>
 */
public final class CalibrationFitter {
    /** Value of one retrieval in right answers (a pause must pay for itself 20 times over). */
    public static final double RETRIEVAL_COST = 0.05;
    /**
     * Default precision on answered dev questions the thresholds must reach: the 0.95 that users are promised. (It
     * was 0.90 while ponder-nano reached 0.95 on dev only by abstaining on almost everything; with the checks of the
     * controller, answer types, events and recomputed calculations, dev reaches it abstaining on 42 %.)
     */
    public static final double TARGET_PRECISION = 0.95;
    /**
     * Largest share of known (K) dev questions that may pause to read: a fact the model knows is answered in one
     * fast pass, and thresholds that send more of them to the library are not considered.
     */
    public static final double MAX_KNOWN_RETRIEVAL = 0.10;
    /** Threshold grid: multiples of 1/GRID. */
    static final int GRID = 40;
    /** L2 strength of the logistic fits. */
    public static final double LAMBDA = 1.0;

    /**
     * One question's forced chain of drafts; {@code hop}: whether each draft after reading names a library
     * document not read yet ({@link Ponder#nextHop}), which keeps a draft that would be withheld pausing;
     * {@code rejected}: whether the controller would not take the draft whatever its confidence (an entity of
     * another class than asked, {@link AnswerType}; a year the evidence gives for another event, {@link EventCheck}). Like a decomposition, a calculation computed again from the
     * model's plain answers ({@link dev.ponder.think.OperandCheck}) is not part of the plain loop the thresholds are fit on.
     */
    public record Chain(EvalQuestion question, List<TraceEvent.Draft> drafts, List<Boolean> right, List<Boolean> hop,
                        List<Boolean> rejected) {
        /** A chain with no draft naming an unread document, and none the controller rejects. */
        public Chain(EvalQuestion question, List<TraceEvent.Draft> drafts, List<Boolean> right) {
            this(question, drafts, right, java.util.Collections.nCopies(drafts.size(), false), java.util.Collections.nCopies(drafts.size(), false));
        }
    }

    /** The fitted calibration and the dev figures that chose it. */
    public record Fit(Calibration calibration, List<Chain> chains, double devAccuracy, double devPrecision,
                      double devRetrievalsPerQuestion, double devAbstention) {}

    private CalibrationFitter() {}

    /** Runs the forced chains on {@code dev}; {@code drafterFor} builds a drafter for a calibration. */
    public static List<Chain> chains(List<EvalQuestion> dev, Function<Calibration, Drafter> drafterFor, Retriever retriever,
                                     int samples, Consumer<EvalQuestion> onEach) {
        Calibration forced = Calibration.fallback().withThresholds(2, 2, 0).withSamples(samples);
        Ponder p = new Ponder(drafterFor.apply(forced), retriever, Ponder.Mode.ANSWER, false); // the plain loop: decomposition builds on its thresholds
        List<Chain> out = new ArrayList<>();
        for (EvalQuestion q : dev) {
            Trace trace = p.answer(q.question()).trace();
            List<TraceEvent.Draft> drafts = decisive(trace);
            List<Boolean> right = new ArrayList<>(), hop = new ArrayList<>(), rejected = new ArrayList<>();
            for (TraceEvent.Draft d : drafts) {
                right.add(isRight(q, d.answer()));
                java.util.Set<String> read = new java.util.HashSet<>();
                for (TraceEvent.Inject in : trace.of(TraceEvent.Inject.class)) if (in.pause() <= d.pause()) read.addAll(in.docIds());
                hop.add(d.pause() > 0 && Ponder.nextHop(retriever, d.answer(), read).isPresent());
                String evidence = "";
                for (TraceEvent.Inject in : trace.of(TraceEvent.Inject.class)) if (in.pause() <= d.pause()) evidence = in.text();
                rejected.add(AnswerType.mismatch(retriever, q.question(), d.answer()).isPresent()
                        || EventCheck.unsupported(q.question(), d.answer(), evidence).isPresent());
            }
            out.add(new Chain(q, drafts, right, hop, rejected));
            if (onEach != null) onEach.accept(q);
        }
        return out;
    }

    /**
     * The drafts the controller decided on, in order: every draft except one a consultation replaced (a draft followed
     * by a {@link TraceEvent.Consult} that took an answer, whose own draft follows). The loop never stops at a
     * replaced draft, so the thresholds are tried on the drafts it does stop at.
     */
    static List<TraceEvent.Draft> decisive(Trace trace) {
        List<TraceEvent> events = trace.events();
        List<TraceEvent.Draft> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!(events.get(i) instanceof TraceEvent.Draft d)) continue;
            boolean replaced = i + 1 < events.size() && events.get(i + 1) instanceof TraceEvent.Consult c && c.chosen() != null;
            if (!replaced) out.add(d);
        }
        return out;
    }

    /** True if {@code answer} is the right answer to {@code q} ({@code unknown} is right only when the gold is unknown). */
    public static boolean isRight(EvalQuestion q, String answer) {
        return Checker.forQuestion(q).accepts(answer);
    }

    /** Fits the models and thresholds on recorded chains, for precision {@link #TARGET_PRECISION}. */
    public static Fit fit(List<Chain> chains, int samples, String note) {
        return fit(chains, samples, note, TARGET_PRECISION);
    }

    /** Fits the models and thresholds on recorded chains, for precision {@code targetPrecision} on answered dev questions. */
    public static Fit fit(List<Chain> chains, int samples, String note, double targetPrecision) {
        List<double[]> fx = new ArrayList<>(), rx = new ArrayList<>();
        List<Boolean> fy = new ArrayList<>(), ry = new ArrayList<>();
        for (Chain c : chains) {
            for (int i = 0; i < c.drafts().size(); i++) {
                TraceEvent.Draft d = c.drafts().get(i);
                (i == 0 ? fx : rx).add(d.features());
                (i == 0 ? fy : ry).add(c.right().get(i));
            }
        }
        Logistic fast = Logistic.fit(fx.toArray(double[][]::new), toArray(fy), LAMBDA);
        Logistic read = Logistic.fit(rx.toArray(double[][]::new), toArray(ry), LAMBDA);
        Isotonic fastMap = Isotonic.fit(predict(fast, fx), toArray(fy));
        Isotonic readMap = Isotonic.fit(predict(read, rx), toArray(ry));
        Calibration base = new Calibration(fast, read, fastMap, readMap, 0.5, 0.5, 0.5, samples, AnswerFeatures.NAMES, note);

        // confidences of every draft under the fitted models
        List<double[]> conf = new ArrayList<>();
        for (Chain c : chains) {
            double[] cs = new double[c.drafts().size()];
            for (int i = 0; i < cs.length; i++) cs[i] = base.confidence(c.drafts().get(i).features(), i > 0);
            conf.add(cs);
        }
        // the precision target, relaxed in steps of one point only if no setting that answers anything reaches it
        double[] best = null;
        double[] bestFigures = null;
        // (and, if even that finds none, without the bound on known questions reading)
        for (int pass = 0; pass < 2 * 51 && best == null; pass++) {
            double target = targetPrecision - (pass % 51) * 0.01;
            double knownBound = pass < 51 ? MAX_KNOWN_RETRIEVAL : 1;
            if (!(target > 0.5)) continue;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int p = 1; p < GRID; p++) {
                for (int a = 1; a < GRID; a++) {
                    for (int b = 0; b <= p; b++) {
                        double tp = p / (double) GRID, ta = a / (double) GRID, tb = b / (double) GRID;
                        double[] f = simulate(chains, conf, tp, ta, tb);
                        if (f[3] >= 1 || f[1] < target - 1e-12 || f[4] > knownBound + 1e-12) continue;
                        double score = f[0] * chains.size() - RETRIEVAL_COST * f[2] * chains.size();
                        if (score > bestScore + 1e-9) {
                            bestScore = score;
                            best = new double[] {tp, ta, tb};
                            bestFigures = f;
                        }
                    }
                }
            }
        }
        if (best == null) {
            best = new double[] {0.5, 0.5, 0.5}; // unreachable in practice: abstaining on everything scores on N
            bestFigures = simulate(chains, conf, 0.5, 0.5, 0.5);
        }
        Calibration cal = base.withThresholds(best[0], best[1], best[2]);
        return new Fit(cal, chains, bestFigures[0], bestFigures[1], bestFigures[2], bestFigures[3]);
    }

    /**
     * The map for the confidence Ponder ends a question with: Ponder (abstaining, as evaluated) under
     * {@code drafter}'s calibration answers every dev question; its final confidence and whether the draft it is
     * about is right ("unknown" only on N) are fit by an isotonic map. The checks the controller runs after the
     * drafts (answer types, events, recomputed calculations) make the answers it keeps right more often than their
     * drafts' confidence says. Null for fewer than {@link #MIN_DECOMPOSED} dev questions.
     */
    public static Isotonic fitFinal(List<EvalQuestion> dev, Drafter drafter, Retriever retriever) {
        Ponder p = new Ponder(drafter, retriever, Ponder.Mode.ABSTAIN, true);
        List<Double> conf = new ArrayList<>();
        List<Boolean> right = new ArrayList<>();
        for (EvalQuestion q : dev) {
            dev.ponder.think.Result r = p.answer(q.question());
            List<TraceEvent.Draft> drafts = r.trace().of(TraceEvent.Draft.class);
            conf.add(r.confidence());
            right.add(drafts.isEmpty() ? false : isRight(q, drafts.getLast().answer()));
        }
        if (conf.size() < MIN_DECOMPOSED) return null;
        return Isotonic.fit(conf.stream().mapToDouble(Double::doubleValue).toArray(), toArray(right));
    }

    /** Fewest decomposed dev answers a map for them is fit on (fewer: the product is used as it is). */
    static final int MIN_DECOMPOSED = 10;

    /**
     * The map for decomposed answers: Ponder (decomposing, answering when unsure) under {@code drafter}'s
     * calibration answers every dev question; each answer it composed from sub-answers and adopted (a split by the
     * {@link Decomposer}, or a calculation computed again from the model's plain answers, {@link dev.ponder.think.OperandCheck})
     * gives its product of confidences and whether that answer is right; an isotonic map is fit on them.
     * Null when there are fewer than {@link #MIN_DECOMPOSED}.
     */
    public static Isotonic fitDecomposed(List<EvalQuestion> dev, Drafter drafter, Retriever retriever) {
        Ponder p = new Ponder(drafter, retriever, Ponder.Mode.ANSWER, true);
        List<Double> products = new ArrayList<>();
        List<Boolean> right = new ArrayList<>();
        for (EvalQuestion q : dev) {
            for (TraceEvent.Draft d : p.answer(q.question()).trace().of(TraceEvent.Draft.class)) {
                if (d.pause() == 0 || !d.tokens().isEmpty()) continue; // only the combined answer has no tokens
                products.add(d.confidence());
                right.add(isRight(q, d.answer()));
            }
        }
        if (products.size() < MIN_DECOMPOSED) return null;
        return Isotonic.fit(products.stream().mapToDouble(Double::doubleValue).toArray(), toArray(right));
    }

    /**
     * Replays the controller on the chains with thresholds pause {@code tp}, accept {@code ta}, abstain
     * {@code tb}; returns {accuracy, precision on answered, retrievals per question, abstention rate, share of K questions that read}.
     */
    static double[] simulate(List<Chain> chains, List<double[]> conf, double tp, double ta, double tb) {
        int right = 0, answered = 0, answeredRight = 0, retrievals = 0, abstained = 0, known = 0, knownRead = 0;
        for (int k = 0; k < chains.size(); k++) {
            Chain c = chains.get(k);
            double[] cs = conf.get(k);
            int last = 0;
            boolean settled = cs[0] >= Math.max(tp, tb) && !unknown(c, 0) && !c.rejected().get(0);
            while (!settled && last + 1 < cs.length) {
                last++;
                settled = Ponder.settled(cs[last], unknown(c, last), c.hop().get(last), c.rejected().get(last), ta, tb);
            }
            retrievals += last;
            if (c.question().category() == Category.K) {
                known++;
                if (last > 0) knownRead++;
            }
            boolean abstain = unknown(c, last) || c.rejected().get(last) || cs[last] < tb;
            boolean gold = c.question().category() == Category.N;
            if (abstain) {
                abstained++;
                if (gold) right++;
            } else {
                answered++;
                if (c.right().get(last) && !gold) { right++; answeredRight++; }
            }
        }
        int n = chains.size();
        return new double[] {right / (double) n, answered == 0 ? 1 : answeredRight / (double) answered, retrievals / (double) n, abstained / (double) n,
                known == 0 ? 0 : knownRead / (double) known};
    }

    private static boolean unknown(Chain c, int i) {
        return c.drafts().get(i).answer().strip().equalsIgnoreCase("unknown");
    }

    private static double[] predict(Logistic m, List<double[]> x) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) out[i] = m.predict(x.get(i));
        return out;
    }

    private static boolean[] toArray(List<Boolean> l) {
        boolean[] out = new boolean[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i);
        return out;
    }
}
