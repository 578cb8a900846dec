package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decomposed answer's confidence: the product as it is, or through the map fit on dev; saved and loaded with the rest. */
class CalibrationDecomposedTest {
    @Test
    void withoutAMapTheProductStands() {
        assertEquals(0.42, Calibration.fallback().decomposed(0.42), 0);
    }

    @Test
    void theMapIsAppliedAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        Isotonic map = new Isotonic(new double[] {0.2, 0.8}, new double[] {0.1, 0.95});
        Calibration c = Calibration.fallback().withThresholds(0.6, 0.7, 0.5).withDecomposedMap(map);
        assertEquals(0.95, c.decomposed(0.9), 1e-12);
        assertEquals(0.1 + 0.5 * 0.85, c.decomposed(0.5), 1e-12);
        assertEquals(0.6, c.withSamples(2).pauseBelow(), 0); // the other withers keep the map
        assertEquals(0.95, c.withSamples(2).decomposed(0.9), 1e-12);
        Path f = dir.resolve("cal.json");
        c.save(f);
        Calibration back = Calibration.load(f);
        assertEquals(0.95, back.decomposed(0.9), 1e-12);
        // a file written before the maps existed loads without them
        Files.writeString(f, Files.readString(f).replaceAll("(?s),\\s*\"decomposedMap\"\\s*:\\s*\\{.*?\\}\\s*,\\s*\"finalMap\"\\s*:\\s*null\\s*(?=\\})", ""));
        assertFalse(Files.readString(f).contains("decomposedMap"), Files.readString(f));
        assertFalse(Files.readString(f).contains("finalMap"), Files.readString(f));
        assertNull(Calibration.load(f).decomposedMap());
        assertNull(Calibration.load(f).finalMap());
    }

    @Test
    void theFinalMapTurnsAnEndingConfidenceIntoTheRateOfRightAnswers(@TempDir Path dir) {
        assertEquals(0.42, Calibration.fallback().reported(0.42), 0, "without a map the confidence stands");
        Isotonic map = new Isotonic(new double[] {0.3, 0.9}, new double[] {0.05, 0.99});
        Calibration c = Calibration.fallback().withDecomposedMap(map).withFinalMap(map).withThresholds(0.6, 0.7, 0.5).withSamples(1);
        assertEquals(0.99, c.reported(0.95), 1e-12, "the withers keep the map");
        assertEquals(0.6, c.pauseBelow(), 0);
        Path f = dir.resolve("cal.json");
        c.save(f);
        assertEquals(0.05, Calibration.load(f).reported(0.1), 1e-12);
    }
}
