package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Question templates other than the single- and multi-hop fact questions ({@link Relation}, {@link Chain}):
 * arithmetic over facts, plain arithmetic, countdown, and the eval-only questions about facts nobody
 * recorded. Every family has a training set and a disjoint eval set; {@link #trainTemplates()} and
 * {@link #evalTemplates()} list them all so a test can check they never overlap.
 *
 * <p>Placeholders: {@code {s}} and {@code {t}} entity names, {@code {y}} a year, {@code {e}} an
 * expression, {@code {a}}/{@code {b}} numbers, {@code {nums}} a number list, {@code {target}} a target.
 */
public final class Phrasings {
    private Phrasings() {}

    /** A person's age in a year: answer {@code y - born}. */
    public static final List<String> AGE_TRAIN = List.of("How old was {s} in {y}?", "How many years old was {s} in {y}?",
            "How many years had {s} lived by {y}?", "In {y}, how old was {s}?", "What age was {s} in {y}?", "What was {s}'s age in {y}?");
    public static final List<String> AGE_EVAL = List.of("What was the age of {s} in the year {y}?", "By {y}, {s} had lived for how many years?");

    /** Two people, {@code {s}} the older: answer the difference of birth years. */
    public static final List<String> GAP_TRAIN = List.of("How many years older is {s} than {t}?", "{s} was born how many years before {t}?",
            "By how many years is {s} older than {t}?", "What is the age difference between {s} and {t}?",
            "How many years separate the births of {s} and {t}?");
    public static final List<String> GAP_EVAL = List.of("What is the difference in years between the births of {s} and {t}?",
            "How much older, in years, is {s} than {t}?");

    /** A city's or company's age in a year: answer {@code y - founded}. */
    public static final List<String> EXISTED_TRAIN = List.of("How many years had {s} existed in {y}?", "How old was {s} in the year {y}?",
            "By {y}, how many years had {s} existed?", "How long had {s} been around in {y}?", "In {y}, how old was {s} in years?");
    public static final List<String> EXISTED_EVAL = List.of("In {y}, what was the age of {s} in years?", "For how many years had {s} been around by {y}?");

    /** Plain arithmetic on a written expression (training only). */
    public static final List<String> PURE_TRAIN = List.of("What is {e}?", "Calculate {e}.", "Compute {e}.");
    /** Plain arithmetic in words, by operator (training only). */
    public static final Map<Character, String> PURE_WORDS_TRAIN = Map.of(
            '+', "What is {a} plus {b}?", '-', "What is {a} minus {b}?", '*', "What is {a} times {b}?", '/', "What is {a} divided by {b}?");

    /** Countdown questions. */
    public static final List<String> COUNTDOWN_TRAIN = List.of(
            "Use the numbers {nums} to make {target}. Each number may be used at most once, with + - * /.",
            "Reach {target} from {nums} using + - * / and each number at most once.",
            "Countdown: numbers {nums}, target {target}. Use + - * / and each number at most once.");
    public static final List<String> COUNTDOWN_EVAL = List.of(
            "Combine {nums} with + - * / (each at most once) to get {target}.",
            "Target {target}; available numbers {nums}; each may be used once at most, with + - * /. Give an expression.");

    /**
     * Training questions about facts the world does not record (answer: unknown), asked over a passage that
     * lacks them, so a model learns that a fact the passage does not state is unknown. Disjoint from
     * {@link #UNRECORDED_EVAL} in the facts asked, not only in wording.
     */
    public static final Map<String, List<String>> UNRECORDED_TRAIN = Map.of(
            "person", List.of("What is the favourite colour of {s}?", "How tall is {s}?", "What pet does {s} keep?",
                    "Which school did {s} attend?", "What is {s}'s middle name?"),
            "city", List.of("How large is {s} in square kilometres?", "Which river runs through {s}?"),
            "country", List.of("What language is spoken in {s}?", "What is the national animal of {s}?"),
            "company", List.of("What does {s} sell?", "Who is the chief executive of {s}?"));

    /** Eval-only questions about facts the world does not record (answer: unknown), by subject kind. */
    public static final Map<String, List<String>> UNRECORDED_EVAL = Map.of(
            "person", List.of("Who is the spouse of {s}?", "What is the favourite food of {s}?", "In which year did {s} retire?"),
            "city", List.of("Who is the mayor of {s}?", "What is the population of {s}?"),
            "country", List.of("What currency is used in {s}?", "Who leads the government of {s}?"),
            "company", List.of("How many employees does {s} have?", "What was the revenue of {s} last year?"));

    /** Every question template the training corpus uses. */
    public static List<String> trainTemplates() {
        List<String> all = new ArrayList<>();
        for (Relation r : Relation.values()) all.addAll(r.trainTemplates());
        for (Chain c : Chain.values()) all.addAll(c.trainTemplates());
        all.addAll(AGE_TRAIN);
        all.addAll(GAP_TRAIN);
        all.addAll(EXISTED_TRAIN);
        all.addAll(PURE_TRAIN);
        for (char op : new char[] {'+', '-', '*', '/'}) all.add(PURE_WORDS_TRAIN.get(op));
        all.addAll(COUNTDOWN_TRAIN);
        for (String kind : List.of("person", "city", "country", "company")) all.addAll(UNRECORDED_TRAIN.get(kind));
        return all;
    }

    /** Every question template the eval sets use. */
    public static List<String> evalTemplates() {
        List<String> all = new ArrayList<>();
        for (Relation r : Relation.values()) all.addAll(r.evalTemplates());
        for (Chain c : Chain.values()) all.addAll(c.evalTemplates());
        all.addAll(AGE_EVAL);
        all.addAll(GAP_EVAL);
        all.addAll(EXISTED_EVAL);
        all.addAll(COUNTDOWN_EVAL);
        for (String kind : List.of("person", "city", "country", "company")) all.addAll(UNRECORDED_EVAL.get(kind));
        return all;
    }

    /**
     * Fills {@code template} with {@code keyValues} given as alternating keys and values
     * ({@code fill("Who founded {s}?", "s", "Zunda Works")}); throws if a placeholder is left.
     */
    public static String fill(String template, String... keyValues) {
        String out = template;
        for (int i = 0; i + 1 < keyValues.length; i += 2) out = out.replace("{" + keyValues[i] + "}", keyValues[i + 1]);
        if (out.indexOf('{') >= 0) throw new IllegalArgumentException("unfilled placeholder in: " + out);
        return out;
    }
}
