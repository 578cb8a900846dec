package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IsotonicTest {
    @Test
    void poolsViolatorsAndSmoothsEachBlock() {
        // scores 0.1..0.6; labels F T F T T T: (0.1 F) then (0.2 T, 0.3 F) violate and pool to 1/2, then T T T
        double[] s = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        boolean[] y = {false, true, false, true, true, true};
        Isotonic m = Isotonic.fit(s, y);
        assertEquals(3, m.x().length);
        assertEquals(0.1, m.x()[0], 1e-12);
        assertEquals(0.25, m.x()[1], 1e-12);
        assertEquals(0.5, m.x()[2], 1e-12);
        assertEquals(1 / 3.0, m.y()[0], 1e-12);  // (0 + 1) / (1 + 2)
        assertEquals(2 / 4.0, m.y()[1], 1e-12);  // (1 + 1) / (2 + 2)
        assertEquals(4 / 5.0, m.y()[2], 1e-12);  // (3 + 1) / (3 + 2)
        assertEquals(m.y()[0], m.apply(0.0), 1e-12);   // flat below the first centre
        assertEquals(m.y()[2], m.apply(0.99), 1e-12);  // and above the last
        assertEquals((0.5 + 0.8) / 2, m.apply(0.375), 1e-12); // linear between centres
    }

    @Test
    void stretchesASqueezedScoreBackToTheObservedRate() {
        // a score squeezed into [0.3, 0.5] while the true rate runs from 0 to 1
        Random r = new Random(1);
        int n = 2000;
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            double p = r.nextDouble();
            s[i] = 0.3 + 0.2 * p;
            y[i] = r.nextDouble() < p;
        }
        Isotonic m = Isotonic.fit(s, y);
        for (int i = 1; i < m.y().length; i++) assertTrue(m.y()[i] >= m.y()[i - 1]);
        assertEquals(0.1, m.apply(0.32), 0.08);
        assertEquals(0.9, m.apply(0.48), 0.08);
    }

    @Test
    void equalScoresShareOneValue() {
        Isotonic m = Isotonic.fit(new double[] {0.5, 0.5, 0.5, 0.5}, new boolean[] {true, false, true, true});
        assertEquals(1, m.x().length);
        assertEquals(4 / 6.0, m.apply(0.5), 1e-12);
    }
}
