package dev.ponder.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Jinja2's filters where jinjava's differ in ways templates notice, plus Hugging Face's {@code tojson}:
 * Python's {@code str()} of values ({@code None}, {@code True}), Jinja2's argument names
 * ({@code indent(4, first=true)}), errors where Python raises ({@code none|length}), and {@code items}.
 */
final class PyFilters {
    private PyFilters() {}

    /** A filter written against Python-style arguments. */
    static final class PyFilter implements Filter {
        private final String name;
        private final BiFunction<Object, PyArgs, Object> body;

        PyFilter(String name, BiFunction<Object, PyArgs, Object> body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return body.apply(var, PyArgs.of(name, args, kwargs));
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return body.apply(var, PyArgs.of(name, args));
        }

        @Override
        public Object filter(SafeString var, JinjavaInterpreter interpreter, String... args) {
            return body.apply(var, PyArgs.of(name, args));
        }

        @Override
        public boolean preserveSafeString() {
            return false;
        }
    }

    /** All filters this class defines, to register over jinjava's. */
    static List<Filter> all() {
        List<Filter> filters = new ArrayList<>();
        filters.add(new PyFilter("tojson", PyFilters::tojson));
        filters.add(new PyFilter("items", PyFilters::items));
        filters.add(new PyFilter("trim", (v, a) -> PyStrings.strip(PyValues.str(v), a.string(0, "chars"), true, true)));
        filters.add(new PyFilter("string", (v, a) -> v instanceof SafeString ? v : PyValues.str(v)));
        filters.add(new PyFilter("length", (v, a) -> (long) PyValues.length(v)));
        filters.add(new PyFilter("count", (v, a) -> (long) PyValues.length(v)));
        filters.add(new PyFilter("list", (v, a) -> PyValues.iterate(v)));
        filters.add(new PyFilter("indent", PyFilters::indent));
        filters.add(new PyFilter("join", PyFilters::join));
        filters.add(new PyFilter("default", PyFilters::defaultValue));
        filters.add(new PyFilter("d", PyFilters::defaultValue));
        filters.add(new PyFilter("lower", (v, a) -> PyValues.str(v).toLowerCase()));
        filters.add(new PyFilter("upper", (v, a) -> PyValues.str(v).toUpperCase()));
        filters.add(new PyFilter("capitalize", (v, a) -> PyStrings.capitalize(PyValues.str(v))));
        filters.add(new PyFilter("title", (v, a) -> PyStrings.title(PyValues.str(v))));
        filters.add(new PyFilter("first", (v, a) -> {
            List<Object> items = PyValues.iterate(v);
            return items.isEmpty() ? new Undefined(null) : items.get(0);
        }));
        filters.add(new PyFilter("last", (v, a) -> {
            List<Object> items = PyValues.iterate(v);
            return items.isEmpty() ? new Undefined(null) : items.get(items.size() - 1);
        }));
        filters.add(new PyFilter("escape", PyFilters::escape));
        filters.add(new PyFilter("e", PyFilters::escape));
        filters.add(new PyFilter("safe", (v, a) -> v instanceof SafeString ? v : new SafeString(PyValues.str(v))));
        return filters;
    }

    /** markupsafe's {@code escape}: Markup stays as it is, anything else is escaped into Markup. */
    static Object escape(Object value, PyArgs a) {
        return value instanceof SafeString ? value : new SafeString(PyStrings.escapeHtml(PyValues.str(value)));
    }

    /** {@code tojson(ensure_ascii=False, indent=None, separators=None, sort_keys=False)}, as HF defines it. */
    static Object tojson(Object value, PyArgs a) {
        if (PyValues.isUndefined(value)) {
            throw TemplateAbort.typeError("Object of type Undefined is not JSON serializable");
        }
        boolean ensureAscii = PyValues.truthy(a.get(0, "ensure_ascii", false));
        Object indent = a.get(1, "indent", PyNone.NONE);
        Object separators = a.get(2, "separators", PyNone.NONE);
        boolean sortKeys = PyValues.truthy(a.get(3, "sort_keys", false));
        String indentUnit = null;
        if (PyValues.isString(indent)) indentUnit = PyValues.str(indent);
        else if (indent instanceof Number n) indentUnit = " ".repeat(Math.max(0, n.intValue()));
        else if (indent != PyNone.NONE && indent != null) throw TemplateAbort.typeError("indent must be an int or a str");
        String itemSep = indentUnit == null ? ", " : ",";
        String keySep = ": ";
        if (separators != PyNone.NONE && separators != null) {
            List<Object> pair = PyValues.iterate(separators);
            if (pair.size() != 2) throw TemplateAbort.valueError("separators must be an (item_separator, key_separator) pair");
            itemSep = PyValues.str(pair.get(0));
            keySep = PyValues.str(pair.get(1));
        }
        return PyJson.dumps(value, new PyJson.Options(indentUnit, itemSep, keySep, sortKeys, ensureAscii));
    }

    /** {@code items}: a mapping's (key, value) pairs; undefined gives none. */
    static Object items(Object value, PyArgs a) {
        if (PyValues.isUndefined(value)) return List.of();
        if (!(value instanceof Map<?, ?> map)) throw TemplateAbort.typeError("Can only get item pairs from a mapping.");
        List<Object> pairs = new ArrayList<>(map.size());
        map.forEach((k, v) -> pairs.add(new java.util.AbstractMap.SimpleImmutableEntry<>(k, v == null ? PyNone.NONE : v)));
        return pairs;
    }

    /** Jinja2's {@code indent(width=4, first=False, blank=False)}. */
    static Object indent(Object value, PyArgs a) {
        Object width = a.get(0, "width", 4L);
        String pad = PyValues.isString(width) ? PyValues.str(width) : " ".repeat(Math.max(0, ((Number) width).intValue()));
        boolean first = PyValues.truthy(a.get(1, "first", false));
        boolean blank = PyValues.truthy(a.get(2, "blank", false));
        List<String> lines = PyStrings.splitlines(PyValues.str(value) + "\n");
        StringBuilder sb = new StringBuilder();
        if (blank) {
            sb.append(String.join("\n" + pad, lines));
        } else {
            sb.append(lines.get(0));
            for (int i = 1; i < lines.size(); i++) {
                sb.append('\n');
                if (!lines.get(i).isEmpty()) sb.append(pad);
                sb.append(lines.get(i));
            }
        }
        String out = first ? pad + sb : sb.toString();
        return value instanceof SafeString ? new SafeString(out) : out;
    }

    /** Jinja2's {@code join(d='', attribute=None)}: the str() of each item. */
    static Object join(Object value, PyArgs a) {
        String sep = a.has(0, "d") ? PyValues.str(a.get(0, "d", "")) : "";
        Object attribute = a.get(1, "attribute", null);
        StringBuilder sb = new StringBuilder();
        List<Object> items = PyValues.iterate(value);
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (attribute != null && attribute != PyNone.NONE) {
                item = item instanceof Map<?, ?> m ? m.get(PyValues.str(attribute)) : null;
            }
            if (i > 0) sb.append(sep);
            sb.append(PyValues.str(item));
        }
        return sb.toString();
    }

    /** Jinja2's {@code default(default_value='', boolean=False)}. */
    static Object defaultValue(Object value, PyArgs a) {
        Object fallback = a.get(0, "default_value", "");
        boolean onFalse = PyValues.truthy(a.get(1, "boolean", false));
        if (PyValues.isUndefined(value) || (onFalse && !PyValues.truthy(value))) return fallback;
        return value;
    }
}
