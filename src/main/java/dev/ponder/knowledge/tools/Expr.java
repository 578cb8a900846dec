package dev.ponder.knowledge.tools;

import dev.ponder.engine.PonderException;
import java.util.List;

/**
 * An arithmetic expression over exact rationals: numbers, unary minus, {@code + - * /} and parentheses.
 * The calculator tool ({@link CalculatorTool}) and the world's countdown verifier both parse with
 * {@link #parse(String)}.
 *
 * <p>Grammar (ASCII, spaces ignored):
 * <pre>
 * expr   := term (('+' | '-') term)*
 * term   := factor (('*' | '/') factor)*
 * factor := '-' factor | '(' expr ')' | number
 * number := digit+ ('.' digit+)?
 * </pre>
 * {@link #toString()} prints with the fewest parentheses that keep the meaning, e.g. {@code (100+3)*4}.
 */
public sealed interface Expr permits Expr.Num, Expr.Neg, Expr.Bin {
    /** Longest accepted source text, and deepest nesting, so hostile input cannot exhaust the stack. */
    int MAX_LENGTH = 1000, MAX_DEPTH = 100;

    /** The exact value; throws {@link PonderException} on division by zero. */
    Rational eval();

    /** Appends the number literals of this expression, left to right. */
    void leaves(List<Num> out);

    /** A number literal; {@code text} is how it was written (e.g. {@code 25} or {@code 2.5}). */
    record Num(Rational value, String text) implements Expr {
        /** The integer literal {@code n}. */
        public static Num of(long n) {
            return new Num(Rational.of(n), Long.toString(n));
        }

        @Override
        public Rational eval() {
            return value;
        }

        @Override
        public void leaves(List<Num> out) {
            out.add(this);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Unary minus. */
    record Neg(Expr operand) implements Expr {
        @Override
        public Rational eval() {
            return operand.eval().negate();
        }

        @Override
        public void leaves(List<Num> out) {
            operand.leaves(out);
        }

        @Override
        public String toString() {
            return operand instanceof Bin ? "-(" + operand + ")" : "-" + operand;
        }
    }

    /** A binary operation; {@code op} is one of {@code + - * /}. */
    record Bin(char op, Expr left, Expr right) implements Expr {
        public Bin {
            if ("+-*/".indexOf(op) < 0) throw new IllegalArgumentException("operator " + op);
        }

        @Override
        public Rational eval() {
            Rational a = left.eval(), b = right.eval();
            return switch (op) {
                case '+' -> a.add(b);
                case '-' -> a.subtract(b);
                case '*' -> a.multiply(b);
                default -> {
                    if (b.signum() == 0) throw new PonderException("division by zero");
                    yield a.divide(b);
                }
            };
        }

        @Override
        public void leaves(List<Num> out) {
            left.leaves(out);
            right.leaves(out);
        }

        private static int prec(char op) {
            return op == '+' || op == '-' ? 1 : 2;
        }

        @Override
        public String toString() {
            int p = prec(op);
            String l = left.toString(), r = right.toString();
            if (left instanceof Bin b && prec(b.op) < p) l = "(" + l + ")";
            boolean wrapRight = right instanceof Neg
                    || right instanceof Bin b && (prec(b.op) < p || prec(b.op) == p && (op == '-' || op == '/'));
            if (wrapRight) r = "(" + r + ")";
            return l + op + r;
        }
    }

    /** Parses {@code text}; throws {@link PonderException} naming the problem when it is not an expression. */
    public static Expr parse(String text) {
        return ExprParser.parse(text);
    }
}
