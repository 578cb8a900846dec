package dev.ponder.think;

import java.util.Arrays;

/**
 * L2-regularised logistic regression on standardised features, fit by Newton's method: the map from answer
 * features to the probability that the answer is right. Small and exact enough for a dozen features and a
 * few hundred dev questions.
 *
 * @param mean per-feature mean used for standardisation
 * @param scale per-feature standard deviation (1 where a feature is constant)
 * @param weights bias first, then one weight per standardised feature
 */
public record Logistic(double[] mean, double[] scale, double[] weights) {
    /** Probability of the positive class for feature vector {@code x}. */
    public double predict(double[] x) {
        double z = weights[0];
        for (int j = 0; j < x.length; j++) z += weights[j + 1] * (x[j] - mean[j]) / scale[j];
        return 1 / (1 + Math.exp(-z));
    }

    /** Fits on rows {@code x} with labels {@code y}, L2 strength {@code lambda} (not applied to the bias). */
    public static Logistic fit(double[][] x, boolean[] y, double lambda) {
        int n = x.length, d = n == 0 ? 0 : x[0].length;
        double[] mean = new double[d], scale = new double[d];
        for (double[] r : x) for (int j = 0; j < d; j++) mean[j] += r[j] / n;
        for (double[] r : x) for (int j = 0; j < d; j++) scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
        for (int j = 0; j < d; j++) scale[j] = scale[j] < 1e-12 ? 1 : Math.sqrt(scale[j]);
        double[][] z = new double[n][d + 1];
        for (int i = 0; i < n; i++) {
            z[i][0] = 1;
            for (int j = 0; j < d; j++) z[i][j + 1] = (x[i][j] - mean[j]) / scale[j];
        }
        double[] w = new double[d + 1];
        int pos = 0;
        for (boolean b : y) if (b) pos++;
        if (n > 0) w[0] = Math.log((pos + 0.5) / (n - pos + 0.5));
        for (int iter = 0; iter < 50; iter++) {
            double[] grad = new double[d + 1];
            double[][] h = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j <= d; j++) s += w[j] * z[i][j];
                double p = 1 / (1 + Math.exp(-s));
                double r = (y[i] ? 1 : 0) - p;
                double v = Math.max(p * (1 - p), 1e-9);
                for (int j = 0; j <= d; j++) {
                    grad[j] += r * z[i][j];
                    for (int k = 0; k <= d; k++) h[j][k] += v * z[i][j] * z[i][k];
                }
            }
            for (int j = 1; j <= d; j++) { grad[j] -= lambda * w[j]; h[j][j] += lambda; }
            h[0][0] += 1e-9;
            double[] step = solve(h, grad);
            double max = 0;
            for (int j = 0; j <= d; j++) { w[j] += step[j]; max = Math.max(max, Math.abs(step[j])); }
            if (max < 1e-8) break;
        }
        return new Logistic(mean, scale, w);
    }

    /** Solves {@code a x = b} by Gaussian elimination with partial pivoting (a is symmetric positive definite here). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) { m[i] = Arrays.copyOf(a[i], n + 1); m[i][n] = b[i]; }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            double[] t = m[c]; m[c] = m[p]; m[p] = t;
            if (Math.abs(m[c][c]) < 1e-15) continue;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) m[r][k] -= f * m[c][k];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) s -= m[r][k] * x[k];
            x[r] = Math.abs(m[r][r]) < 1e-15 ? 0 : s / m[r][r];
        }
        return x;
    }
}
