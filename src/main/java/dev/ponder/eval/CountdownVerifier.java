package dev.ponder.eval;

import dev.ponder.engine.PonderException;
import dev.ponder.learn.world.CountdownPuzzle;
import dev.ponder.knowledge.tools.Expr;
import dev.ponder.learn.world.Phrasings;
import dev.ponder.knowledge.tools.Rational;
import dev.ponder.think.search.Verifier;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A countdown puzzle as a search {@link Verifier}. The reward is {@link CountdownPuzzle#check}: 1 for a verified
 * solution. A wrong but well-formed answer (listed numbers, each at most as often as listed, balanced) earns
 * {@code 0.8 / (1 + |value - target| / max(1, target / 25))}: 0.8 at the target (impossible for a wrong
 * answer), about 0.4 one twenty-fifth of the target away, and falling towards 0; anything else earns 0.
 *
 * <p>Pruning: answers may only contain digits, {@code + - * / ( )} and spaces ({@link #ALPHABET}), and
 * {@link #allowsPrefix} rejects a partial answer as soon as it cannot become a well-formed expression over the
 * puzzle's numbers: a number not listed (or used more often than listed), a digit not continuing a listed number,
 * an operator or {@code )} where an operand is due, an operand where an operator is due, or an operand due when
 * every number is used. Numbers must be written as listed (no leading zeros, which the check would accept:
 * pruning them loses no solution). So the "each number at most once" rule is enforced by pruning during the search, and
 * checked again by {@link CountdownPuzzle#check} on every complete answer.
 */
public final class CountdownVerifier implements Verifier {
    /** The characters of an answer. */
    public static final String ALPHABET = "0123456789+-*/() ";
    /** Reward of a wrong answer that lands on the target value (never reached: such an answer is right). */
    static final double PARTIAL_MAX = 0.8;

    private final CountdownPuzzle puzzle;
    /** The distinct numbers, as written; [distinct]. */
    private final String[] numbers;
    /** How often each distinct number may be used; [distinct]. */
    private final int[] counts;

    public CountdownVerifier(CountdownPuzzle puzzle) {
        this.puzzle = puzzle;
        List<Integer> distinct = puzzle.numbers().stream().distinct().toList();
        numbers = new String[distinct.size()];
        counts = new int[distinct.size()];
        for (int i = 0; i < numbers.length; i++) {
            int n = distinct.get(i);
            numbers[i] = Integer.toString(n);
            counts[i] = (int) puzzle.numbers().stream().filter(x -> x == n).count();
        }
    }

    public CountdownPuzzle puzzle() {
        return puzzle;
    }

    /** The patterns of the world's countdown phrasings: {nums} and {target} become groups. */
    private static final List<Pattern> PHRASINGS = phrasings();

    private static List<Pattern> phrasings() {
        List<String> all = new ArrayList<>(Phrasings.COUNTDOWN_EVAL);
        all.addAll(Phrasings.COUNTDOWN_TRAIN);
        List<Pattern> out = new ArrayList<>();
        for (String t : all) {
            StringBuilder re = new StringBuilder();
            Matcher m = Pattern.compile("\\{(nums|target)}").matcher(t);
            int at = 0;
            while (m.find()) {
                re.append(Pattern.quote(t.substring(at, m.start())));
                re.append(m.group(1).equals("nums") ? "(?<nums>[0-9]+(?:, [0-9]+)*)" : "(?<target>[0-9]+)");
                at = m.end();
            }
            re.append(Pattern.quote(t.substring(at)));
            out.add(Pattern.compile(re.toString()));
        }
        return out;
    }

    /** The verifier of a question phrased as one of the world's countdown puzzles, or empty for any other question. */
    public static Optional<CountdownVerifier> forQuestion(String question) {
        for (Pattern p : PHRASINGS) {
            Matcher m = p.matcher(question.strip());
            if (!m.matches()) continue;
            try {
                List<Integer> nums = new ArrayList<>();
                for (String n : m.group("nums").split(", ")) nums.add(Integer.parseInt(n));
                return Optional.of(new CountdownVerifier(new CountdownPuzzle(nums, Integer.parseInt(m.group("target")))));
            } catch (IllegalArgumentException e) { // a number too large for an int, or not positive
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public Score score(String answer) {
        // a search answer is a plain expression (the alphabet); a worked answer with the calculator is for fast mode
        for (int i = 0; i < answer.length(); i++)
            if (ALPHABET.indexOf(answer.charAt(i)) < 0) return Score.rejected(0, "not a plain expression: '" + answer.charAt(i) + "'");
        CountdownPuzzle.Verdict v = puzzle.check(answer);
        if (v.valid()) return Score.verified();
        if (!allowsEnd(answer)) return Score.rejected(0, v.reason());
        Rational value;
        try {
            value = Expr.parse(answer.strip()).eval();
        } catch (PonderException e) {
            return Score.rejected(0, v.reason());
        }
        double off = distance(value, puzzle.target());
        return Score.rejected(PARTIAL_MAX / (1 + off / Math.max(1, puzzle.target() / 25.0)), v.reason());
    }

    private static double distance(Rational value, int target) {
        BigDecimal v = new BigDecimal(value.numerator()).divide(new BigDecimal(value.denominator()), MathContext.DECIMAL64);
        return v.subtract(BigDecimal.valueOf(target)).abs().doubleValue();
    }

    @Override
    public String alphabet() {
        return ALPHABET;
    }

    @Override
    public boolean allowsPrefix(String partial) {
        return scan(partial) != null;
    }

    @Override
    public boolean allowsEnd(String answer) {
        Scan s = scan(answer);
        return s != null && s.complete();
    }

    /**
     * Where a scan of a partial answer stands.
     *
     * @param expectOperand a number or {@code (} must come next
     * @param depth open parentheses
     * @param openLiteral the text ends in the digits of a number being written
     * @param literalIsNumber those digits already are an available number
     */
    private record Scan(boolean expectOperand, int depth, boolean openLiteral, boolean literalIsNumber) {
        boolean complete() {
            return !expectOperand && depth == 0 && (!openLiteral || literalIsNumber);
        }
    }

    /** Scans {@code text}; null as soon as it cannot become a well-formed answer over the puzzle's numbers. */
    private Scan scan(String text) {
        int[] left = counts.clone(); // uses left of each distinct number
        boolean expectOperand = true;
        int depth = 0;
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (literal.isEmpty() && !expectOperand) return null; // a number right after a number or ')'
                literal.append(c);
                expectOperand = false;
                continue;
            }
            if (!literal.isEmpty()) {
                if (!take(left, literal.toString())) return null;
                literal.setLength(0);
            }
            switch (c) {
                case ' ' -> {}
                case '(' -> {
                    if (!expectOperand) return null;
                    depth++;
                }
                case ')' -> {
                    if (expectOperand || depth == 0) return null;
                    depth--;
                }
                case '+', '-', '*', '/' -> {
                    if (expectOperand) return null; // no unary minus
                    expectOperand = true;
                }
                default -> {
                    return null;
                }
            }
        }
        if (!literal.isEmpty()) {
            if (!continues(left, literal.toString())) return null;
            return new Scan(false, depth, true, take(left, literal.toString()));
        }
        int free = 0;
        for (int n : left) free += n;
        if (expectOperand && free == 0) return null; // an operand is due but every number is used
        return new Scan(expectOperand, depth, false, false);
    }

    /** Uses the number written {@code literal}; false if it is not listed or used up. */
    private boolean take(int[] left, String literal) {
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i].equals(literal) && left[i] > 0) {
                left[i]--;
                return true;
            }
        }
        return false;
    }

    /** True if some number still available starts with {@code literal}. */
    private boolean continues(int[] left, String literal) {
        for (int i = 0; i < numbers.length; i++) if (left[i] > 0 && numbers[i].startsWith(literal)) return true;
        return false;
    }
}
