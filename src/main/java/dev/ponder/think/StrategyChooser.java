package dev.ponder.think;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chooses how a pause explores, from the question, the draft and its weakest span, and what is available
 * (a library, tools, a verifier for the question's goal). The rules, in order:
 * <ol>
 *   <li>The question states a goal a verifier can check (a countdown target) → {@link Strategy#SEARCH}.</li>
 *   <li>The doubt is about a number to compute: the draft calls a tool, or the question asks for an age, a
 *       difference or another quantity derived from numbers → {@link Strategy#TOOL}.</li>
 *   <li>The doubt is about a fact (a name, a year, a place) and a library is there → {@link Strategy#RETRIEVE}.</li>
 *   <li>Nothing to read or compute with → {@link Strategy#CONSULT}: sample the model and take the consensus.</li>
 * </ol>
 * A strategy that is not available (no tools, no verifier) is skipped; the next rule applies. Every choice
 * comes with its reason, which the trace shows.
 */
public final class StrategyChooser {
    /** A choice and why. */
    public record Choice(Strategy strategy, String reason) {}

    /** Words that ask for a quantity computed from other numbers. */
    private static final Pattern COMPUTE = Pattern.compile(
            "\\b(how many years|how old|age|older|younger|difference|how long|sum|total|product|times|minus|plus|"
                    + "divided|multiplied|lived for|been around|years? (passed|between|after|before))\\b");
    /** Two or more numbers joined by an arithmetic operator, e.g. {@code 17 * 3}. */
    private static final Pattern EXPRESSION = Pattern.compile("\\d\\s*[-+*/×÷]\\s*\\d");

    private final Set<Strategy> available;

    /** A chooser that may pick any of {@code available} (CONSULT is always possible). */
    public StrategyChooser(Set<Strategy> available) {
        this.available = available.isEmpty() ? EnumSet.of(Strategy.CONSULT) : EnumSet.copyOf(available);
        this.available.add(Strategy.CONSULT);
    }

    /** The strategies this chooser may pick. */
    public Set<Strategy> available() {
        return EnumSet.copyOf(available);
    }

    /**
     * The strategy for a pause on {@code question} whose draft answer is {@code draftText} with weakest token
     * {@code weakest} (may be empty); {@code verifiable} says whether a verifier exists for the question's goal.
     */
    public Choice choose(String question, String draftText, String weakest, boolean verifiable) {
        String q = question.toLowerCase(Locale.ROOT);
        if (verifiable && available.contains(Strategy.SEARCH))
            return new Choice(Strategy.SEARCH, "the question sets a goal a verifier can check: search for an answer that passes it");
        if (available.contains(Strategy.TOOL)) {
            if (draftText.contains("<<"))
                return new Choice(Strategy.TOOL, "the draft calls a tool: a number to compute, computed exactly");
            if (COMPUTE.matcher(q).find() || EXPRESSION.matcher(q).find())
                return new Choice(Strategy.TOOL, "the question asks for a quantity computed from numbers"
                        + (isNumber(weakest) ? " and the doubt is the number \"" + weakest.strip() + "\"" : ""));
        }
        if (available.contains(Strategy.RETRIEVE))
            return new Choice(Strategy.RETRIEVE, "the doubt is a fact" + (weakest.isBlank() ? "" : " (\"" + weakest.strip() + "\")")
                    + ": read about it in the library");
        return new Choice(Strategy.CONSULT, "no library, tool or verifier fits: ask the model several times and take the consensus");
    }

    private static boolean isNumber(String s) {
        String t = s.strip();
        return !t.isEmpty() && t.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '-');
    }

    /** All strategies but those in {@code without}. */
    public static Set<Strategy> allBut(Strategy... without) {
        Set<Strategy> s = EnumSet.allOf(Strategy.class);
        s.removeAll(List.of(without));
        return s;
    }
}
