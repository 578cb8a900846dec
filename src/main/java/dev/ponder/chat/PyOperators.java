package dev.ponder.chat;

import com.hubspot.jinjava.objects.SafeString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;

/**
 * Python's {@code +}, {@code *} and Jinja2's {@code ~}. Jinjava's own operators coerce freely
 * ({@code "a" + 1} gives {@code "a1"}, {@code "a" + undefined} gives {@code "anull"}, {@code "-" * 3} fails);
 * templates rely on Python's rules, including {@code Markup + str} escaping the plain string.
 */
final class PyOperators {
    private PyOperators() {}

    /** Python {@code a + b}. */
    static final AstBinary.SimpleOperator ADD = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return add(a, b);
        }

        @Override
        public String toString() {
            return "+";
        }
    };

    /** Python {@code a * b}. */
    static final AstBinary.SimpleOperator MUL = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return multiply(a, b);
        }

        @Override
        public String toString() {
            return "*";
        }
    };

    /** Jinja2 {@code a ~ b}: the str() of both, joined (undefined counts as empty). */
    static final AstBinary.SimpleOperator CONCAT = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return PyValues.str(a) + PyValues.str(b);
        }

        @Override
        public String toString() {
            return "~";
        }
    };

    static Object add(Object a, Object b) {
        if (PyValues.isUndefined(a)) throw TemplateAbort.undefined(PyValues.undefinedMessage(a));
        if (PyValues.isUndefined(b)) throw TemplateAbort.undefined(PyValues.undefinedMessage(b));
        if (a instanceof SafeString || b instanceof SafeString) {
            if (PyValues.isString(a) && PyValues.isString(b)) return new SafeString(escaped(a) + escaped(b));
        }
        if (PyValues.isString(a)) {
            if (PyValues.isString(b)) return PyValues.str(a) + PyValues.str(b);
            throw TemplateAbort.typeError("can only concatenate str (not \"" + PyValues.typeName(b) + "\") to str");
        }
        if (a instanceof List<?> la) {
            if (!(b instanceof List<?> lb)) {
                throw TemplateAbort.typeError("can only concatenate list (not \"" + PyValues.typeName(b) + "\") to list");
            }
            List<Object> joined = new ArrayList<>(la);
            joined.addAll(lb);
            return joined;
        }
        if (isNumber(a) && isNumber(b)) return arithmetic(a, b, true);
        throw unsupported("+", a, b);
    }

    static Object multiply(Object a, Object b) {
        if (PyValues.isUndefined(a)) throw TemplateAbort.undefined(PyValues.undefinedMessage(a));
        if (PyValues.isUndefined(b)) throw TemplateAbort.undefined(PyValues.undefinedMessage(b));
        if ((PyValues.isString(a) || a instanceof List) && isIntLike(b)) return repeat(a, ((Number) asNumber(b)).intValue());
        if ((PyValues.isString(b) || b instanceof List) && isIntLike(a)) return repeat(b, ((Number) asNumber(a)).intValue());
        if (isNumber(a) && isNumber(b)) return arithmetic(a, b, false);
        throw unsupported("*", a, b);
    }

    private static String escaped(Object s) {
        return s instanceof SafeString safe ? safe.getValue() : PyStrings.escapeHtml(PyValues.str(s));
    }

    private static Object repeat(Object seq, int times) {
        int n = Math.max(0, times);
        if (PyValues.isString(seq)) {
            String s = PyValues.str(seq).repeat(n);
            return seq instanceof SafeString ? new SafeString(s) : s;
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.addAll((List<?>) seq);
        return Collections.unmodifiableList(out);
    }

    private static boolean isNumber(Object v) {
        return v instanceof Number || v instanceof Boolean;
    }

    private static boolean isIntLike(Object v) {
        return PyValues.isInt(v) || v instanceof Boolean;
    }

    private static Object asNumber(Object v) {
        return v instanceof Boolean b ? (b ? 1L : 0L) : v;
    }

    private static Object arithmetic(Object a, Object b, boolean add) {
        Object x = asNumber(a);
        Object y = asNumber(b);
        if (PyValues.isFloat(x) || PyValues.isFloat(y)) {
            double p = ((Number) x).doubleValue();
            double q = ((Number) y).doubleValue();
            return add ? p + q : p * q;
        }
        BigInteger p = x instanceof BigInteger bi ? bi : BigInteger.valueOf(((Number) x).longValue());
        BigInteger q = y instanceof BigInteger bi ? bi : BigInteger.valueOf(((Number) y).longValue());
        BigInteger r = add ? p.add(q) : p.multiply(q);
        return r.bitLength() < 64 ? (Object) r.longValue() : r;
    }

    private static TemplateAbort unsupported(String op, Object a, Object b) {
        return TemplateAbort.typeError("unsupported operand type(s) for " + op + ": '" + PyValues.typeName(a)
                + "' and '" + PyValues.typeName(b) + "'");
    }

}
