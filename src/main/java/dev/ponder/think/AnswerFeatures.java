package dev.ponder.think;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The features a {@link Calibration} maps to a confidence: how sure the model was at each answer token, how
 * familiar the names in the question were to it ({@link Familiarity}), whether the question describes an
 * entity through another ({@link Decomposer}: a multi-hop question, which a single pass rarely gets right),
 * and, when evidence was read, how well the evidence matches the question and the answer. Plain numbers in a fixed
 * order ({@link #NAMES}); the calibrator learns their weights on a dev split.
 */
public final class AnswerFeatures {
    /** Feature names, in vector order. */
    public static final List<String> NAMES = List.of(
            "first_logprob", "min_logprob", "mean_logprob", "first_entropy", "first_margin", "max_entropy",
            "says_unknown", "answer_in_evidence", "subject_in_evidence", "passages", "agreement", "semantic_entropy",
            "name_logprob", "name_tokens", "nested_question");

    private static final Pattern NAME = Pattern.compile("\\b\\p{Lu}[\\p{L}]+");
    private static final double FLOOR = -12;

    private AnswerFeatures() {}

    /** The feature vector of answer {@code g} (text {@code answer}) to {@code question} given {@code evidence}. */
    public static double[] of(String question, Generation g, String answer, boolean saysUnknown, List<Passage> evidence) {
        return of(question, g, answer, saysUnknown, evidence, Agreement.NONE);
    }

    /** The same, with the agreement of sampled answers (see {@link Agreement}). */
    public static double[] of(String question, Generation g, String answer, boolean saysUnknown, List<Passage> evidence, Agreement agreement) {
        return of(question, g, answer, saysUnknown, evidence, agreement, Familiarity.NONE);
    }

    /** The same, with how familiar the question's names were to the model. */
    public static double[] of(String question, Generation g, String answer, boolean saysUnknown, List<Passage> evidence,
                              Agreement agreement, Familiarity familiarity) {
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
        String evidenceText = evidenceText(evidence);
        double inEvidence = !evidence.isEmpty() && !answer.isBlank() && supported(question, answer, evidenceText) ? 1 : 0;
        return new double[] {first, t.isEmpty() ? FLOOR : min, mean, firstH, firstMargin, maxH, saysUnknown ? 1 : 0,
            inEvidence, evidence.isEmpty() ? 0 : namesCovered(question, evidenceText), evidence.size(),
            agreement.agreement(), agreement.semanticEntropy(), familiarity.meanLogprob(), familiarity.tokens(),
            Decomposer.split(question).filter(p -> !p.eventPlace()).isPresent() ? 1 : 0};
    }

    /** The evidence as the features read it: each passage's title and text, lower case. */
    static String evidenceText(List<Passage> evidence) {
        StringBuilder ev = new StringBuilder();
        for (Passage p : evidence) ev.append(p.title()).append(' ').append(p.text()).append(' ');
        return ev.toString().toLowerCase(Locale.ROOT);
    }

    /** A tool call in an answer, its arguments in group 1. */
    static final Pattern CALL = Pattern.compile("<<\\S+\\s([^>]*)>>");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

    /** {@code number} as a whole number in a text: not part of a longer number or a decimal. */
    static Pattern number(String number) {
        return Pattern.compile("(?<![\\d.])" + Pattern.quote(number) + "(?![\\d]|\\.\\d)");
    }

    /**
     * True if the evidence supports the answer: the answer's text occurs in it, or, for an answer computed by
     * tool calls, every number the calls were given occurs in the evidence or the question (the computation
     * itself is exact; what can be wrong is an operand the model recalled).
     */
    static boolean supported(String question, String answer, String evidenceLower) {
        if (!CALL.matcher(answer).find()) return evidenceLower.contains(answer.toLowerCase(Locale.ROOT).strip());
        return recalledOperands(question, answer, evidenceLower).isEmpty();
    }

    /**
     * The numbers {@code answer}'s tool calls were given that neither the evidence nor the question holds (nor
     * an earlier call's exact result): the operands the model recalled. Empty for an answer without calls.
     */
    public static List<String> recalledOperands(String question, String answer, String evidenceLower) {
        List<String> recalled = new java.util.ArrayList<>();
        Matcher call = CALL.matcher(answer);
        String known = evidenceLower + " " + question.toLowerCase(Locale.ROOT);
        while (call.find()) {
            Matcher n = NUMBER.matcher(call.group(1));
            while (n.find())
                if (!number(n.group()).matcher(known).find()) recalled.add(n.group());
            Matcher result = NUMBER.matcher(answer).region(call.end(), answer.length()); // an exact result may feed the next call
            if (result.lookingAt()) known += " " + result.group();
        }
        return recalled;
    }

    /** Question words that may start a question capitalised without being a name. */
    private static final java.util.Set<String> QUESTION_WORDS = java.util.Set.of("what", "which", "where", "who", "whom",
            "whose", "when", "why", "how", "in", "for", "name", "by", "the", "is", "was", "did", "does", "do", "at", "of", "to");

    /**
     * Share of the question's names (maximal runs of capitalised words, e.g. {@code Bega Fusebi}, {@code Belsir
     * Foods}; a leading question word is not a name) that occur verbatim in the evidence; 1 if it names nothing.
     * A passage about another person with the same given name does not count: the whole name must be there.
     */
    static double namesCovered(String question, String evidenceLower) {
        List<int[]> spans = nameSpans(question);
        if (spans.isEmpty()) return 1;
        int found = 0;
        for (int[] n : spans) if (evidenceLower.contains(question.substring(n[0], n[1]).toLowerCase(Locale.ROOT))) found++;
        return found / (double) spans.size();
    }

    /**
     * The character spans {@code [start, end)} of the question's names: maximal runs of capitalised words
     * separated by blanks ({@code Bega Fusebi}, {@code Belsir Foods}); a leading question word is not a name.
     */
    public static List<int[]> nameSpans(String question) {
        Matcher m = NAME.matcher(question);
        List<int[]> names = new java.util.ArrayList<>();
        int[] run = null;
        while (m.find()) {
            if (m.start() == firstWordStart(question) && QUESTION_WORDS.contains(m.group().toLowerCase(Locale.ROOT))) continue;
            if (run != null && question.substring(run[1], m.start()).isBlank()) {
                run[1] = m.end();
            } else {
                if (run != null) names.add(run);
                run = new int[] {m.start(), m.end()};
            }
        }
        if (run != null) names.add(run);
        return names;
    }

    private static int firstWordStart(String s) {
        int i = 0;
        while (i < s.length() && !Character.isLetter(s.charAt(i))) i++;
        return i;
    }
}
