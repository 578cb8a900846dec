package dev.ponder.engine.tokenizer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A split stage driven by a regex written in the ECMAScript dialect that llama.cpp's pre-tokenizer tables
 * use, run here with {@link java.util.regex} (also a leftmost-first backtracking engine, so alternatives
 * and greedy loops resolve the same way).
 *
 * <p>Unicode classes are handled the way llama.cpp handles them, because that is what defines the expected
 * token ids: a pattern that uses {@code \p{L}}, {@code \p{N}}, {@code \p{P}}, {@code \p{M}} or {@code \p{S}}
 * is matched against a <em>collapsed</em> text in which every non-ASCII codepoint is replaced by one marker
 * character for its category (non-ASCII whitespace by U+000B), and each {@code \p{X}} becomes a class of that
 * marker plus the ASCII members of the category. Other patterns are matched against the text itself, again
 * with non-ASCII whitespace shown as U+000B (ECMAScript's {@code \s} in a byte regex does not know it).
 */
final class RegexSplitter implements SplitStage {
    // category markers standing in for non-ASCII codepoints in the collapsed text
    private static final char OTHER = '\u00D0', NUMBER = '\u00D1', LETTER = '\u00D2', PUNCT = '\u00D3', MARK = '\u00D4', SYMBOL = '\u00D5';

    /** \p{X} -> the members of its replacement class: the marker plus the category's ASCII codepoints. */
    private static final Map<String, String> CLASSES = Map.of(
            "\\p{N}", NUMBER + "0-9",
            "\\p{L}", LETTER + "A-Za-z",
            "\\p{Lu}", LETTER + "A-Za-z",
            "\\p{Ll}", LETTER + "A-Za-z",
            "\\p{Lt}", LETTER + "A-Za-z",
            "\\p{Lm}", LETTER + "A-Za-z",
            "\\p{Lo}", LETTER + "A-Za-z",
            "\\p{P}", PUNCT + "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}",
            "\\p{M}", String.valueOf(MARK),
            "\\p{S}", SYMBOL + "\\$\\+<->^`\\|");

    private final String source;
    private final Pattern pattern;
    private final boolean collapsed;

    RegexSplitter(String regex) {
        this.source = regex;
        this.collapsed = CLASSES.keySet().stream().anyMatch(regex::contains);
        this.pattern = Pattern.compile(translate(regex, collapsed));
    }

    /** The marker (or the codepoint itself, if ASCII) that stands for {@code cp} in the collapsed text. */
    static char collapse(int cp) {
        if (cp < 0x80) return (char) cp;
        if (Unicode.isWhitespace(cp)) return '\u000B';
        return switch (Unicode.category(cp)) {
            case Unicode.NUMBER -> NUMBER;
            case Unicode.LETTER -> LETTER;
            case Unicode.PUNCTUATION -> PUNCT;
            case Unicode.MARK -> MARK;
            case Unicode.SYMBOL -> SYMBOL;
            default -> OTHER;
        };
    }

    /**
     * Rewrites the pattern for java.util.regex: {@code \p{X}} becomes its collapsed class (bracketed unless
     * already inside brackets), and an unescaped {@code $} outside brackets becomes {@code \z}, because
     * ECMAScript's {@code $} (without multiline) matches only at the very end while Java's also matches
     * before a final line terminator.
     */
    static String translate(String regex, boolean collapse) {
        StringBuilder out = new StringBuilder(regex.length() + 32);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            boolean escaped = i > 0 && regex.charAt(i - 1) == '\\';
            if (c == '[' && !escaped) {
                inClass = true;
            } else if (c == ']' && inClass && !escaped) {
                inClass = false;
            } else if (collapse && c == '\\' && regex.startsWith("p{", i + 1)) {
                int close = regex.indexOf('}', i + 3);
                String members = close < 0 ? null : CLASSES.get(regex.substring(i, close + 1));
                if (members != null) {
                    out.append(inClass ? members : "[" + members + "]");
                    i = close;
                    continue;
                }
            } else if (c == '$' && !inClass && !escaped) {
                out.append("\\z");
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    @Override
    public void split(SplitText text, IntList in, IntList out) {
        if (collapsed) splitCollapsed(text, in, out);
        else splitWide(text, in, out);
    }

    /** Collapsed text has exactly one char per codepoint, so char offsets are codepoint offsets. */
    private void splitCollapsed(SplitText text, IntList in, IntList out) {
        Matcher m = pattern.matcher(text.collapsed());
        int start = 0;
        for (int s = 0; s < in.size(); s++) {
            int end = start + in.get(s);
            m.region(start, end);
            int last = start;
            while (m.find()) {
                if (m.start() > last) out.add(m.start() - last);
                out.add(m.end() - m.start());
                last = m.end();
            }
            if (last < end) out.add(end - last);
            start = end;
        }
    }

    /** The wide text may hold surrogate pairs: map char offsets back to codepoint offsets. */
    private void splitWide(SplitText text, IntList in, IntList out) {
        Matcher m = pattern.matcher(text.wide());
        int start = 0;
        for (int s = 0; s < in.size(); s++) {
            int end = start + in.get(s);
            m.region(text.wideCharOf(start), text.wideCharOf(end));
            int last = start;
            while (m.find()) {
                int ms = text.cpOfWideChar(m.start()), me = text.cpOfWideChar(m.end());
                if (ms > last) out.add(ms - last);
                out.add(me - ms);
                last = me;
            }
            if (last < end) out.add(end - last);
            start = end;
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
