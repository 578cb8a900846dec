package dev.ponder.chat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two things done to a template's text before jinjava parses it, each mirroring Jinja2's lexer:
 * <ol>
 *   <li>newlines: {@code \r\n} and {@code \r} become {@code \n}, and one final newline is dropped
 *       (Hugging Face keeps Jinja2's {@code keep_trailing_newline=False});</li>
 *   <li>comments: {@code {# ... #}} becomes the no-op tag {@code {% ponder_comment %}} with the same
 *       whitespace markers. Jinja2 treats a comment like a block tag for whitespace control; jinjava drops
 *       comments before it applies it, so a {@code -%}} in front of a comment would strip the text after
 *       the comment too (Command R7B's tool results lose their indentation).</li>
 * </ol>
 * Expression and statement delimiters are skipped with their string literals, so {@code "{#"} inside them
 * is left alone, as is everything inside {@code {% raw %}}.
 */
final class JinjaSource {
    /** Name of the tag that stands in for a comment; it renders nothing. */
    static final String COMMENT_TAG = "ponder_comment";

    private static final Pattern RAW_START = Pattern.compile("\\{%[-+]?\\s*raw\\s*[-+]?%}");
    private static final Pattern RAW_END = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%}");

    private JinjaSource() {}

    static String prepare(String source) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        return replaceComments(s);
    }

    private static String replaceComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        Matcher rawStart = RAW_START.matcher(s);
        Matcher rawEnd = RAW_END.matcher(s);
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("{%", i) && rawStart.region(i, s.length()).lookingAt()) {
                int end = rawEnd.find(rawStart.end()) ? rawEnd.end() : s.length();
                out.append(s, i, end);
                i = end;
            } else if (s.startsWith("{{", i) || s.startsWith("{%", i)) {
                int end = skipDelimited(s, i + 2, s.charAt(i + 1) == '{' ? "}}" : "%}");
                out.append(s, i, end);
                i = end;
            } else if (s.startsWith("{#", i)) {
                int close = s.indexOf("#}", i + 2);
                if (close < 0) { // unterminated: leave it for the parser to report
                    out.append(s, i, s.length());
                    break;
                }
                String inner = s.substring(i + 2, close);
                String lead = !inner.isEmpty() && (inner.charAt(0) == '-' || inner.charAt(0) == '+') ? inner.substring(0, 1) : "";
                String trail = inner.length() > lead.length() && inner.endsWith("-") ? "-" : "";
                out.append("{%").append(lead).append(' ').append(COMMENT_TAG).append(' ').append(trail).append("%}");
                i = close + 2;
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The index just past {@code close}, skipping string literals on the way. */
    private static int skipDelimited(String s, int from, String close) {
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (s.startsWith(close, i)) {
                return i + close.length();
            }
        }
        return s.length();
    }
}
