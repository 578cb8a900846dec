package dev.ponder.think;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Agreement across sampled answers, clustered by meaning: answers that normalise to the same text (case,
 * accents, punctuation and articles ignored) form one cluster. Gives the share of samples that agree with a
 * given answer and the semantic entropy of the clusters (Kuhn et al., 2023, with exact-match clustering).
 *
 * @param agreement share of samples in the given answer's cluster
 * @param semanticEntropy entropy of the cluster distribution, in nats
 * @param clusters number of distinct meanings among the samples
 */
public record Agreement(double agreement, double semanticEntropy, int clusters) {
    /** No samples drawn: full agreement, zero entropy. */
    public static final Agreement NONE = new Agreement(1, 0, 1);

    /** Agreement of {@code samples} with {@code answer}. */
    public static Agreement of(String answer, List<String> samples) {
        if (samples.isEmpty()) return NONE;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String s : samples) counts.merge(normalize(s), 1, Integer::sum);
        double n = samples.size(), h = 0;
        for (int c : counts.values()) h -= c / n * Math.log(c / n);
        return new Agreement(counts.getOrDefault(normalize(answer), 0) / n, h, counts.size());
    }

    /** The text a meaning is compared by. */
    public static String normalize(String s) {
        String t = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        t = t.replaceAll("[^\\p{L}\\p{N} ]", " ").replaceAll("\\b(the|a|an)\\b", " ");
        return t.replaceAll("\\s+", " ").strip();
    }
}
