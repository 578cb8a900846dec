package dev.ponder.think;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The features a {@link Calibration} maps to a confidence: how sure the model was at each answer token, and,
 * when evidence was read, how well the evidence matches the question and the answer. Plain numbers in a fixed
 * order ({@link #NAMES}); the calibrator learns their weights on a dev split.
 */
public final class AnswerFeatures {
    /** Feature names, in vector order. */
    public static final List<String> NAMES = List.of(
            "first_logprob", "min_logprob", "mean_logprob", "first_entropy", "first_margin", "max_entropy",
            "says_unknown", "answer_in_evidence", "question_names_in_evidence", "passages", "agreement", "semantic_entropy");

    private static final Pattern NAME = Pattern.compile("\\b\\p{Lu}[\\p{L}]+");
    private static final double FLOOR = -12;

    private AnswerFeatures() {}

    /** The feature vector of answer {@code g} (text {@code answer}) to {@code question} given {@code evidence}. */
    public static double[] of(String question, Generation g, String answer, boolean saysUnknown, List<Passage> evidence) {
        return of(question, g, answer, saysUnknown, evidence, Agreement.NONE);
    }

    /** The same, with the agreement of sampled answers (see {@link Agreement}). */
    public static double[] of(String question, Generation g, String answer, boolean saysUnknown, List<Passage> evidence, Agreement agreement) {
        List<TokenSignal> t = g.tokens();
        double first = t.isEmpty() ? FLOOR : Math.max(FLOOR, t.getFirst().logprob());
        double min = 0, sum = 0, maxH = 0;
        for (TokenSignal s : t) {
            min = Math.min(min, Math.max(FLOOR, s.logprob()));
            sum += Math.max(FLOOR, s.logprob());
            maxH = Math.max(maxH, s.entropy());
        }
        double mean = t.isEmpty() ? FLOOR : sum / t.size();
        double firstH = t.isEmpty() ? 0 : t.getFirst().entropy();
        double firstMargin = t.isEmpty() ? 0 : t.getFirst().margin();
        StringBuilder ev = new StringBuilder();
        for (Passage p : evidence) ev.append(p.title()).append(' ').append(p.text()).append(' ');
        String evidenceText = ev.toString().toLowerCase(Locale.ROOT);
        double inEvidence = !evidence.isEmpty() && !answer.isBlank() && evidenceText.contains(answer.toLowerCase(Locale.ROOT).strip()) ? 1 : 0;
        return new double[] {first, t.isEmpty() ? FLOOR : min, mean, firstH, firstMargin, maxH, saysUnknown ? 1 : 0,
            inEvidence, evidence.isEmpty() ? 0 : namesCovered(question, evidenceText), evidence.size(),
            agreement.agreement(), agreement.semanticEntropy()};
    }

    /** Share of the question's capitalised words (after its first word) that occur in the evidence; 1 if none. */
    static double namesCovered(String question, String evidenceLower) {
        Matcher m = NAME.matcher(question);
        int names = 0, found = 0;
        boolean first = true;
        while (m.find()) {
            if (first && m.start() == firstWordStart(question)) { first = false; continue; }
            first = false;
            names++;
            if (evidenceLower.contains(m.group().toLowerCase(Locale.ROOT))) found++;
        }
        return names == 0 ? 1 : found / (double) names;
    }

    private static int firstWordStart(String s) {
        int i = 0;
        while (i < s.length() && !Character.isLetter(s.charAt(i))) i++;
        return i;
    }
}
