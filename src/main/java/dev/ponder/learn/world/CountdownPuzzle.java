package dev.ponder.learn.world;

import dev.ponder.engine.PonderException;
import dev.ponder.knowledge.tools.Expr;
import dev.ponder.knowledge.tools.Rational;
import java.util.ArrayList;
import java.util.List;

/**
 * A countdown puzzle: reach {@code target} by combining some of {@code numbers} with {@code + - * /} and
 * parentheses, each listed number used at most once (a number listed twice may be used twice). Arithmetic
 * is exact (fractions are allowed on the way); unary minus and decimals are not.
 *
 * @param numbers the available numbers, ascending, each positive
 * @param target the number to reach
 */
public record CountdownPuzzle(List<Integer> numbers, int target) {
    public CountdownPuzzle {
        numbers = List.copyOf(numbers);
        if (numbers.isEmpty()) throw new IllegalArgumentException("a puzzle needs numbers");
        for (int n : numbers) if (n <= 0) throw new IllegalArgumentException("numbers must be positive: " + n);
    }

    /** The outcome of checking a proposed answer: {@code reason} says why it was rejected (or "ok"). */
    public record Verdict(boolean valid, String reason) {
        static Verdict ok() {
            return new Verdict(true, "ok");
        }

        static Verdict no(String reason) {
            return new Verdict(false, reason);
        }
    }

    /** The numbers as the prompts list them: {@code 3, 7, 25, 100}. */
    public String numbersText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < numbers.size(); i++) sb.append(i == 0 ? "" : ", ").append(numbers.get(i));
        return sb.toString();
    }

    /**
     * Verifies a proposed answer: an expression, optionally followed by {@code = target}. Accepts exactly the
     * expressions that use only listed numbers (each at most as often as listed), only {@code + - * /} and
     * parentheses, and evaluate exactly to the target. An answer may first work with the calculator ({@link
     * #expressionOf}): then the expression after the last calculation is the one checked.
     */
    public Verdict check(String answer) {
        String text = CalcTool.stripCalls(expressionOf(answer)).strip();
        int eq = text.indexOf('=');
        if (eq >= 0) {
            String claimed = text.substring(eq + 1).strip();
            if (!claimed.equals(Integer.toString(target))) return Verdict.no("claims " + claimed + ", target is " + target);
            text = text.substring(0, eq).strip();
        }
        if (text.isEmpty()) return Verdict.no("no expression");
        Expr e;
        try {
            e = Expr.parse(text);
        } catch (PonderException ex) {
            return Verdict.no(ex.getMessage());
        }
        if (hasNegation(e)) return Verdict.no("unary minus is not allowed");
        List<Expr.Num> leaves = new ArrayList<>();
        e.leaves(leaves);
        List<Integer> left = new ArrayList<>(numbers);
        for (Expr.Num n : leaves) {
            if (!n.text().chars().allMatch(c -> c >= '0' && c <= '9')) return Verdict.no("not a whole number: " + n.text());
            Integer v;
            try {
                v = Integer.valueOf(n.text());
            } catch (NumberFormatException ex) {
                return Verdict.no("number not available: " + n.text());
            }
            if (!left.remove(v)) {
                return Verdict.no(numbers.contains(v) ? "used " + v + " too often" : "number not available: " + v);
            }
        }
        Rational value;
        try {
            value = e.eval();
        } catch (PonderException ex) {
            return Verdict.no(ex.getMessage());
        }
        if (!value.equals(Rational.of(target))) return Verdict.no("evaluates to " + value + ", not " + target);
        return Verdict.ok();
    }

    /**
     * The expression an answer proposes. A worked answer uses the calculator first, e.g. {@code <<calc
     * 89-75>>14; 75+7+7} (what is left to make once 75 is used, then the solution): its expression is the text
     * after the last complete call and that call's result, separators ({@code ; , :}) dropped, or the last
     * call's own expression when nothing follows it ({@code <<calc 75+7+7>>89}). Scratch calculations are never
     * checked, only the expression proposed. An answer without a complete call is its own expression.
     */
    public static String expressionOf(String answer) {
        CalcTool.Call last = null;
        for (java.util.Optional<CalcTool.Call> c = CalcTool.firstCall(answer, 0); c.isPresent(); c = CalcTool.firstCall(answer, c.get().end()))
            last = c.get();
        if (last == null) return answer;
        String rest = answer.substring(last.end());
        if (rest.startsWith(last.result())) rest = rest.substring(last.result().length());
        int i = 0;
        while (i < rest.length() && (Character.isWhitespace(rest.charAt(i)) || ";,:".indexOf(rest.charAt(i)) >= 0)) i++;
        rest = rest.substring(i).strip();
        return rest.isEmpty() ? last.expression() : rest;
    }

    private static boolean hasNegation(Expr e) {
        return switch (e) {
            case Expr.Neg n -> true;
            case Expr.Bin b -> hasNegation(b.left()) || hasNegation(b.right());
            case Expr.Num n -> false;
        };
    }
}
