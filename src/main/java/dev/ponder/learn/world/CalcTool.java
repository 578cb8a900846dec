package dev.ponder.learn.world;

import dev.ponder.engine.PonderException;
import dev.ponder.knowledge.tools.Calculator;
import java.util.Optional;

/**
 * The calculator tool call, written inline in generated text.
 *
 * <p>Format: the model writes {@code <<calc EXPR>>}; the runtime evaluates {@code EXPR} exactly (see
 * {@link Expr} for the grammar: integers, decimals, {@code + - * /}, parentheses) and inserts the result
 * right after the closing {@code >>}; the model then continues (usually with a newline). A complete answer
 * line reads
 * <pre>
 * Answer: &lt;&lt;calc 2031-1987&gt;&gt;44
 * </pre>
 * Results print as an integer ({@code 44}, {@code -3}) or a reduced fraction ({@code 7/3}); an expression
 * that does not parse or divides by zero yields {@value #ERROR}. Everything is plain ASCII.
 *
 * <p>Runtime use while decoding: keep an index {@code scanFrom} (initially where generation began); after
 * each token call {@link #firstCall(String, int) firstCall(text, scanFrom)}; when it finds a call, cut the
 * text at {@link Call#end()} (dropping anything the model wrote past {@code >>}, e.g. a merged token),
 * append {@link Call#result()}, set {@code scanFrom} to the new length and resume decoding.
 */
public final class CalcTool {
    /** Opens a call; note the single space after {@code calc}. */
    public static final String OPEN = "<<calc ";
    /** Closes a call; the result follows immediately. */
    public static final String CLOSE = ">>";
    /** Inserted when the expression is not valid or divides by zero. */
    public static final String ERROR = "error";

    private CalcTool() {}

    /**
     * A complete call found in text.
     *
     * @param start index of {@code <<calc }
     * @param end index just after {@code >>}: where the result goes
     * @param expression the text between {@code <<calc } and {@code >>}, stripped
     * @param result what to insert: the exact value or {@value #ERROR}
     */
    public record Call(int start, int end, String expression, String result) {}

    /** The call markup alone: {@code <<calc EXPR>>}. */
    public static String call(String expression) {
        return OPEN + expression + CLOSE;
    }

    /** A call with its result, as it reads after the runtime ran it: {@code <<calc 2031-1987>>44}. */
    public static String callWithResult(String expression) {
        return call(expression) + result(expression);
    }

    /** The text the runtime inserts for {@code expression}: its exact value, or {@value #ERROR}. */
    public static String result(String expression) {
        try {
            return Calculator.evaluate(expression).toString();
        } catch (PonderException e) {
            return ERROR;
        }
    }

    /** The first complete call {@code <<calc EXPR>>} starting at or after {@code from}, if any. */
    public static Optional<Call> firstCall(String text, int from) {
        int start = text.indexOf(OPEN, Math.max(0, from));
        if (start < 0) return Optional.empty();
        int close = text.indexOf(CLOSE, start + OPEN.length());
        if (close < 0) return Optional.empty();
        String expression = text.substring(start + OPEN.length(), close).strip();
        return Optional.of(new Call(start, close + CLOSE.length(), expression, result(expression)));
    }

    /**
     * Removes call markup and keeps what followed it: {@code "<<calc 2031-1987>>44"} becomes {@code "44"}.
     * Text without calls is returned unchanged.
     */
    public static String stripCalls(String text) {
        StringBuilder sb = new StringBuilder();
        int pos = 0;
        for (Optional<Call> c = firstCall(text, 0); c.isPresent(); c = firstCall(text, pos)) {
            sb.append(text, pos, c.get().start());
            pos = c.get().end();
        }
        return sb.append(text, pos, text.length()).toString();
    }
}
