package dev.ponder.think;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A year read from the evidence must come from a sentence about the event the question asks: "In which year did
 * X retire?" is not answered by "X was born in 1957", however surely the model copies the year. The events are a
 * small lexicon of the words that name them (birth: born, birth; founding: founded, established, set up; death:
 * died, death); a question that asks the year of an event the lexicon does not know, about a sentence that only
 * gives the year of one it does, gets no year from it. Answers that are not a plain year, and years the evidence
 * does not hold, are never rejected here.
 */
public final class EventCheck {
    private EventCheck() {}

    /** Each event and the words that name it, as they are matched (lower case, whole words or phrases). */
    private static final Map<String, Pattern> EVENTS = Map.of(
            "birth", Pattern.compile("\\b(?:born|births?|birthdays?)\\b"),
            "founding", Pattern.compile("\\b(?:found(?:ed|ing|ation)|establish(?:ed|ment)?|set up|started|created|incorporated)\\b"),
            "death", Pattern.compile("\\b(?:died|deaths?|dead)\\b"));
    private static final Pattern YEAR = Pattern.compile("\\d{1,4}");

    /** The events {@code text} names. */
    static Set<String> events(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, Pattern> e : EVENTS.entrySet()) if (e.getValue().matcher(t).find()) out.add(e.getKey());
        return out;
    }

    /**
     * Why {@code answer}, a year found in {@code evidenceText}, does not answer {@code question} (empty when it
     * may): every sentence of the evidence that holds the year names events, none of which the question asks.
     */
    public static Optional<String> unsupported(String question, String answer, String evidenceText) {
        String a = answer == null ? "" : answer.strip();
        if (!YEAR.matcher(a).matches() || evidenceText == null || evidenceText.isBlank()) return Optional.empty();
        Pattern year = Pattern.compile("(?<![\\d.])" + Pattern.quote(a) + "(?![\\d])");
        Set<String> asked = events(question), given = new LinkedHashSet<>();
        boolean found = false;
        for (String sentence : evidenceText.split("(?<=[.!?])\\s+")) {
            if (!year.matcher(sentence).find()) continue;
            found = true;
            Set<String> here = events(sentence);
            if (here.isEmpty()) return Optional.empty(); // a sentence that names no known event: nothing to say
            for (String e : here) if (asked.contains(e)) return Optional.empty();
            given.addAll(here);
        }
        if (!found) return Optional.empty();
        return Optional.of("the evidence gives " + a + " as the year of " + String.join(" or ", given)
                + (asked.isEmpty() ? ", which the question does not ask about" : ", not of " + String.join(" or ", asked)));
    }
}
