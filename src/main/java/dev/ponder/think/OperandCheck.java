package dev.ponder.think;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cross-checks the years a computed answer recalled. Date and age arithmetic over facts starts from the year an
 * entity began: a person's birth, a company's, city's or country's founding. A model may recall that year wrongly
 * inside a calculation ({@code <<calc 1976-1826>>} for "For how many years had Tirga Labs been around by 1976?")
 * while it answers the plain question right ("In which year was Tirga Labs founded?" gives 1860): the two ways of
 * asking disagree. So, for a sure fast draft whose calls use a number neither the question nor any evidence
 * gives, the model is asked that plain question about every entity the question names (the library document says
 * whether it is a person); a recalled number none of those answers gives is a conflict, and the controller reads
 * before it takes the computed answer.
 */
public final class OperandCheck {
    private OperandCheck() {}

    /**
     * A recalled number the model's own plain answers do not give.
     *
     * @param operand the recalled number
     * @param asked the plain questions asked
     * @param answers what the model answered to each
     * @param confidences the calibrated confidence of each answer
     * @param replacement the number to compute with instead (null: none is unambiguous): exactly one recalled number
     *                    conflicts and exactly one candidate is left, a plain answer's year no operand uses or a
     *                    number of the question no call uses
     */
    public record Conflict(String operand, List<String> asked, List<String> answers, List<Double> confidences, String replacement) {
        /**
         * {@code answer}'s single call with {@link #operand} replaced by {@link #replacement}, without its result
         * ({@code <<calc 1976-1860>>}); null when there is no replacement or the answer has not exactly one call.
         */
        public String corrected(String answer) {
            if (replacement == null) return null;
            Matcher call = CALL.matcher(answer);
            if (!call.find()) return null;
            String first = call.group();
            if (call.find()) return null;
            Matcher m = AnswerFeatures.number(operand).matcher(first);
            return m.find() ? first.substring(0, m.start()) + replacement + first.substring(m.end()) : null;
        }

        /** A one-line reason for the trace. */
        public String reason() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < asked.size(); i++) parts.add("\"" + asked.get(i) + "\" -> " + answers.get(i));
            return "the calculation uses " + operand + ", which the model's own answers do not give (" + String.join("; ", parts) + ")";
        }
    }

    private static final Pattern YEAR = Pattern.compile("\\d+"), CALL = AnswerFeatures.CALL;

    /**
     * The conflict in {@code answer} (a draft without evidence) to {@code question}, if any; empty when the answer
     * recalls no number, the question names no entity the library knows, or every recalled number is given by
     * one of the plain answers.
     */
    public static Optional<Conflict> check(Drafter drafter, Retriever retriever, String question, String answer) {
        if (retriever == null) return Optional.empty();
        List<String> recalled = AnswerFeatures.recalledOperands(question, answer, "");
        if (recalled.isEmpty()) return Optional.empty();
        List<String> asked = new ArrayList<>(), answers = new ArrayList<>(), years = new ArrayList<>();
        List<Double> confidences = new ArrayList<>();
        for (int[] span : AnswerFeatures.nameSpans(question)) {
            String name = question.substring(span[0], span[1]);
            Optional<String> plain = startQuestion(retriever, name);
            if (plain.isEmpty()) continue;
            Drafter.Drafted d = drafter.draft(plain.get(), List.of(), "", 0, new Trace(e -> {}));
            String a = d.answer();
            asked.add(plain.get());
            answers.add(a);
            confidences.add(d.confidence());
            Matcher y = YEAR.matcher(a);
            while (y.find()) years.add(y.group());
        }
        if (asked.isEmpty()) return Optional.empty();
        List<String> conflicting = new ArrayList<>(), unused = new ArrayList<>(years);
        for (String r : recalled) if (!unused.remove(r)) conflicting.add(r);
        if (conflicting.isEmpty()) return Optional.empty();
        // a number the question gives that no call uses is a candidate too: the model miscopied it (1925 -> 1920)
        Matcher given = YEAR.matcher(question);
        while (given.find()) if (!usedInCalls(answer, given.group())) unused.add(given.group());
        String replacement = conflicting.size() == 1 && unused.size() == 1 ? unused.getFirst() : null;
        return Optional.of(new Conflict(conflicting.getFirst(), asked, answers, confidences, replacement));
    }

    /** Whether a call in {@code answer} has {@code number} as an operand. */
    private static boolean usedInCalls(String answer, String number) {
        Matcher call = CALL.matcher(answer);
        Pattern n = AnswerFeatures.number(number);
        while (call.find()) if (n.matcher(call.group()).find()) return true;
        return false;
    }

    /** The plain question for the year {@code name} began, by the class its library document declares. */
    static Optional<String> startQuestion(Retriever retriever, String name) {
        return retriever.titled(name).flatMap(AnswerType::declared)
                .map(c -> c.equals("person") ? "In which year was " + name + " born?" : "In which year was " + name + " founded?");
    }
}
