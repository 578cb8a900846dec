package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {
    static final double EPS = 1e-12;
    static final boolean T = true, F = false;

    @Test
    void aurocOfPerfectInvertedAndTiedScores() {
        boolean[] labels = {F, F, T, T};
        assertEquals(1.0, Metrics.auroc(new double[] {0.1, 0.2, 0.8, 0.9}, labels), EPS);
        assertEquals(0.0, Metrics.auroc(new double[] {0.9, 0.8, 0.2, 0.1}, labels), EPS);
        assertEquals(0.5, Metrics.auroc(new double[] {0.4, 0.4, 0.4, 0.4}, labels), EPS);
    }

    @Test
    void aurocCountsATieHalf() {
        // positives {0.5, 0.9} against negatives {0.1, 0.5}: 1 + 0.5 + 1 + 1 of 4 pairs
        assertEquals(0.875, Metrics.auroc(new double[] {0.1, 0.5, 0.5, 0.9}, new boolean[] {F, T, F, T}), EPS);
    }

    @Test
    void aurocIsNaNWithOneClassEmpty() {
        assertTrue(Double.isNaN(Metrics.auroc(new double[] {0.1, 0.9}, new boolean[] {T, T})));
        assertTrue(Double.isNaN(Metrics.auroc(new double[] {0.1, 0.9}, new boolean[] {F, F})));
        assertTrue(Double.isNaN(Metrics.auroc(new double[0], new boolean[0])));
    }

    @Test
    void aurocMatchesPairCounting() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(60);
            double[] s = new double[n];
            boolean[] l = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(8) / 8.0; // coarse, so many ties
                l[i] = r.nextDouble() < s[i] * 0.7 + 0.15;
            }
            double wins = 0;
            int pairs = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (l[i] && !l[j]) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
            double expect = pairs == 0 ? Double.NaN : wins / pairs;
            assertEquals(expect, Metrics.auroc(s, l), 1e-12, "trial " + trial);
        }
    }

    @Test
    void eceOfTwoBinsByHand() {
        // bin [0, 0.5): conf 0.2, 0.3 (mean 0.25), one right of two (0.5) -> |0.5 - 0.25| * 2/4 = 0.125
        // bin [0.5, 1]: conf 0.8, 0.9 (mean 0.85), both right (1.0)       -> |1.0 - 0.85| * 2/4 = 0.075
        double[] conf = {0.2, 0.3, 0.8, 0.9};
        boolean[] ok = {F, T, T, T};
        assertEquals(0.2, Metrics.ece(conf, ok, 2), EPS);
        assertEquals(0.0, Metrics.ece(new double[] {0.5, 0.5}, new boolean[] {T, F}, 10), EPS);
        assertTrue(Double.isNaN(Metrics.ece(new double[0], new boolean[0], 10)));
    }

    @Test
    void reliabilityBinsAreEqualWidthAndKeepEmptyOnes() {
        List<Metrics.Bin> bins = Metrics.reliability(new double[] {0.0, 0.5, 1.0, 0.74}, new boolean[] {F, T, T, F}, 4);
        assertEquals(4, bins.size());
        assertEquals(new Metrics.Bin(0.0, 0.25, 1, 0.0, 0.0), bins.get(0));
        assertEquals(0, bins.get(1).count());
        assertTrue(Double.isNaN(bins.get(1).accuracy()) && Double.isNaN(bins.get(1).meanConf()));
        assertEquals(new Metrics.Bin(0.5, 0.75, 2, 0.62, 0.5), bins.get(2), "0.5 opens the third bin");
        assertEquals(new Metrics.Bin(0.75, 1.0, 1, 1.0, 1.0), bins.get(3), "1.0 belongs to the last bin");
        assertThrows(IllegalArgumentException.class, () -> Metrics.reliability(new double[] {1.2}, new boolean[] {T}, 4));
    }

    @Test
    void riskCoverageAdmitsTiesInOneStepAndEndsAtTheOverallRisk() {
        double[] conf = {0.5, 0.9, 0.1, 0.5};
        boolean[] ok = {F, T, F, T};
        assertEquals(List.of(new Metrics.Point(0.25, 0.0), new Metrics.Point(0.75, 1.0 / 3), new Metrics.Point(1.0, 0.5)),
                Metrics.riskCoverage(conf, ok));
        Random r = new Random(3);
        double[] c = new double[37];
        boolean[] y = new boolean[37];
        int wrong = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextInt(5) / 4.0;
            y[i] = r.nextBoolean();
            if (!y[i]) wrong++;
        }
        List<Metrics.Point> curve = Metrics.riskCoverage(c, y);
        Metrics.Point last = curve.get(curve.size() - 1);
        assertEquals(1.0, last.coverage(), EPS);
        assertEquals(wrong / 37.0, last.risk(), EPS);
        assertTrue(curve.size() <= 5, "one step per distinct confidence");
        assertEquals(List.of(), Metrics.riskCoverage(new double[0], new boolean[0]));
    }

    @Test
    void aurcOfAPerfectRankingIsTheKnownMinimum() {
        // 5 outcomes, 2 wrong, ranked last: risks 0, 0, 0, 1/4, 2/5 -> mean 0.13
        double[] conf = {0.9, 0.8, 0.7, 0.2, 0.1};
        boolean[] ok = {T, T, T, F, F};
        assertEquals(0.13, Metrics.aurc(conf, ok), EPS);
        assertEquals(0.13, Metrics.aurcOptimal(ok), EPS);
        // the worst ranking: wrong ones first -> risks 1, 1, 2/3, 2/4, 2/5
        double worst = (1 + 1 + 2.0 / 3 + 0.5 + 0.4) / 5;
        assertEquals(worst, Metrics.aurc(new double[] {0.1, 0.2, 0.7, 0.8, 0.9}, ok), EPS);
        assertEquals(0.0, Metrics.aurc(conf, new boolean[] {T, T, T, T, T}), EPS);
    }

    @Test
    void aurcTakesTheExpectedRiskInsideATieGroup() {
        // conf 0.9 right, then a tie {0.5 wrong, 0.5 right}, then 0.1 wrong:
        // k=1: 0; k=2: (0 + 1/2)/2 = 0.25; k=3: 1/3; k=4: 2/4
        double[] conf = {0.5, 0.9, 0.1, 0.5};
        boolean[] ok = {F, T, F, T};
        assertEquals((0 + 0.25 + 1.0 / 3 + 0.5) / 4, Metrics.aurc(conf, ok), EPS);
        // all tied: the expected risk is the overall error rate at every coverage
        assertEquals(0.4, Metrics.aurc(new double[5], new boolean[] {T, F, T, F, T}), EPS);
    }

    @Test
    void aurcWithTiesEqualsTheMeanOverAllTieBreakings() {
        double[] conf = {0.7, 0.7, 0.7, 0.3, 0.3, 0.9};
        boolean[] ok = {F, T, F, T, F, T};
        // enumerate every order of the items that respects confidence (ties broken every way), untied AURC each
        List<int[]> orders = new ArrayList<>();
        permute(new int[] {0, 1, 2, 3, 4, 5}, 0, orders);
        double sum = 0;
        int count = 0;
        for (int[] p : orders) {
            boolean sorted = true;
            for (int i = 1; i < p.length; i++) sorted &= conf[p[i - 1]] >= conf[p[i]];
            if (!sorted) continue;
            int errors = 0;
            double area = 0;
            for (int k = 0; k < p.length; k++) {
                if (!ok[p[k]]) errors++;
                area += (double) errors / (k + 1);
            }
            sum += area / p.length;
            count++;
        }
        assertEquals(12, count, "3! * 2! tie-breakings");
        assertEquals(sum / count, Metrics.aurc(conf, ok), 1e-12);
    }

    private static void permute(int[] a, int k, List<int[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            int t = a[k]; a[k] = a[i]; a[i] = t;
            permute(a, k + 1, out);
            t = a[k]; a[k] = a[i]; a[i] = t;
        }
    }

    @Test
    void percentileInterpolatesLinearly() {
        double[] v = {4, 1, 3, 2};
        assertEquals(2.5, Metrics.percentile(v, 50), EPS);
        assertEquals(3.85, Metrics.percentile(v, 95), EPS);
        assertEquals(1, Metrics.percentile(v, 0), EPS);
        assertEquals(4, Metrics.percentile(v, 100), EPS);
        assertEquals(7, Metrics.percentile(new double[] {7}, 95), EPS);
        assertTrue(Double.isNaN(Metrics.percentile(new double[0], 50)));
    }

    static Outcome o(String id, String cat, boolean abstained, boolean correct, double conf, int retr, long ms) {
        return new Outcome(id, cat, abstained ? "" : "x", abstained, correct, conf, retr, 10 * retr, 5, retr, ms * 1_000_000);
    }

    @Test
    void summaryPerCategoryAndAll() {
        List<Outcome> os = List.of(
                o("r1", "R", false, true, 0.9, 0, 10),
                o("k1", "K", false, true, 0.8, 1, 20),
                o("k2", "K", false, false, 0.6, 2, 30),
                o("k3", "K", true, false, 0.2, 0, 40),
                o("n1", "N", true, true, 0.1, 1, 50),
                o("z1", "Z", true, false, 0.3, 0, 60));
        Map<String, Metrics.Summary> s = Metrics.summary(os);
        assertEquals(List.of("K", "N", "R", "Z", "all"), List.copyOf(s.keySet()));

        Metrics.Summary k = s.get("K");
        assertEquals(3, k.questions());
        assertEquals(1.0 / 3, k.accuracy(), EPS);
        assertEquals(2, k.answered());
        assertEquals(0.5, k.precision(), EPS);
        assertEquals(1.0 / 3, k.abstentionRate(), EPS);
        assertEquals(1.0, k.meanRetrievals(), EPS);
        assertEquals(10.0, k.meanRetrievedTokens(), EPS);
        assertEquals(5.0, k.meanGeneratedTokens(), EPS);
        assertEquals(30.0, k.meanLatencyMs(), EPS);
        assertEquals(30.0, k.p50LatencyMs(), EPS);
        assertEquals(39.0, k.p95LatencyMs(), EPS);
        assertEquals(2, k.answeredOnly().n());
        assertEquals(1.0, k.answeredOnly().auroc(), EPS);
        assertEquals(3, k.allQuestions().n());

        assertTrue(Double.isNaN(s.get("N").precision()), "nothing answered on N");
        assertEquals(1.0, s.get("N").accuracy(), EPS, "an abstention on N is correct");
        assertTrue(Double.isNaN(s.get("N").answeredOnly().auroc()));

        Metrics.Summary all = s.get("all");
        assertEquals(6, all.questions());
        assertEquals(0.5, all.accuracy(), EPS);
        assertEquals(3, all.answered());
        assertEquals(2.0 / 3, all.precision(), EPS);
        assertEquals(0.5, all.abstentionRate(), EPS);
        assertEquals(35.0, all.meanLatencyMs(), EPS);
        assertEquals(35.0, all.p50LatencyMs(), EPS);
        // answered only: conf 0.9 T, 0.8 T, 0.6 F -> perfect ranking
        assertEquals(3, all.answeredOnly().n());
        assertEquals(1.0, all.answeredOnly().auroc(), EPS);
        assertEquals(Metrics.aurcOptimal(new boolean[] {T, T, F}), all.answeredOnly().aurc(), EPS);
        assertEquals(0.0, all.answeredOnly().eaurc(), EPS);
        // all questions: abstentions at confidence 0, keeping their correctness (n1 is right)
        double[] conf = {0.9, 0.8, 0.6, 0, 0, 0};
        boolean[] ok = {T, T, F, F, T, F};
        assertEquals(6, all.allQuestions().n());
        assertEquals(Metrics.auroc(conf, ok), all.allQuestions().auroc(), EPS);
        assertEquals(Metrics.ece(conf, ok, Metrics.DEFAULT_BINS), all.allQuestions().ece(), EPS);
        assertEquals(Metrics.aurc(conf, ok), all.allQuestions().aurc(), EPS);
    }

    @Test
    void summaryWithoutConfidencesHasNaNCalibrationOnly() {
        List<Outcome> os = List.of(o("a", "K", false, true, Double.NaN, 0, 1), o("b", "K", false, false, Double.NaN, 0, 3));
        Metrics.Summary all = Metrics.summary(os).get("all");
        assertEquals(0.5, all.accuracy(), EPS);
        assertTrue(Double.isNaN(all.answeredOnly().auroc()) && Double.isNaN(all.answeredOnly().ece())
                && Double.isNaN(all.answeredOnly().aurc()) && Double.isNaN(all.allQuestions().aurc()));
        assertEquals(2, all.answeredOnly().n());
        Map<String, Metrics.Summary> none = Metrics.summary(List.of());
        assertEquals(List.of("all"), List.copyOf(none.keySet()));
        assertTrue(Double.isNaN(none.get("all").accuracy()));
    }

    @Test
    void mismatchedLengthsAndNaNScoresAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.auroc(new double[2], new boolean[3]));
        assertThrows(IllegalArgumentException.class, () -> Metrics.aurc(new double[] {Double.NaN}, new boolean[] {T}));
        assertThrows(IllegalArgumentException.class, () -> new Outcome("q", "K", "a", false, true, 1.5, 0, 0, 0, 0, 0));
    }
}
