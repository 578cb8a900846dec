package dev.ponder.engine.kv;

/**
 * How precisely a {@link KVCache} keeps keys and values, and with them the arithmetic of the attention that
 * reads them. Chosen once, when the cache is created.
 */
public enum KVPrecision {
    /** Keys and values kept as computed (f32); attention entirely in f32. The most exact choice. */
    F32,
    /**
     * llama.cpp-compatible (its default KV cache type, f16): every key and value is rounded to IEEE half
     * precision when it is cached, and attention follows ggml's CPU path without flash attention, where both
     * matrix products take half-precision operands: the query is rounded to half before q·k, and the softmax
     * probabilities are rounded to half before p·v (products of two halves are exact in f32 and are summed in
     * double). Storage stays f32 arrays holding the rounded values.
     */
    F16;

    /** {@code x} as this precision keeps it. */
    public float round(float x) {
        return this == F16 ? Float.float16ToFloat(Float.floatToFloat16(x)) : x;
    }
}
