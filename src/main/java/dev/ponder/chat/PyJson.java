package dev.ponder.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, as Hugging Face's {@code tojson} filter calls it: {@code ensure_ascii}
 * defaults to false, separators are {@code ", "} and {@code ": "} (or {@code ","} and {@code ": "} when an
 * indent is given), keys keep insertion order unless {@code sort_keys}, and nothing is HTML-escaped.
 */
final class PyJson {
    /** Options of {@code json.dumps}; {@code indent} is null (one line) or the string for one level. */
    record Options(String indent, String itemSeparator, String keySeparator, boolean sortKeys, boolean ensureAscii) {
        static Options defaults() {
            return new Options(null, ", ", ": ", false, false);
        }
    }

    private PyJson() {}

    static String dumps(Object value, Options options) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, options, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, Options o, int level) {
        if (v == PyNone.NONE) sb.append("null");
        else if (v instanceof Boolean b) sb.append(b ? "true" : "false");
        else if (PyValues.isInt(v)) sb.append(v);
        else if (PyValues.isFloat(v)) sb.append(floatJson(((Number) v).doubleValue()));
        else if (PyValues.isString(v)) writeString(sb, PyValues.str(v), o.ensureAscii());
        else if (v instanceof Map<?, ?> m) writeObject(sb, m, o, level);
        else if (PyValues.isSequence(v)) writeArray(sb, PyValues.iterate(v), o, level);
        else throw TemplateAbort.typeError("Object of type " + PyValues.typeName(v) + " is not JSON serializable");
    }

    private static String floatJson(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        return PyValues.floatRepr(d);
    }

    private static void writeArray(StringBuilder sb, List<Object> items, Options o, int level) {
        if (items.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append(o.itemSeparator());
            newline(sb, o, level + 1);
            write(sb, items.get(i), o, level + 1);
        }
        newline(sb, o, level);
        sb.append(']');
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> m, Options o, int level) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) entries.add(Map.entry(keyString(e.getKey()), e.getValue() == null ? PyNone.NONE : e.getValue()));
        if (o.sortKeys()) entries.sort(Map.Entry.comparingByKey());
        sb.append('{');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) sb.append(o.itemSeparator());
            newline(sb, o, level + 1);
            writeString(sb, entries.get(i).getKey(), o.ensureAscii());
            sb.append(o.keySeparator());
            write(sb, entries.get(i).getValue(), o, level + 1);
        }
        newline(sb, o, level);
        sb.append('}');
    }

    /** json.dumps turns None/bool/number keys into strings; anything else is a TypeError. */
    private static String keyString(Object k) {
        if (PyValues.isString(k)) return PyValues.str(k);
        if (k == PyNone.NONE || k == null) return "null";
        if (k instanceof Boolean b) return b ? "true" : "false";
        if (PyValues.isFloat(k)) return floatJson(((Number) k).doubleValue());
        if (PyValues.isInt(k)) return k.toString();
        throw TemplateAbort.typeError("keys must be str, int, float, bool or None, not " + PyValues.typeName(k));
    }

    private static void newline(StringBuilder sb, Options o, int level) {
        if (o.indent() == null) return;
        sb.append('\n');
        sb.append(o.indent().repeat(level));
    }

    private static void writeString(StringBuilder sb, String s, boolean ensureAscii) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
