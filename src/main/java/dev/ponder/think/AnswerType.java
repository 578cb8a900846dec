package dev.ponder.think;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answer-type checking against the library: the class of place, organisation or person a question asks for
 * ("Which country …", "… country of birth", "the city where …", "Who …") and the class a library document
 * declares for the entity a draft names ("Nansoford is a city in …", "Ada Lovo is a nurse who …"). A draft that
 * names a city where a country is asked cannot be the answer, however sure the model was of it: the controller
 * reads on instead of accepting it, and withholds it if it is still the answer at the end. Only the classes below are checked; a question that asks for anything else,
 * or an answer the library has no document about, is never a mismatch. One more class needs no document of its
 * own: a word the library uses as an occupation ("X is a baker who …") answers only a question that asks what
 * someone does.
 */
public final class AnswerType {
    private AnswerType() {}

    /** Class nouns checked, each mapped to its canonical class. */
    private static final Map<String, String> CLASSES = Map.of("city", "city", "town", "city", "country", "country",
            "nation", "country", "company", "company", "firm", "company");
    private static final String CLASS = "(city|town|country|nation|company|firm)";
    private static final Pattern WH = Pattern.compile("\\b(?:which|what) " + CLASS + "\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern COMPOUND = Pattern.compile("\\b" + CLASS + " of (?:birth|death|origin)\\b", Pattern.CASE_INSENSITIVE);
    /** "Name the city where …": the class noun is what is asked only when the question asks for that phrase itself. */
    private static final Pattern RELATIVE = Pattern.compile("^\\s*(?:name|give|state|tell me|what is|which is) the " + CLASS
            + " (?:where|that|which|in which)\\b", Pattern.CASE_INSENSITIVE);
    /** A question that asks for a person: "Who …", "… by whom?", "Which person …". */
    private static final Pattern WHO = Pattern.compile("^\\s*who\\b|\\bby whom\\b|\\b(?:which|what) person\\b", Pattern.CASE_INSENSITIVE);

    /** A question that asks what someone does. */
    private static final Pattern OCCUPATION_ASKED = Pattern.compile(
            "\\b(?:occupations?|professions?|jobs?|trades?|careers?|line of work|kind of work|what (?:does|do|did) .+ do\\b)",
            Pattern.CASE_INSENSITIVE);
    /** An answer that may be an occupation: one lower-case word. */
    private static final Pattern WORD = Pattern.compile("\\p{Ll}+");

    /** Whether {@code question} asks what someone does (their occupation). */
    public static boolean asksOccupation(String question) {
        return OCCUPATION_ASKED.matcher(question).find();
    }

    /** The canonical class {@code question} asks for, if it is one that is checked. */
    public static Optional<String> asked(String question) {
        if (WHO.matcher(question).find()) return Optional.of("person");
        for (Pattern p : new Pattern[] {WH, COMPOUND, RELATIVE}) {
            Matcher m = p.matcher(question);
            if (m.find()) return Optional.of(CLASSES.get(m.group(1).toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }

    /**
     * The canonical class {@code doc} declares for its entity in its first words ("T is a city …"), if checked; a
     * person is "T is a/an <occupation> who …".
     */
    public static Optional<String> declared(Passage doc) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(doc.title().strip()) + " is an? (\\p{L}+)( who\\b)?", Pattern.CASE_INSENSITIVE)
                .matcher(doc.text());
        if (!m.find()) return Optional.empty();
        if (m.group(2) != null || m.group(1).equalsIgnoreCase("person")) return Optional.of("person");
        return Optional.ofNullable(CLASSES.get(m.group(1).toLowerCase(Locale.ROOT)));
    }

    /** Whether the library uses {@code word} as an occupation ("X is a baker who …"). */
    static boolean isOccupation(Retriever retriever, String word) {
        Pattern used = Pattern.compile("\\bis an? " + Pattern.quote(word) + " who\\b");
        for (Passage p : retriever.search(word, 5)) if (used.matcher(p.text()).find()) return true;
        return false;
    }

    /**
     * The class of the entity {@code answer} names when it is not the class {@code question} asks for (empty when
     * they agree, when either is unknown, or without a retriever): the library document titled {@code answer}
     * says what it is. Also {@code occupation} for a word the library uses as one when the question does not ask
     * what someone does.
     */
    public static Optional<String> mismatch(Retriever retriever, String question, String answer) {
        Optional<String> asked = asked(question);
        String a = answer == null ? "" : answer.strip();
        if (retriever != null && WORD.matcher(a).matches() && !asksOccupation(question) && isOccupation(retriever, a))
            return Optional.of("occupation");
        if (retriever == null || asked.isEmpty() || a.isEmpty() || !Character.isUpperCase(a.codePointAt(0))) return Optional.empty();
        Optional<String> is = retriever.titled(a).flatMap(AnswerType::declared);
        return is.isPresent() && !is.get().equals(asked.get()) ? is : Optional.empty();
    }
}
