package dev.ponder.chat;

import com.hubspot.jinjava.el.ext.NamedParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Arguments of a Python-style call: positional ones, then keyword ones, looked up by position or name. */
final class PyArgs {
    private final String callee;
    private final List<Object> positional;
    private final Map<String, Object> keywords;

    PyArgs(String callee, List<Object> positional, Map<String, Object> keywords) {
        this.callee = callee;
        this.positional = positional;
        this.keywords = keywords;
    }

    /** Splits jinjava's argument array, where {@code name=value} arrives as a {@link NamedParameter}. */
    static PyArgs of(String callee, Object[] raw) {
        List<Object> positional = new ArrayList<>();
        Map<String, Object> keywords = new LinkedHashMap<>();
        if (raw != null) {
            for (Object a : raw) {
                if (a instanceof NamedParameter p) keywords.put(p.getName(), p.getValue());
                else positional.add(a);
            }
        }
        return new PyArgs(callee, positional, keywords);
    }

    static PyArgs of(String callee, Object[] raw, Map<String, Object> kwargs) {
        PyArgs args = of(callee, raw);
        if (kwargs != null) args.keywords.putAll(kwargs);
        return args;
    }

    int size() {
        return positional.size() + keywords.size();
    }

    /** Whether the argument at {@code index} or called {@code name} was given. */
    boolean has(int index, String name) {
        return index < positional.size() || keywords.containsKey(name);
    }

    /** The argument at {@code index} or called {@code name}, else {@code fallback}. */
    Object get(int index, String name, Object fallback) {
        if (index < positional.size()) return positional.get(index);
        return keywords.getOrDefault(name, fallback);
    }

    /** Like {@link #get} for a required argument. */
    Object require(int index, String name) {
        if (!has(index, name)) throw TemplateAbort.typeError(callee + "() missing required argument '" + name + "'");
        return get(index, name, null);
    }

    /** Fails the way Python does when more arguments came than {@code max}. */
    PyArgs atMost(int max) {
        if (size() > max) throw TemplateAbort.typeError(callee + "() takes at most " + max + " arguments (" + size() + " given)");
        return this;
    }

    /** An int argument (Python would refuse a non-int). */
    int integer(int index, String name, int fallback) {
        Object v = get(index, name, null);
        if (v == null || v == PyNone.NONE) return fallback;
        if (v instanceof Number n) return n.intValue();
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw TemplateAbort.typeError("'" + PyValues.typeName(v) + "' object cannot be interpreted as an integer");
    }

    /** A str argument, or null when absent or None. */
    String string(int index, String name) {
        Object v = get(index, name, null);
        if (v == null || v == PyNone.NONE) return null;
        if (!PyValues.isString(v)) throw TemplateAbort.typeError(callee + "() argument must be str, not " + PyValues.typeName(v));
        return PyValues.str(v);
    }

    List<Object> positional() {
        return positional;
    }
}
