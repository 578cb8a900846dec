package dev.ponder.engine.tensor;

import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.constant.ConstantDescs;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector widths for the kernels.
 *
 * <p>The Vector API only compiles to SIMD instructions when the JIT sees the species as a constant, so
 * every kernel class keeps its species in a {@code static final} field initialised by {@link
 * #floats(MethodHandles.Lookup)}. The ordinary (named) kernel classes get {@link #DEFAULT}: the
 * preferred width of this CPU, clamped to 128..512 bits, overridable with {@code -Dponder.vector.bits=N}.
 * For any other width (tests run every kernel at 128, 256 and 512 bits) {@link #constructor} loads the
 * same class file again as a <em>hidden class</em> whose class data is the wanted species, so the copy
 * has its own constant species and is compiled just as well as the original.
 */
final class VectorWidth {
    private VectorWidth() {}

    /** Widths the kernels support, in bits. */
    static final int MIN_BITS = 128, MAX_BITS = 512;

    /** The species of the named kernel classes. */
    static final VectorSpecies<Float> DEFAULT = forBits(defaultBits());

    private static int defaultBits() {
        int bits = Integer.getInteger("ponder.vector.bits", FloatVector.SPECIES_PREFERRED.vectorBitSize());
        return Math.clamp(Integer.highestOneBit(Math.max(bits, 1)), MIN_BITS, MAX_BITS);
    }

    /** The float species of {@code bits} bits (128, 256 or 512). */
    static VectorSpecies<Float> forBits(int bits) {
        if (bits != 128 && bits != 256 && bits != 512)
            throw new PonderException("vector width must be 128, 256 or 512 bits, got " + bits);
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    /**
     * The float species for the kernel class that owns {@code lookup}: its class data when it is a
     * width-specialised hidden copy, otherwise {@link #DEFAULT}. Call from a static initialiser.
     */
    @SuppressWarnings("unchecked")
    static VectorSpecies<Float> floats(MethodHandles.Lookup lookup) {
        try {
            VectorSpecies<Float> s = MethodHandles.classData(lookup, ConstantDescs.DEFAULT_NAME, VectorSpecies.class);
            return s != null ? s : DEFAULT;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Byte species for loading quants: as many lanes as {@code f}, but at least 8 (the narrowest shape). */
    static VectorSpecies<Byte> bytes(VectorSpecies<Float> f) {
        return VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, f.length() * 8)));
    }

    /** Short species with as many lanes as {@code f}. */
    static VectorSpecies<Short> shorts(VectorSpecies<Float> f) {
        return VectorSpecies.of(short.class, VectorShape.forBitSize(f.length() * 16));
    }

    /** Int species with as many lanes as {@code f}. */
    static VectorSpecies<Integer> ints(VectorSpecies<Float> f) {
        return f.withLanes(int.class);
    }

    private static final ConcurrentHashMap<String, MethodHandle> CONSTRUCTORS = new ConcurrentHashMap<>();

    /**
     * The {@code (MemorySegment, int rows, int cols)} constructor of {@code cls}, in a copy of the class
     * specialised for {@code species} (the class itself when {@code species} is {@link #DEFAULT}).
     */
    static MethodHandle constructor(Class<? extends WeightMatrix> cls, VectorSpecies<Float> species) {
        return constructor(cls, species, MethodType.methodType(void.class, MemorySegment.class, int.class, int.class));
    }

    /** The constructor of type {@code ctor} of {@code cls}, in a copy of the class specialised for {@code species}. */
    static MethodHandle constructor(Class<?> cls, VectorSpecies<Float> species, MethodType ctor) {
        String key = cls.getName() + "@" + species.vectorBitSize();
        return CONSTRUCTORS.computeIfAbsent(key, k -> load(cls, species, ctor));
    }

    private static MethodHandle load(Class<?> cls, VectorSpecies<Float> species, MethodType ctor) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            if (species.equals(DEFAULT)) return lookup.findConstructor(cls, ctor);
            byte[] bytes;
            try (InputStream in = cls.getResourceAsStream(cls.getSimpleName() + ".class")) {
                if (in == null) throw new PonderException("cannot read class file of " + cls.getName());
                bytes = in.readAllBytes();
            }
            MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(bytes, species, true);
            return hidden.findConstructor(hidden.lookupClass(), ctor);
        } catch (IOException | ReflectiveOperationException e) {
            throw new PonderException("cannot specialise " + cls.getSimpleName() + " for "
                    + species.vectorBitSize() + "-bit vectors: " + e, e);
        }
    }
}
