package dev.ponder.chat;

import com.hubspot.jinjava.objects.SafeString;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python semantics for the Java values a template sees: {@code str()}, {@code repr()}, truth, type names,
 * iteration and {@code len()}. Values are: {@code null} or {@link Undefined} (undefined), {@link PyNone},
 * Boolean, Integer/Long/BigInteger (int), Double/Float/BigDecimal (float), String or jinjava's
 * {@link SafeString} (str, the latter being Jinja2's {@code Markup}), List (list/tuple), Map (dict) and
 * Map.Entry (a (key, value) tuple).
 */
final class PyValues {
    private PyValues() {}

    static boolean isUndefined(Object v) {
        return v == null || v instanceof Undefined;
    }

    static boolean isString(Object v) {
        return v instanceof String || v instanceof SafeString;
    }

    static boolean isInt(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger;
    }

    static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
    }

    static boolean isSequence(Object v) {
        return v instanceof List || (v != null && v.getClass().isArray()) || v instanceof Map.Entry;
    }

    /** The message Jinja2 gives when an undefined value is used. */
    static String undefinedMessage(Object v) {
        return v instanceof Undefined u ? u.message() : "value is undefined";
    }

    /** Python's {@code type(v).__name__}. */
    static String typeName(Object v) {
        if (isUndefined(v)) return "Undefined";
        if (v == PyNone.NONE) return "NoneType";
        if (v instanceof Boolean) return "bool";
        if (isInt(v)) return "int";
        if (isFloat(v)) return "float";
        if (v instanceof SafeString) return "Markup";
        if (v instanceof String) return "str";
        if (v instanceof Map) return "dict";
        if (v instanceof Map.Entry) return "tuple";
        if (isSequence(v)) return "list";
        return v.getClass().getSimpleName();
    }

    /** Python truth value. */
    static boolean truthy(Object v) {
        if (isUndefined(v) || v == PyNone.NONE) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof BigInteger b) return b.signum() != 0;
        if (v instanceof BigDecimal b) return b.signum() != 0;
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (isString(v)) return !v.toString().isEmpty();
        if (v instanceof Collection<?> c) return !c.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        if (v.getClass().isArray()) return Array.getLength(v) > 0;
        return true;
    }

    /** Python's {@code str(v)}; undefined prints as the empty string, as in Jinja2. */
    static String str(Object v) {
        if (isUndefined(v)) return "";
        if (v instanceof String s) return s;
        if (v instanceof SafeString s) return s.getValue();
        if (v == PyNone.NONE) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (isFloat(v)) return floatRepr(((Number) v).doubleValue());
        if (v instanceof Number) return v.toString();
        if (v instanceof Map || isSequence(v)) return repr(v);
        return v.toString();
    }

    /** Python's {@code repr(v)}, e.g. {@code {'a': [1, None, 'x']}}. */
    static String repr(Object v) {
        if (isString(v)) return stringRepr(str(v));
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sep).append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                sep = ", ";
            }
            return sb.append('}').toString();
        }
        if (v instanceof Map.Entry<?, ?> e) return "(" + repr(e.getKey()) + ", " + repr(e.getValue()) + ")";
        if (isSequence(v)) {
            StringBuilder sb = new StringBuilder("[");
            String sep = "";
            for (Object item : iterate(v)) {
                sb.append(sep).append(repr(item));
                sep = ", ";
            }
            return sb.append(']').toString();
        }
        if (isUndefined(v)) return "Undefined";
        return str(v);
    }

    /** Python's repr of a str: single quotes unless the text has a ' and no ", backslash escapes. */
    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == quote) sb.append('\\').append(c);
                    else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append(quote).toString();
    }

    /** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale(); // d = 0.digits * 10^(exponent+1)
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = shortest.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /**
     * The items Python's {@code iter(v)} yields: list items, dict keys, a str's characters, a tuple's two
     * members; undefined yields nothing (Jinja2's Undefined is an empty iterable).
     *
     * @throws TemplateAbort a TypeError for None, numbers and booleans
     */
    static List<Object> iterate(Object v) {
        if (isUndefined(v)) return List.of();
        if (v instanceof Collection<?> c) return new ArrayList<>(c);
        if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet());
        if (v instanceof Map.Entry<?, ?> e) {
            List<Object> pair = new ArrayList<>(2);
            pair.add(e.getKey());
            pair.add(e.getValue());
            return pair;
        }
        if (isString(v)) {
            String s = str(v);
            List<Object> chars = new ArrayList<>(s.length());
            s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
            return chars;
        }
        if (v.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) items.add(Array.get(v, i));
            return items;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> items = new ArrayList<>();
            it.forEach(items::add);
            return items;
        }
        if (v instanceof Iterator<?> it) {
            List<Object> items = new ArrayList<>();
            it.forEachRemaining(items::add);
            return items;
        }
        throw TemplateAbort.typeError("'" + typeName(v) + "' object is not iterable");
    }

    /** Whether Python's {@code iter(v)} would succeed (Jinja2's {@code is iterable}). */
    static boolean isIterable(Object v) {
        return isUndefined(v) || v instanceof Collection || v instanceof Map || v instanceof Map.Entry
                || isString(v) || v.getClass().isArray() || v instanceof Iterable || v instanceof Iterator;
    }

    /**
     * Python's {@code len(v)}; Jinja2's Undefined has length 0.
     *
     * @throws TemplateAbort a TypeError for values without a length
     */
    static int length(Object v) {
        if (isUndefined(v)) return 0;
        if (isString(v)) return str(v).codePointCount(0, str(v).length());
        if (v instanceof Collection<?> c) return c.size();
        if (v instanceof Map<?, ?> m) return m.size();
        if (v instanceof Map.Entry) return 2;
        if (v.getClass().isArray()) return Array.getLength(v);
        throw TemplateAbort.typeError("object of type '" + typeName(v) + "' has no len()");
    }

    /**
     * Copies caller data (JSON-like maps and lists) into the template's value model: map order is kept and
     * Java {@code null} becomes {@link PyNone}, because a JSON null is Python's None, not "undefined".
     */
    static Object fromJava(Object v) {
        if (v == null) return PyNone.NONE;
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put(String.valueOf(k), fromJava(val)));
            return copy;
        }
        if (v instanceof Collection<?> c) {
            List<Object> copy = new ArrayList<>(c.size());
            for (Object item : c) copy.add(fromJava(item));
            return copy;
        }
        if (v.getClass().isArray() && !(v instanceof char[]) && !(v instanceof byte[])) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) copy.add(fromJava(Array.get(v, i)));
            return copy;
        }
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof Character c) return c.toString();
        return v;
    }
}
