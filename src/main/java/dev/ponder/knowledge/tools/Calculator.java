package dev.ponder.knowledge.tools;

/** The exact evaluator behind the {@code calc} tool ({@link CalculatorTool}): rationals with {@code + - * /} and parentheses. */
public final class Calculator {
    private Calculator() {}

    /**
     * The exact value of {@code expression} (grammar on {@link Expr}); throws
     * {@link dev.ponder.engine.PonderException} when it does not parse or divides by zero.
     */
    public static Rational evaluate(String expression) {
        return Expr.parse(expression).eval();
    }
}
