package dev.ponder.think;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns answer features into a calibrated confidence, and holds the controller's thresholds. Both the models
 * and the thresholds are fit on a dev split ({@code ponder eval --dev}) and saved next to the model as JSON;
 * nothing here is a hand-set constant except the fallback used before any fit.
 *
 * @param fast the model for an answer given without evidence (null: fallback)
 * @param read the model for an answer given after reading evidence (null: fallback)
 * @param fastMap isotonic map from the fast model's output to the rate of right answers on dev (null: identity)
 * @param readMap the same for the read model (null: identity)
 * @param pauseBelow pause to explore when the fast answer's confidence is below this
 * @param acceptAbove stop exploring once an answer's confidence reaches this
 * @param abstainBelow at the end, abstain (or flag the answer) when confidence is below this
 * @param samples answers sampled per draft read with evidence, for the agreement features (0: none)
 * @param features the feature names the models were fit on, for checking
 * @param fitOn a note on the data the calibration was fit on
 * @param decomposedMap isotonic map from a decomposed answer's product of confidences to its rate of right answers on
 *                      dev (null: the product as it is)
 * @param finalMap isotonic map from the confidence Ponder ends a question with to the rate of right final answers on
 *                 dev (null: as it is). The thresholds decide on the unmapped confidence; this map only says how
 *                 often an answer the controller kept, after all its checks, is right.
 */
public record Calibration(Logistic fast, Logistic read, Isotonic fastMap, Isotonic readMap, double pauseBelow, double acceptAbove, double abstainBelow,
                          int samples, List<String> features, String fitOn, Isotonic decomposedMap, Isotonic finalMap) {
    /** Without maps for decomposed and final answers. */
    public Calibration(Logistic fast, Logistic read, Isotonic fastMap, Isotonic readMap, double pauseBelow, double acceptAbove, double abstainBelow,
                       int samples, List<String> features, String fitOn) {
        this(fast, read, fastMap, readMap, pauseBelow, acceptAbove, abstainBelow, samples, features, fitOn, null, null);
    }

    /** Sampling temperature for the agreement features. */
    public static final double SAMPLE_TEMPERATURE = 1.0;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Before any fit: confidence is the lowest answer-token probability; pause and abstain below one half. */
    public static Calibration fallback() {
        return new Calibration(null, null, null, null, 0.5, 0.5, 0.5, 0, AnswerFeatures.NAMES, "none (uncalibrated fallback)");
    }

    /** Confidence of an answer with features {@code x}, read with evidence or not. */
    public double confidence(double[] x, boolean withEvidence) {
        Logistic m = withEvidence ? read : fast;
        if (m == null) return Math.exp(x[1]);
        Isotonic map = withEvidence ? readMap : fastMap;
        double p = m.predict(x);
        return map == null ? p : map.apply(p);
    }

    /** True if the models were fit (not the fallback). */
    public boolean fitted() {
        return fast != null && read != null;
    }

    public Calibration withThresholds(double pause, double accept, double abstain) {
        return new Calibration(fast, read, fastMap, readMap, pause, accept, abstain, samples, features, fitOn, decomposedMap, finalMap);
    }

    public Calibration withSamples(int k) {
        return new Calibration(fast, read, fastMap, readMap, pauseBelow, acceptAbove, abstainBelow, k, features, fitOn, decomposedMap, finalMap);
    }

    /** This calibration with {@code map} for decomposed answers. */
    public Calibration withDecomposedMap(Isotonic map) {
        return new Calibration(fast, read, fastMap, readMap, pauseBelow, acceptAbove, abstainBelow, samples, features, fitOn, map, finalMap);
    }

    /** This calibration with {@code map} for the confidence a question ends with. */
    public Calibration withFinalMap(Isotonic map) {
        return new Calibration(fast, read, fastMap, readMap, pauseBelow, acceptAbove, abstainBelow, samples, features, fitOn, decomposedMap, map);
    }

    /** The confidence reported for a question Ponder ended with confidence {@code c} (see {@link #finalMap}). */
    public double reported(double c) {
        return finalMap == null ? c : finalMap.apply(c);
    }

    /** Confidence of a decomposed answer whose parts had confidences multiplying to {@code product}. */
    public double decomposed(double product) {
        return decomposedMap == null ? product : decomposedMap.apply(product);
    }

    public void save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new PonderException("cannot write calibration " + file + ": " + e.getMessage());
        }
    }

    public static Calibration load(Path file) {
        try {
            Calibration c = JSON.readValue(Files.readString(file), Calibration.class);
            if (!AnswerFeatures.NAMES.equals(c.features())) {
                throw new PonderException("calibration " + file + " was fit on other features; re-run ponder eval --dev to refit it");
            }
            return c;
        } catch (NoSuchFileException e) {
            throw new PonderException("calibration file not found: " + file);
        } catch (IOException e) {
            throw new PonderException("bad calibration file " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
