package dev.ponder.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Jinja2's {@code is} tests with Python's notion of types: None is defined and is not a string, strings are
 * iterable sequences, and {@code undefined} is iterable (as an empty one). Jinjava treats null as both
 * undefined and none and does not count strings as iterable.
 */
final class PyTests {
    private PyTests() {}

    record PyTest(String name, Predicate<Object> predicate) implements ExpTest {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return predicate.test(var);
        }
    }

    static List<ExpTest> all() {
        return List.of(
                new PyTest("defined", v -> !PyValues.isUndefined(v)),
                new PyTest("undefined", PyValues::isUndefined),
                new PyTest("none", v -> v == PyNone.NONE),
                new PyTest("string", PyValues::isString),
                new PyTest("mapping", v -> v instanceof Map),
                new PyTest("iterable", PyValues::isIterable),
                new PyTest("sequence", v -> PyValues.isSequence(v) || PyValues.isString(v) || v instanceof Map),
                new PyTest("number", v -> v instanceof Number || v instanceof Boolean),
                new PyTest("integer", v -> PyValues.isInt(v)),
                new PyTest("float", PyValues::isFloat),
                new PyTest("boolean", v -> v instanceof Boolean),
                new PyTest("true", v -> Boolean.TRUE.equals(v)),
                new PyTest("false", v -> Boolean.FALSE.equals(v)),
                new PyTest("lower", v -> PyValues.isString(v) && PyValues.str(v).equals(PyValues.str(v).toLowerCase())),
                new PyTest("upper", v -> PyValues.isString(v) && PyValues.str(v).equals(PyValues.str(v).toUpperCase())));
    }
}
