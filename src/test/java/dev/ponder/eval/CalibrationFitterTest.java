package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.AnswerFeatures;
import dev.ponder.think.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationFitterTest {
    static double[] features(double firstLogprob, boolean unknown, int passages) {
        double[] x = new double[AnswerFeatures.NAMES.size()];
        x[0] = firstLogprob;
        x[1] = firstLogprob;
        x[2] = firstLogprob;
        x[6] = unknown ? 1 : 0;
        x[9] = passages;
        x[10] = 1;
        return x;
    }

    static TraceEvent.Draft draft(int pause, String answer, double lp) {
        return new TraceEvent.Draft(pause, answer, List.of(), 0, features(lp, answer.equals("unknown"), pause), 0, 0);
    }

    /**
     * Known questions: a sure, right fast draft. Unknown ones: an unsure wrong fast draft, then a sure right
     * one after reading. Unanswerable ones: unsure wrong drafts, the reader says unknown.
     */
    static List<CalibrationFitter.Chain> chains(long seed) {
        Random r = new Random(seed);
        List<CalibrationFitter.Chain> out = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            EvalQuestion k = new EvalQuestion("K" + i, Category.K, "q", List.of("a"), List.of(), null, null, null);
            boolean right = r.nextDouble() < 0.9;
            out.add(new CalibrationFitter.Chain(k, List.of(draft(0, right ? "a" : "b", right ? -0.05 : -0.4)), List.of(right)));
            EvalQuestion u = new EvalQuestion("U" + i, Category.U, "q", List.of("a"), List.of(), null, null, null);
            out.add(new CalibrationFitter.Chain(u, List.of(draft(0, "b", -2 - r.nextDouble()), draft(1, "a", -0.02)), List.of(false, true)));
            EvalQuestion n = new EvalQuestion("N" + i, Category.N, "q", List.of("unknown"), List.of(), null, null, null);
            out.add(new CalibrationFitter.Chain(n, List.of(draft(0, "c", -2.5 - r.nextDouble()), draft(1, "unknown", -0.1)), List.of(false, true)));
        }
        return out;
    }

    @Test
    void atMostATenthOfTheKnownQuestionsRead() {
        // a third of the known questions have an unsure fast draft, right half of the time, that reading always
        // puts right: pausing on them would pay, but sends a third of the known questions to the library
        Random r = new Random(3);
        List<CalibrationFitter.Chain> chains = new ArrayList<>(chains(2));
        for (int i = 0; i < 30; i++) {
            EvalQuestion k = new EvalQuestion("Kx" + i, Category.K, "q", List.of("a"), List.of(), null, null, null);
            boolean right = i % 2 == 0;
            chains.add(new CalibrationFitter.Chain(k, List.of(draft(0, right ? "a" : "b", -1.0 - 0.1 * r.nextDouble()), draft(1, "a", -0.02)),
                    List.of(right, true)));
        }
        CalibrationFitter.Fit fit = CalibrationFitter.fit(chains, 0, "synthetic");
        List<double[]> conf = new ArrayList<>();
        for (CalibrationFitter.Chain c : chains) {
            double[] cs = new double[c.drafts().size()];
            for (int i = 0; i < cs.length; i++) cs[i] = fit.calibration().confidence(c.drafts().get(i).features(), i > 0);
            conf.add(cs);
        }
        double[] f = CalibrationFitter.simulate(chains, conf, fit.calibration().pauseBelow(), fit.calibration().acceptAbove(),
                fit.calibration().abstainBelow());
        assertEquals(0.10, CalibrationFitter.MAX_KNOWN_RETRIEVAL);
        assertTrue(f[4] <= 0.10 + 1e-12, "share of known questions reading: " + f[4]);
        // without the bound the same chains would read on all of them: the bound is what holds it
        double[] pauseAll = CalibrationFitter.simulate(chains, conf, 0.99, fit.calibration().acceptAbove(), 0);
        assertTrue(pauseAll[4] > 0.3, "reading every unsure known question: " + pauseAll[4]);
    }

    @Test
    void theReplayKeepsPausingWhereAWithheldDraftNamesAnUnreadDocument() {
        EvalQuestion h = new EvalQuestion("H1", Category.H, "q", List.of("a"), List.of(), null, null, null);
        List<TraceEvent.Draft> drafts = List.of(draft(0, "b", -2), draft(1, "City", -1), draft(2, "a", -0.05));
        double[] conf = {0.1, 0.35, 0.95};
        CalibrationFitter.Chain hop = new CalibrationFitter.Chain(h, drafts, List.of(false, false, true), List.of(false, true, false),
                List.of(false, false, false));
        CalibrationFitter.Chain plain = new CalibrationFitter.Chain(h, drafts, List.of(false, false, true));
        // pause below 0.5, accept from 0.2, abstain below 0.5: the plain chain stops at 0.35 and abstains
        double[] withHop = CalibrationFitter.simulate(List.of(hop), List.of(conf), 0.5, 0.2, 0.5);
        double[] without = CalibrationFitter.simulate(List.of(plain), List.of(conf), 0.5, 0.2, 0.5);
        assertEquals(1.0, withHop[0], 1e-12, "right after the second hop");
        assertEquals(2.0, withHop[2], 1e-12, "two retrievals");
        assertEquals(0.0, without[0], 1e-12);
        assertEquals(1.0, without[2], 1e-12);
        assertEquals(1.0, without[3], 1e-12, "abstained");
    }

    @Test
    void fitsThresholdsThatPauseForTheUnknownAndAbstainOnTheUnanswerable() {
        CalibrationFitter.Fit fit = CalibrationFitter.fit(chains(1), 0, "synthetic");
        assertTrue(fit.devPrecision() >= CalibrationFitter.TARGET_PRECISION, "precision " + fit.devPrecision());
        // U and N pause once each, K never (its drafts are sure): 2/3 retrieval per question
        assertEquals(2 / 3.0, fit.devRetrievalsPerQuestion(), 0.02);
        assertTrue(fit.devAccuracy() > 0.9, "accuracy " + fit.devAccuracy());
        double lo = fit.calibration().confidence(features(-2.5, false, 0), false);
        double hi = fit.calibration().confidence(features(-0.05, false, 0), false);
        assertTrue(lo < fit.calibration().pauseBelow() && hi > lo, lo + " vs " + hi);
    }

    @Test
    void aDraftAConsultationReplacedIsNotOneTheLoopDecidesOn() {
        dev.ponder.think.Trace t = new dev.ponder.think.Trace();
        t.add(new TraceEvent.Draft(0, "Vunlis", List.of(), 0.1, null, 0, 0));
        t.add(new TraceEvent.Draft(1, "Voltes Textiles", List.of(), 0.2, null, 0, 0));
        t.add(new TraceEvent.Consult(1, "not in the passages", 16, 16, List.of(new TraceEvent.Vote("Volus Textiles", 1)), "Volus Textiles"));
        t.add(new TraceEvent.Draft(1, "Volus Textiles", List.of(), 0.9, null, 0, 0));
        t.add(new TraceEvent.Draft(2, "Kelra Group", List.of(), 0.3, null, 0, 0));
        t.add(new TraceEvent.Consult(2, "not in the passages", 16, 16, List.of(), null)); // nothing taken: the draft stays
        assertEquals(List.of("Vunlis", "Volus Textiles", "Kelra Group"),
                CalibrationFitter.decisive(t).stream().map(TraceEvent.Draft::answer).toList());
    }
}
