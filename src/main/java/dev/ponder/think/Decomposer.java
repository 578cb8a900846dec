package dev.ponder.think;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a question about an entity that is only described through another one ("the founder of <b>Beno
 * Pobu's employer</b>") into an inner question about the named entity ("What is Beno Pobu's employer?") and
 * an outer question with the inner answer in its place ("Who is the founder of {B}?"), as MindSearch plans
 * sub-questions. A model this small cannot write the plan itself, so the split reads English structure
 * instead, three noun-phrase forms around the question's one name N:
 * <ul>
 *   <li>possessive: {@code N's employer}, {@code N's country of birth};</li>
 *   <li>of-phrase: {@code the employer of N}, {@code the birthplace of N} (not an appositive class noun:
 *       {@code the city of N} is N itself; nor an event or quantity of N: {@code the birth of N});</li>
 *   <li>relative clause: {@code the company that employs N}, {@code the person who founded N}.</li>
 * </ul>
 * A split is offered only when the outer question still asks something once the phrase is replaced (so
 * "What is N's occupation?" is not split: it is already a single hop), or when the phrase is a compound that
 * asks which place holds the place of an event of N ("N's country of birth", "born in a city of which
 * country"): then the inner question asks where the event happened and the outer which country holds that
 * place. Anything else is left whole.
 */
public final class Decomposer {
    private Decomposer() {}

    /**
     * A split: ask {@code inner}, then {@link #outer(String)} with its answer. {@code eventPlace}: the split of a
     * compound ("N's country of birth") rather than of a phrase that describes an entity through another (the
     * calibration's nested-question feature counts only the latter).
     */
    public record Plan(String inner, String outerTemplate, boolean eventPlace) {
        /** A split of a phrase that describes an entity through another one. */
        public Plan(String inner, String outerTemplate) {
            this(inner, outerTemplate, false);
        }

        /** Where the inner answer goes in {@link #outerTemplate}. */
        public static final String SLOT = "{B}";

        /** The outer question with the inner answer in place. */
        public String outer(String innerAnswer) {
            return outerTemplate.replace(SLOT, innerAnswer.strip());
        }
    }

    private static final String NOUN = "(\\p{Ll}+(?: of \\p{Ll}+)?)";
    /** Class nouns that make "the N of X" an apposition (X is the N), not a relation. */
    private static final Set<String> APPOSITIVE = Set.of("city", "town", "country", "company", "firm", "person", "state", "nation");
    /** Nouns for an event or a quantity of X itself ("the birth of X", "the age of X"): no second entity to ask about. */
    private static final Set<String> ATTRIBUTE = Set.of("birth", "death", "age", "name", "founding", "size", "population", "revenue");
    /**
     * Events whose place a compound noun asks about ("country of birth": the country of the place of birth),
     * with the question that asks where the event happened.
     */
    private static final java.util.Map<String, String> EVENT_PLACE = java.util.Map.of("birth", "Where was %s born?", "death", "Where did %s die?");
    /** Class nouns of places that contain the place of an event ("country of birth"). */
    private static final Set<String> CONTAINER = Set.of("country", "nation", "state", "region", "province");
    /** "N was born in a city of which country": the event, then the container asked about. */
    private static final Pattern EVENT_IN_WHICH = Pattern.compile(
            "^(.+?) was (born|died) in an? (?:city|town|place) of which (\\p{Ll}+)\\?$");
    /** Words that carry no relation of their own in an outer question. */
    private static final Set<String> EMPTY = Set.of("what", "which", "who", "whom", "where", "when", "how", "is", "was", "are",
            "were", "does", "do", "did", "has", "have", "the", "a", "an", "in", "of", "it", "its", "name", "tell", "me", "give");

    /** The split of {@code question}, if it describes an entity through its one name. */
    public static Optional<Plan> split(String question) {
        List<int[]> names = AnswerFeatures.nameSpans(question);
        if (names.size() != 1) return Optional.empty();
        String name = question.substring(names.getFirst()[0], names.getFirst()[1]);
        String n = Pattern.quote(name);
        Matcher m = EVENT_IN_WHICH.matcher(question.strip());
        if (m.matches() && m.group(1).equals(name) && CONTAINER.contains(m.group(3)))
            return Optional.of(eventPlace(name, m.group(2).equals("born") ? "birth" : "death", m.group(3)));
        // possessive: "… N's employer …"
        m = Pattern.compile("\\b" + n + "'s " + NOUN + "\\b").matcher(question);
        if (m.find()) return plan(question, name, m, "What is " + name + "'s " + m.group(1) + "?");
        // relative clause: "the company that employs N", "the person who founded N"
        m = Pattern.compile("\\bthe (\\p{Ll}+) (?:that|who|which) (\\p{Ll}+) " + n + "\\b").matcher(question);
        if (m.find()) return plan(question, name, m, "Which " + m.group(1) + " " + m.group(2) + " " + name + "?");
        // of-phrase: "the employer of N"
        m = Pattern.compile("\\bthe " + NOUN + " of " + n + "\\b").matcher(question);
        if (m.find() && !APPOSITIVE.contains(m.group(1)) && !ATTRIBUTE.contains(m.group(1))) return plan(question, name, m, "What is the " + m.group(1) + " of " + name + "?");
        return Optional.empty();
    }

    private static Optional<Plan> plan(String question, String name, Matcher phrase, String inner) {
        String outer = question.substring(0, phrase.start()) + Plan.SLOT + question.substring(phrase.end());
        boolean asksMore = false;
        for (String w : outer.replace(Plan.SLOT, " ").toLowerCase(Locale.ROOT).split("[^\\p{L}]+"))
            if (!w.isEmpty() && !EMPTY.contains(w) && !APPOSITIVE.contains(w)) asksMore = true; // "Which city is {B}?" asks nothing more
        if (asksMore) return Optional.of(new Plan(inner, outer));
        // the question asks the compound itself: "What is N's country of birth?" is the container of the
        // place of the event
        String[] compound = phrase.group(1).split(" of ");
        if (compound.length == 2 && CONTAINER.contains(compound[0]) && EVENT_PLACE.containsKey(compound[1]))
            return Optional.of(eventPlace(name, compound[1], compound[0]));
        return Optional.empty();
    }

    /** Where the event of {@code name} happened, then which {@code container} holds that place. */
    private static Plan eventPlace(String name, String event, String container) {
        return new Plan(EVENT_PLACE.get(event).formatted(name), "Which " + container + " is " + Plan.SLOT + " located in?", true);
    }
}
