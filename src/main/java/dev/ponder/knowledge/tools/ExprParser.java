package dev.ponder.knowledge.tools;

import dev.ponder.engine.PonderException;

/** Recursive-descent parser for the grammar documented on {@link Expr}. */
final class ExprParser {
    private final String s;
    private int pos;

    private ExprParser(String s) {
        this.s = s;
    }

    static Expr parse(String text) {
        if (text.length() > Expr.MAX_LENGTH) {
            throw new PonderException("expression longer than " + Expr.MAX_LENGTH + " characters");
        }
        ExprParser p = new ExprParser(text);
        Expr e = p.expr(0);
        p.skipSpaces();
        if (p.pos < text.length()) throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        return e;
    }

    private PonderException error(String what) {
        return new PonderException("bad expression \"" + s + "\": " + what + " at position " + pos);
    }

    private void skipSpaces() {
        while (pos < s.length() && s.charAt(pos) == ' ') pos++;
    }

    private char peek() {
        skipSpaces();
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private Expr expr(int depth) {
        if (depth > Expr.MAX_DEPTH) throw error("nested too deeply");
        Expr e = term(depth);
        for (char c = peek(); c == '+' || c == '-'; c = peek()) {
            pos++;
            e = new Expr.Bin(c, e, term(depth));
        }
        return e;
    }

    private Expr term(int depth) {
        Expr e = factor(depth);
        for (char c = peek(); c == '*' || c == '/'; c = peek()) {
            pos++;
            e = new Expr.Bin(c, e, factor(depth));
        }
        return e;
    }

    private Expr factor(int depth) {
        if (depth > Expr.MAX_DEPTH) throw error("nested too deeply");
        char c = peek();
        if (c == '-') {
            pos++;
            return new Expr.Neg(factor(depth + 1));
        }
        if (c == '(') {
            pos++;
            Expr e = expr(depth + 1);
            if (peek() != ')') throw error("missing ')'");
            pos++;
            return e;
        }
        if (c >= '0' && c <= '9') return number();
        throw error(c == '\0' ? "unexpected end" : "unexpected '" + c + "'");
    }

    private Expr.Num number() {
        int start = pos;
        while (pos < s.length() && isAsciiDigit(s.charAt(pos))) pos++;
        if (pos + 1 < s.length() && s.charAt(pos) == '.' && isAsciiDigit(s.charAt(pos + 1))) {
            pos++;
            while (pos < s.length() && isAsciiDigit(s.charAt(pos))) pos++;
        }
        String text = s.substring(start, pos);
        return new Expr.Num(Rational.parse(text), text);
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
