package dev.ponder.think;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The inline tool-call syntax, generalised from the world's calculator call {@code <<calc EXPR>>}:
 * <pre>
 * call := '&lt;&lt;' NAME ' ' ARGS '&gt;&gt;'
 * NAME := letter ( letter | digit | '_' | '-' | '.' )*        (at most {@value #MAX_NAME} characters)
 * ARGS := plain text without '&gt;&gt;'           (the tool's own form, e.g. calc's expression; may be empty)
 *       | JSON object                        ({"a":2,"b":3}; may contain '&gt;&gt;' inside strings)
 * </pre>
 * The space after the name is required, as in the world's {@code <<calc }: a tool without arguments is
 * called as {@code <<NAME >>} or <code>&lt;&lt;NAME {}&gt;&gt;</code>. With only {@code calc} known, calls are
 * found exactly where the world's calculator finds them.
 * The runtime inserts the result right after {@code >>}. Only text the model generated is scanned for calls,
 * never the prompt or injected evidence, and evidence is {@linkplain #neutralise(String) neutralised} before
 * the model reads it so that it cannot even show the model call markup to copy.
 */
public final class ToolCallParser {
    /** Opens a call. */
    public static final String OPEN = "<<";
    /** Closes a call; the result follows immediately. */
    public static final String CLOSE = ">>";
    /** Longest tool name accepted. */
    public static final int MAX_NAME = 64;

    private ToolCallParser() {}

    /**
     * A complete call found in text.
     *
     * @param start index of {@code <<}
     * @param end index just after {@code >>}: where the result goes
     * @param tool the tool's name
     * @param arguments the text between the name and {@code >>}, stripped (a JSON object starts with
     *                  <code>{</code>; may be empty)
     */
    public record Call(int start, int end, String tool, String arguments) {
        /** Whether the arguments are written as a JSON object rather than the tool's plain form. */
        public boolean json() {
            return arguments.startsWith("{");
        }
    }

    /** The first complete call of any name at or after {@code from}. */
    public static Optional<Call> firstCall(String text, int from) {
        return firstCall(text, from, name -> true);
    }

    /**
     * The first complete call at or after {@code from} whose tool name {@code known} accepts; markup naming
     * any other tool is left as text. Empty while the first call is still being written (no {@code >>} yet,
     * or an unclosed JSON object): the caller scans again after more tokens.
     */
    public static Optional<Call> firstCall(String text, int from, Predicate<String> known) {
        int at = Math.max(0, from);
        while (true) {
            int start = text.indexOf(OPEN, at);
            if (start < 0) return Optional.empty();
            int nameEnd = start + OPEN.length();
            while (nameEnd < text.length() && nameEnd - start - OPEN.length() < MAX_NAME && isNameChar(text.charAt(nameEnd), nameEnd == start + OPEN.length())) nameEnd++;
            String name = text.substring(start + OPEN.length(), nameEnd);
            if (name.isEmpty() || !known.test(name)) {
                at = start + 1;
                continue;
            }
            if (nameEnd == text.length()) return Optional.empty();      // the name may still be growing
            if (text.charAt(nameEnd) != ' ') {
                at = start + 1;
                continue;
            }
            int argsFrom = nameEnd + 1;
            int firstNonSpace = argsFrom;
            while (firstNonSpace < text.length() && text.charAt(firstNonSpace) == ' ') firstNonSpace++;
            int close;
            if (firstNonSpace < text.length() && text.charAt(firstNonSpace) == '{') {
                int objectEnd = jsonObjectEnd(text, firstNonSpace);
                if (objectEnd < 0) return Optional.empty();             // the object is still being written
                close = text.indexOf(CLOSE, objectEnd);
            } else {
                close = text.indexOf(CLOSE, argsFrom);
            }
            if (close < 0) return Optional.empty();
            return Optional.of(new Call(start, close + CLOSE.length(), name, text.substring(argsFrom, close).strip()));
        }
    }

    /**
     * Makes text inert as call markup: every {@code <} directly after a {@code <} (and {@code >} after
     * {@code >}) gets a space before it, so {@code <<calc 1+1>>} reads {@code < <calc 1+1> >}. Applied to
     * everything injected into the model's context (retrieved passages, tool results).
     */
    public static String neutralise(String text) {
        if (!text.contains(OPEN) && !text.contains(CLOSE)) return text;
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '<' || c == '>') && !sb.isEmpty() && sb.charAt(sb.length() - 1) == c) sb.append(' ');
            sb.append(c);
        }
        return sb.toString();
    }

    private static boolean isNameChar(char c, boolean first) {
        boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
        if (first) return letter;
        return letter || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.';
    }

    /** Index just after the JSON object opening at {@code open} (string-aware brace matching), or -1 if unclosed. */
    static int jsonObjectEnd(String s, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) return i + 1;
            }
        }
        return -1;
    }
}
