package dev.ponder.chat;

import com.hubspot.jinjava.objects.SafeString;
import java.beans.FeatureDescriptor;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Gives template values the Python methods real chat templates call ({@code content.strip()},
 * {@code s.split('</think>')[-1]}, {@code desc.endswith('.')}, {@code tool.items()}, {@code d.get(k, v)}),
 * Python indexing of strings ({@code s[-1]}), and the immutable sandbox's refusal of mutating methods
 * ({@code list.append}) that Hugging Face's renderer enforces. It sits in front of jinjava's own resolvers,
 * which would otherwise expose Java's methods ({@code String.split} takes a regex) or none at all.
 */
final class PyMethodResolver extends ELResolver {
    private static final Set<String> LIST_MUTATORS =
            Set.of("append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear");
    private static final Set<String> DICT_MUTATORS =
            Set.of("update", "pop", "popitem", "setdefault", "clear", "__setitem__", "__delitem__");

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof Undefined u) {
            throw TemplateAbort.undefined(u.message());
        }
        if (base == PyNone.NONE) { // getattr(None, name) fails, and Jinja2 turns that into undefined
            context.setPropertyResolved(true);
            return null;
        }
        Integer index = PyValues.isString(base) ? indexOf(property) : null;
        if (index != null) {
            context.setPropertyResolved(true);
            String s = PyValues.str(base);
            int n = s.codePointCount(0, s.length());
            int i = index;
            if (i < 0) i += n;
            if (i < 0 || i >= n) return null;
            int at = s.offsetByCodePoints(0, i);
            return new String(Character.toChars(s.codePointAt(at)));
        }
        return null;
    }

    /**
     * An index into a string: jinjava hands subscripts over as text ({@code s[-1]} arrives as "-1"), so an
     * integer-looking name is taken as a position; str has no attributes with such names.
     */
    private static Integer indexOf(Object property) {
        if (property instanceof Number n) return n.intValue();
        if (property instanceof String p && p.matches("-?\\d{1,9}")) return Integer.parseInt(p);
        return null;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(method instanceof String name)) return null;
        if (base instanceof Undefined u) throw TemplateAbort.undefined(u.message());
        Object result;
        if (PyValues.isString(base)) result = stringMethod(base, name, PyArgs.of("str." + name, params));
        else if (base instanceof Map<?, ?> map) result = dictMethod(map, name, PyArgs.of("dict." + name, params));
        else if (base instanceof List<?> list) result = listMethod(list, name, PyArgs.of("list." + name, params));
        else return null;
        if (result == NOT_MINE) return null;
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_MINE = new Object();

    private static Object stringMethod(Object base, String name, PyArgs a) {
        String s = PyValues.str(base);
        Object r = switch (name) {
            case "strip" -> PyStrings.strip(s, a.atMost(1).string(0, "chars"), true, true);
            case "lstrip" -> PyStrings.strip(s, a.atMost(1).string(0, "chars"), true, false);
            case "rstrip" -> PyStrings.strip(s, a.atMost(1).string(0, "chars"), false, true);
            case "split" -> PyStrings.split(s, a.atMost(2).string(0, "sep"), a.integer(1, "maxsplit", -1));
            case "rsplit" -> PyStrings.rsplit(s, a.atMost(2).string(0, "sep"), a.integer(1, "maxsplit", -1));
            case "splitlines" -> new ArrayList<Object>(PyStrings.splitlines(s));
            case "startswith" -> affix(s, a.atMost(1).require(0, "prefix"), true);
            case "endswith" -> affix(s, a.atMost(1).require(0, "suffix"), false);
            case "lower" -> s.toLowerCase();
            case "upper" -> s.toUpperCase();
            case "title" -> PyStrings.title(s);
            case "capitalize" -> PyStrings.capitalize(s);
            case "replace" -> replace(s, a);
            case "find" -> (long) s.indexOf(a.string(0, "sub"));
            case "rfind" -> (long) s.lastIndexOf(a.string(0, "sub"));
            case "index", "rindex" -> {
                String sub = a.string(0, "sub");
                int at = name.equals("index") ? s.indexOf(sub) : s.lastIndexOf(sub);
                if (at < 0) throw TemplateAbort.valueError("substring not found");
                yield (long) at;
            }
            case "count" -> (long) count(s, a.string(0, "sub"));
            case "join" -> join(s, a.require(0, "iterable"));
            case "isdigit", "isnumeric", "isdecimal" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(PyStrings::isSpace);
            case "islower" -> s.chars().anyMatch(Character::isLowerCase) && s.equals(s.toLowerCase());
            case "isupper" -> s.chars().anyMatch(Character::isUpperCase) && s.equals(s.toUpperCase());
            case "removeprefix" -> {
                String p = a.string(0, "prefix");
                yield s.startsWith(p) ? s.substring(p.length()) : s;
            }
            case "removesuffix" -> {
                String p = a.string(0, "suffix");
                yield s.endsWith(p) && !p.isEmpty() ? s.substring(0, s.length() - p.length()) : s;
            }
            case "zfill" -> zfill(s, a.integer(0, "width", 0));
            case "center", "ljust", "rjust" -> pad(s, name, a.integer(0, "width", 0), a.string(1, "fillchar"));
            case "format" -> format(s, a);
            default -> NOT_MINE;
        };
        if (r != NOT_MINE && base instanceof SafeString && r instanceof String str
                && Set.of("strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize").contains(name)) {
            return new SafeString(str);
        }
        return r;
    }

    private static boolean affix(String s, Object what, boolean prefix) {
        List<Object> options = PyValues.isString(what) ? List.of(what) : PyValues.iterate(what);
        for (Object o : options) {
            if (!PyValues.isString(o)) {
                throw TemplateAbort.typeError((prefix ? "startswith" : "endswith") + " first arg must be str or a tuple of str");
            }
            if (prefix ? s.startsWith(PyValues.str(o)) : s.endsWith(PyValues.str(o))) return true;
        }
        return false;
    }

    private static String replace(String s, PyArgs a) {
        String old = a.string(0, "old");
        String replacement = a.string(1, "new");
        if (old == null || replacement == null) throw TemplateAbort.typeError("replace() takes at least 2 arguments");
        int limit = a.integer(2, "count", -1);
        if (limit < 0) return s.replace(old, replacement);
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int done = 0; done < limit; done++) {
            int at = old.isEmpty() ? (from <= s.length() ? from : -1) : s.indexOf(old, from);
            if (at < 0) break;
            sb.append(s, from, at).append(replacement);
            if (old.isEmpty()) {
                if (at < s.length()) sb.append(s.charAt(at));
                from = at + 1;
            } else {
                from = at + old.length();
            }
        }
        if (from <= s.length()) sb.append(s.substring(Math.min(from, s.length())));
        return sb.toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) n++;
        return n;
    }

    private static String join(String sep, Object iterable) {
        StringBuilder sb = new StringBuilder();
        List<Object> items = PyValues.iterate(iterable);
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (!PyValues.isString(item)) {
                throw TemplateAbort.typeError("sequence item " + i + ": expected str instance, " + PyValues.typeName(item) + " found");
            }
            if (i > 0) sb.append(sep);
            sb.append(PyValues.str(item));
        }
        return sb.toString();
    }

    private static String zfill(String s, int width) {
        if (s.length() >= width) return s;
        String zeros = "0".repeat(width - s.length());
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) return s.charAt(0) + zeros + s.substring(1);
        return zeros + s;
    }

    private static String pad(String s, String how, int width, String fill) {
        String f = fill == null ? " " : fill;
        int total = width - s.length();
        if (total <= 0) return s;
        return switch (how) {
            case "ljust" -> s + f.repeat(total);
            case "rjust" -> f.repeat(total) + s;
            default -> {
                int left = total / 2 + (total & width & 1);
                yield f.repeat(left) + s + f.repeat(total - left);
            }
        };
    }

    /** {@code str.format} with automatic ({@code {}}), numbered ({@code {0}}) and named ({@code {x}}) fields. */
    private static String format(String s, PyArgs a) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int close = s.indexOf('}', i);
                if (close < 0) throw TemplateAbort.valueError("Single '{' encountered in format string");
                String field = s.substring(i + 1, close);
                Object value;
                if (field.isEmpty()) value = a.get(auto++, "\u0000", null);
                else if (field.chars().allMatch(Character::isDigit)) value = a.get(Integer.parseInt(field), "\u0000", null);
                else value = a.get(Integer.MAX_VALUE, field, null);
                if (value == null) throw TemplateAbort.valueError("Replacement index " + field + " out of range for positional args tuple");
                sb.append(PyValues.str(value));
                i = close;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Object dictMethod(Map<?, ?> map, String name, PyArgs a) {
        if (DICT_MUTATORS.contains(name)) throw unsafe(name, "dict");
        return switch (name) {
            case "items" -> {
                List<Object> pairs = new ArrayList<>(map.size());
                map.forEach((k, v) -> pairs.add(new AbstractMap.SimpleImmutableEntry<>(k, v == null ? PyNone.NONE : v)));
                yield pairs;
            }
            case "keys" -> new ArrayList<Object>(map.keySet());
            case "values" -> {
                List<Object> values = new ArrayList<>(map.size());
                map.values().forEach(v -> values.add(v == null ? PyNone.NONE : v));
                yield values;
            }
            case "get" -> {
                Object key = a.atMost(2).require(0, "key");
                Object fallback = a.get(1, "default", PyNone.NONE);
                yield map.containsKey(key) ? map.get(key) : fallback;
            }
            case "copy" -> new java.util.LinkedHashMap<Object, Object>(map);
            default -> NOT_MINE;
        };
    }

    private static Object listMethod(List<?> list, String name, PyArgs a) {
        if (LIST_MUTATORS.contains(name)) throw unsafe(name, "list");
        return switch (name) {
            case "index" -> {
                Object x = a.require(0, "value");
                for (int i = 0; i < list.size(); i++) if (PyCompare.equal(list.get(i), x)) yield (long) i;
                throw TemplateAbort.valueError(PyValues.repr(x) + " is not in list");
            }
            case "count" -> {
                Object x = a.require(0, "value");
                yield list.stream().filter(item -> PyCompare.equal(item, x)).count();
            }
            case "copy" -> new ArrayList<Object>(list);
            default -> NOT_MINE;
        };
    }

    private static TemplateAbort unsafe(String name, String type) {
        return TemplateAbort.security("access to attribute '" + name + "' of '" + type + "' object is unsafe.");
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
