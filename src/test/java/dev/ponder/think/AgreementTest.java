package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {
    @Test
    void clustersByNormalisedMeaning() {
        Agreement a = Agreement.of("Gamma City", List.of("gamma city", "Gamma City.", "the Gamma  City", "Delta", "Delta"));
        assertEquals(0.6, a.agreement(), 1e-12);
        assertEquals(2, a.clusters());
        assertEquals(-(0.6 * Math.log(0.6) + 0.4 * Math.log(0.4)), a.semanticEntropy(), 1e-12);
    }

    @Test
    void unanimousAndDisjoint() {
        assertEquals(0, Agreement.of("x", List.of("x", "X", "x!")).semanticEntropy(), 1e-12);
        assertEquals(0, Agreement.of("y", List.of("x", "z")).agreement(), 1e-12);
        assertEquals(Agreement.NONE, Agreement.of("y", List.of()));
    }
}
