package dev.ponder.think;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A monotone map from a score to a probability, fit by pool-adjacent-violators on labelled scores: the second
 * stage of the confidence (logistic score → isotonic → probability). A logistic fit with few features ranks
 * answers well but may squeeze its outputs (every right fast answer at 0.75); this stage stretches them back to
 * the observed rate of right answers, without changing the ranking.
 *
 * <p>Each block's rate is smoothed as {@code (right + 1) / (count + 2)}, so no block claims certainty from a
 * handful of answers; between block centres the map interpolates linearly, below the first and above the last
 * it is flat.
 *
 * @param x block centres (mean score of each pooled block), increasing
 * @param y smoothed rate of right answers of each block, non-decreasing
 */
public record Isotonic(double[] x, double[] y) {
    public Isotonic {
        if (x.length != y.length || x.length == 0) throw new IllegalArgumentException("isotonic map needs matching, non-empty x and y");
    }

    /** The probability for {@code score}. */
    public double apply(double score) {
        if (score <= x[0]) return y[0];
        int last = x.length - 1;
        if (score >= x[last]) return y[last];
        int i = Arrays.binarySearch(x, score);
        if (i >= 0) return y[i];
        int hi = -i - 1, lo = hi - 1;
        double t = (score - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + t * (y[hi] - y[lo]);
    }

    /** Fits on {@code scores} with labels {@code right}. */
    public static Isotonic fit(double[] scores, boolean[] right) {
        int n = scores.length;
        if (n == 0) return new Isotonic(new double[] {0.5}, new double[] {0.5});
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        // blocks: sum of scores, sum of labels, count; merged while a block's rate exceeds the next one's
        List<double[]> blocks = new ArrayList<>();
        for (int k = 0; k < n; ) {
            // equal scores always share a block (the map is a function of the score)
            double s = 0, r = 0;
            int c = 0;
            double v = scores[order[k]];
            while (k < n && scores[order[k]] == v) {
                s += v;
                r += right[order[k]] ? 1 : 0;
                c++;
                k++;
            }
            blocks.add(new double[] {s, r, c});
            while (blocks.size() > 1) {
                double[] b = blocks.get(blocks.size() - 1), a = blocks.get(blocks.size() - 2);
                if (a[1] / a[2] < b[1] / b[2]) break;
                a[0] += b[0];
                a[1] += b[1];
                a[2] += b[2];
                blocks.removeLast();
            }
        }
        double[] x = new double[blocks.size()], y = new double[blocks.size()];
        for (int i = 0; i < x.length; i++) {
            double[] b = blocks.get(i);
            x[i] = b[0] / b[2];
            y[i] = (b[1] + 1) / (b[2] + 2);
        }
        // smoothing can break monotonicity between a small block and a big one: restore it
        for (int i = 1; i < y.length; i++) y[i] = Math.max(y[i], y[i - 1]);
        return new Isotonic(x, y);
    }
}
