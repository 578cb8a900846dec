package dev.ponder.engine.gguf;

import dev.ponder.engine.PonderException;

/**
 * Tensor element types as numbered by ggml. Each type stores its elements in blocks:
 * {@code blockSize} elements take {@code typeSize} bytes. Only some are computable by the engine
 * ({@link #supported()}); the others are known by name so errors can name them.
 */
public enum GGMLType {
    F32(0, 1, 4), F16(1, 1, 2), Q4_0(2, 32, 18), Q4_1(3, 32, 20),
    Q5_0(6, 32, 22), Q5_1(7, 32, 24), Q8_0(8, 32, 34), Q8_1(9, 32, 36),
    Q2_K(10, 256, 84), Q3_K(11, 256, 110), Q4_K(12, 256, 144), Q5_K(13, 256, 176),
    Q6_K(14, 256, 210), Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66), IQ2_XS(17, 256, 74), IQ3_XXS(18, 256, 98), IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18), IQ3_S(21, 256, 110), IQ2_S(22, 256, 82), IQ4_XS(23, 256, 136),
    I8(24, 1, 1), I16(25, 1, 2), I32(26, 1, 4), I64(27, 1, 8), F64(28, 1, 8),
    IQ1_M(29, 256, 56), BF16(30, 1, 2), TQ1_0(34, 256, 54), TQ2_0(35, 256, 66);

    public final int id;
    public final int blockSize;
    public final int typeSize;

    GGMLType(int id, int blockSize, int typeSize) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    private static final GGMLType[] BY_ID = new GGMLType[64];

    static {
        for (GGMLType t : values()) BY_ID[t.id] = t;
    }

    /** The type with this ggml id, or a {@link PonderException} naming the unknown id. */
    public static GGMLType fromId(int id) {
        GGMLType t = id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
        if (t == null) throw new PonderException("unknown ggml tensor type id " + id);
        return t;
    }

    /** Whether the engine can compute with tensors of this type. */
    public boolean supported() {
        return switch (this) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K -> true;
            default -> false;
        };
    }

    /** Bytes taken by {@code elements} elements (which must be a whole number of blocks). */
    public long byteSize(long elements) {
        if (elements % blockSize != 0)
            throw new PonderException(name() + " needs a multiple of " + blockSize + " elements, got " + elements);
        return elements / blockSize * typeSize;
    }
}
