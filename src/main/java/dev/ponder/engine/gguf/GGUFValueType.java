package dev.ponder.engine.gguf;

import dev.ponder.engine.PonderException;

/** The metadata value types of the GGUF format, by their on-disk ids. */
public enum GGUFValueType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1), STRING(-1), ARRAY(-1),
    UINT64(8), INT64(8), FLOAT64(8);

    /** Size in bytes of one value, or -1 for the variable-size STRING and ARRAY. */
    public final int size;

    GGUFValueType(int size) {
        this.size = size;
    }

    public int id() {
        return ordinal();
    }

    public static GGUFValueType fromId(int id) {
        GGUFValueType[] all = values();
        if (id < 0 || id >= all.length) throw new PonderException("unknown GGUF metadata value type " + id);
        return all[id];
    }
}
