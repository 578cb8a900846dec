package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticTest {
    @Test
    void recoversTheProbabilitiesOfALogisticSource() {
        // y ~ Bernoulli(sigmoid(2x - 1)), x ~ N(0,1), plus a noise feature: fitted p tracks the true p
        Random r = new Random(1);
        int n = 4000;
        double[][] x = new double[n][2];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = r.nextGaussian();
            x[i][1] = r.nextGaussian();
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(2 * x[i][0] - 1)));
        }
        Logistic m = Logistic.fit(x, y, 1e-3);
        for (double v : new double[] {-2, -0.5, 0, 0.5, 2}) {
            double truth = 1 / (1 + Math.exp(-(2 * v - 1)));
            assertEquals(truth, m.predict(new double[] {v, 0}), 0.04, "at x=" + v);
        }
        assertTrue(Math.abs(m.weights()[2]) < 0.1, "noise feature weight " + m.weights()[2]);
    }

    @Test
    void constantFeaturesAndOneClassDoNotBreakTheFit() {
        double[][] x = {{1, 5}, {2, 5}, {3, 5}};
        boolean[] y = {true, true, true};
        Logistic m = Logistic.fit(x, y, 1.0);
        double p = m.predict(new double[] {2, 5});
        assertTrue(p > 0.5 && p < 1 && Double.isFinite(p), "p=" + p);
    }
}
