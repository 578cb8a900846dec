package dev.ponder.learn.world;

import dev.ponder.knowledge.tools.Rational;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a model's answer to an eval question is right. The answer is the text after
 * {@code Answer:} up to the newline ({@link PromptFormat#answerOf}); calculator markup is removed first,
 * keeping the inserted result.
 *
 * <ul>
 *   <li>{@link #exact(List)} (K, U, N, H, R): normalized exact match against any accepted answer: case,
 *       surrounding spaces and quotes, a final period and a leading article (a, an, the) are ignored.
 *   <li>{@link #numeric(Rational)} (A): the first number in the answer ({@code 44}, {@code -3},
 *       {@code 7/3}, {@code 2.5}) must equal the expected value exactly.
 *   <li>{@link #countdown(CountdownPuzzle)} (C): the answer must be an expression that
 *       {@link CountdownPuzzle#check} verifies; any valid solution counts.
 * </ul>
 */
@FunctionalInterface
public interface Checker {
    /** True if {@code answer} is right. */
    boolean accepts(String answer);

    /** The checker for {@code q}'s category. */
    static Checker forQuestion(EvalQuestion q) {
        return switch (q.category()) {
            case A -> numeric(Rational.parse(q.answers().getFirst()));
            case C -> countdown(q.puzzle());
            default -> exact(q.answers());
        };
    }

    /** Normalized exact match against any of {@code accepted}. */
    static Checker exact(List<String> accepted) {
        List<String> norm = new ArrayList<>();
        for (String a : accepted) norm.add(normalize(a));
        return answer -> norm.contains(normalize(answer));
    }

    /** The first number in the answer equals {@code expected}. */
    static Checker numeric(Rational expected) {
        Pattern number = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?(?:/[0-9]+)?");
        return answer -> {
            Matcher m = number.matcher(CalcTool.stripCalls(answer));
            if (!m.find()) return false;
            try {
                return Rational.parse(m.group()).equals(expected);
            } catch (ArithmeticException | NumberFormatException e) {
                return false;
            }
        };
    }

    /** The answer is a verified solution of {@code puzzle}. */
    static Checker countdown(CountdownPuzzle puzzle) {
        return answer -> puzzle.check(answer).valid();
    }

    /** Lower case, calculator markup removed, spaces collapsed, quotes, final period and leading article dropped. */
    static String normalize(String answer) {
        String s = CalcTool.stripCalls(answer).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        while (!s.isEmpty() && ".\"'".indexOf(s.charAt(s.length() - 1)) >= 0) s = s.substring(0, s.length() - 1).strip();
        while (!s.isEmpty() && "\"'".indexOf(s.charAt(0)) >= 0) s = s.substring(1).strip();
        for (String article : new String[] {"a ", "an ", "the "}) {
            if (s.startsWith(article)) {
                s = s.substring(article.length()).strip();
                break;
            }
        }
        return s;
    }
}
