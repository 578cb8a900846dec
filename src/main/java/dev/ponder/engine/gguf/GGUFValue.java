package dev.ponder.engine.gguf;

import java.util.Arrays;
import java.util.List;

/**
 * One typed metadata value. Scalars are boxed Java values, unsigned types widened so they stay non-negative:
 * INT8, UINT8, INT16, UINT16 and INT32 as Integer; UINT32, INT64 and UINT64 (bit pattern) as Long; FLOAT32 as
 * Float, FLOAT64 as Double, BOOL as Boolean; STRING is a String. Arrays hold a
 * primitive array ({@code byte[]} for INT8/UINT8, {@code short[]} for INT16/UINT16, {@code int[]} for
 * INT32/UINT32, {@code long[]} for INT64/UINT64, {@code float[]}, {@code double[]}, {@code boolean[]}),
 * a {@code String[]}, or a {@code GGUFValue[]} for nested arrays.
 *
 * @param type        the value's type
 * @param elementType for ARRAY, the element type; otherwise null
 * @param value       the Java value as described above
 */
public record GGUFValue(GGUFValueType type, GGUFValueType elementType, Object value) {

    public static GGUFValue of(GGUFValueType type, Object value) {
        return new GGUFValue(type, null, value);
    }

    public static GGUFValue array(GGUFValueType elementType, Object values) {
        return new GGUFValue(GGUFValueType.ARRAY, elementType, values);
    }

    public static GGUFValue string(String s) {
        return of(GGUFValueType.STRING, s);
    }

    public static GGUFValue uint32(long v) {
        return of(GGUFValueType.UINT32, v);
    }

    public static GGUFValue int32(int v) {
        return of(GGUFValueType.INT32, v);
    }

    public static GGUFValue float32(float v) {
        return of(GGUFValueType.FLOAT32, v);
    }

    public static GGUFValue bool(boolean v) {
        return of(GGUFValueType.BOOL, v);
    }

    public static GGUFValue strings(List<String> v) {
        return array(GGUFValueType.STRING, v.toArray(new String[0]));
    }

    public static GGUFValue int32s(int[] v) {
        return array(GGUFValueType.INT32, v);
    }

    public static GGUFValue float32s(float[] v) {
        return array(GGUFValueType.FLOAT32, v);
    }

    /** Number of elements of an ARRAY value. */
    public int length() {
        return switch (value) {
            case byte[] a -> a.length;
            case short[] a -> a.length;
            case int[] a -> a.length;
            case long[] a -> a.length;
            case float[] a -> a.length;
            case double[] a -> a.length;
            case boolean[] a -> a.length;
            case Object[] a -> a.length;
            default -> throw new IllegalStateException("not an array: " + type);
        };
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GGUFValue v) || type != v.type || elementType != v.elementType) return false;
        return Arrays.deepEquals(new Object[] {value}, new Object[] {v.value});
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {type, elementType, value});
    }

    @Override
    public String toString() {
        if (type != GGUFValueType.ARRAY) return String.valueOf(value);
        String s = Arrays.deepToString(new Object[] {value});
        s = s.substring(1, s.length() - 1);
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
