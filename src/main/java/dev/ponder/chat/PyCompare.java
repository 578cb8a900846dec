package dev.ponder.chat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Python's {@code ==}: numbers compare by value across int/float/bool, containers element-wise. */
final class PyCompare {
    private PyCompare() {}

    static boolean equal(Object a, Object b) {
        if (a == b) return true;
        if (PyValues.isUndefined(a) || PyValues.isUndefined(b)) return PyValues.isUndefined(a) && PyValues.isUndefined(b);
        if (isNumeric(a) && isNumeric(b)) return toDecimal(a).compareTo(toDecimal(b)) == 0;
        if (PyValues.isString(a) && PyValues.isString(b)) return PyValues.str(a).equals(PyValues.str(b));
        if (PyValues.isSequence(a) && PyValues.isSequence(b)) {
            List<Object> x = PyValues.iterate(a);
            List<Object> y = PyValues.iterate(b);
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!equal(x.get(i), y.get(i))) return false;
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) return false;
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean isNumeric(Object v) {
        return v instanceof Number || v instanceof Boolean;
    }

    private static BigDecimal toDecimal(Object v) {
        if (v instanceof Boolean b) return b ? BigDecimal.ONE : BigDecimal.ZERO;
        if (v instanceof BigDecimal d) return d;
        if (PyValues.isFloat(v)) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.TEN);
        }
        return new BigDecimal(v.toString());
    }
}
