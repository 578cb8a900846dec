package dev.ponder.engine.gguf;

import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF file (versions 2 and 3, little-endian), memory-mapped once with FFM. The header, metadata and
 * tensor infos are parsed eagerly and validated (every length and offset is checked against the file, so a
 * malformed or truncated file ends in a {@link PonderException}); tensor data stay in the mapping and are
 * handed out as slices, never copied. Files larger than 2 GiB work: all offsets are longs.
 *
 * <p>Close the file to unmap it; slices obtained from it must not be used afterwards.
 */
public final class GGUFFile implements AutoCloseable {
    /** The default alignment of the tensor-data section and of every tensor within it. */
    public static final int DEFAULT_ALIGNMENT = 32;

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final int version;
    private final long alignment;
    private final long dataStart;
    private final Map<String, GGUFValue> metadata;
    private final Map<String, TensorInfo> tensors;

    private GGUFFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        String where = path == null ? "GGUF data" : path.toString();
        GGUFParser p = new GGUFParser(segment, where);
        this.version = p.header();
        this.metadata = Collections.unmodifiableMap(p.metadata());
        this.alignment = p.alignment(metadata);
        this.tensors = Collections.unmodifiableMap(p.tensorInfos(alignment));
        this.dataStart = p.dataStart(alignment);
        p.checkTensorRanges(tensors, dataStart, alignment);
    }

    /** Opens and maps {@code path}; any problem (missing, unreadable, malformed) is a one-line {@link PonderException}. */
    public static GGUFFile open(Path path) {
        if (!Files.exists(path)) throw new PonderException("no such file: " + path);
        if (Files.isDirectory(path)) throw new PonderException("not a file but a directory: " + path);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.size() == 0 ? MemorySegment.NULL.reinterpret(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GGUFFile(path, arena, seg);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new PonderException("no such file: " + path);
        } catch (IOException e) {
            arena.close();
            throw new PonderException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (PonderException e) {
            arena.close();
            throw e;
        } catch (RuntimeException e) { // defensive: any parser slip is still the user's malformed file
            arena.close();
            throw new PonderException("malformed GGUF file " + path + ": " + e, e);
        }
    }

    /** Parses GGUF bytes already in memory (tests, in-memory models). The segment is not copied. */
    public static GGUFFile of(MemorySegment data) {
        try {
            return new GGUFFile(null, null, data);
        } catch (PonderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PonderException("malformed GGUF data: " + e, e);
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public long alignment() {
        return alignment;
    }

    /** Offset of the tensor-data section from the start of the file. */
    public long dataStart() {
        return dataStart;
    }

    public long fileSize() {
        return segment.byteSize();
    }

    /** The whole mapped file. */
    public MemorySegment segment() {
        return segment;
    }

    /** Metadata in file order. */
    public Map<String, GGUFValue> metadata() {
        return metadata;
    }

    /** Tensor infos in file order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public TensorInfo tensor(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new PonderException(where() + ": missing tensor '" + name + "'");
        return t;
    }

    /** The data of tensor {@code name}, a slice of the mapping. */
    public MemorySegment tensorData(String name) {
        return tensorData(tensor(name));
    }

    public MemorySegment tensorData(TensorInfo t) {
        return segment.asSlice(dataStart + t.offset(), t.byteSize());
    }

    // ---- typed metadata access ----

    public GGUFValue get(String key) {
        GGUFValue v = metadata.get(key);
        if (v == null) throw new PonderException(where() + ": missing metadata key '" + key + "'");
        return v;
    }

    public String getString(String key) {
        GGUFValue v = get(key);
        if (v.type() != GGUFValueType.STRING) throw wrongType(key, "a string", v);
        return (String) v.value();
    }

    public String getString(String key, String dflt) {
        return has(key) ? getString(key) : dflt;
    }

    /** An integer of any GGUF integer type, checked to fit an int. */
    public int getInt(String key) {
        long v = getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new PonderException(where() + ": metadata '" + key + "' = " + v + " is out of range");
        return (int) v;
    }

    public int getInt(String key, int dflt) {
        return has(key) ? getInt(key) : dflt;
    }

    public long getLong(String key) {
        GGUFValue v = get(key);
        return switch (v.type()) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> ((Number) v.value()).longValue();
            default -> throw wrongType(key, "an integer", v);
        };
    }

    public float getFloat(String key) {
        GGUFValue v = get(key);
        return switch (v.type()) {
            case FLOAT32, FLOAT64, UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> ((Number) v.value()).floatValue();
            default -> throw wrongType(key, "a number", v);
        };
    }

    public float getFloat(String key, float dflt) {
        return has(key) ? getFloat(key) : dflt;
    }

    public boolean getBool(String key, boolean dflt) {
        if (!has(key)) return dflt;
        GGUFValue v = get(key);
        if (v.type() != GGUFValueType.BOOL) throw wrongType(key, "a bool", v);
        return (Boolean) v.value();
    }

    public String[] getStrings(String key) {
        GGUFValue v = get(key);
        if (v.type() != GGUFValueType.ARRAY || v.elementType() != GGUFValueType.STRING) throw wrongType(key, "an array of strings", v);
        return (String[]) v.value();
    }

    public float[] getFloats(String key) {
        GGUFValue v = get(key);
        if (v.type() == GGUFValueType.ARRAY && v.value() instanceof float[] f) return f;
        throw wrongType(key, "an array of float32", v);
    }

    /** An array of 32-bit (or narrower) integers as ints. */
    public int[] getInts(String key) {
        GGUFValue v = get(key);
        if (v.type() == GGUFValueType.ARRAY) {
            switch (v.value()) {
                case int[] a -> { return a; }
                case short[] a -> {
                    int[] r = new int[a.length];
                    boolean unsigned = v.elementType() == GGUFValueType.UINT16;
                    for (int i = 0; i < a.length; i++) r[i] = unsigned ? Short.toUnsignedInt(a[i]) : a[i];
                    return r;
                }
                case byte[] a -> {
                    int[] r = new int[a.length];
                    boolean unsigned = v.elementType() == GGUFValueType.UINT8;
                    for (int i = 0; i < a.length; i++) r[i] = unsigned ? Byte.toUnsignedInt(a[i]) : a[i];
                    return r;
                }
                default -> { }
            }
        }
        throw wrongType(key, "an array of integers", v);
    }

    private PonderException wrongType(String key, String expected, GGUFValue v) {
        String actual = v.type() == GGUFValueType.ARRAY ? "an array of " + v.elementType() : v.type().toString();
        return new PonderException(where() + ": metadata '" + key + "' should be " + expected + " but is " + actual);
    }

    private String where() {
        return path == null ? "GGUF data" : path.getFileName().toString();
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }

    /** A short human description (version, counts, architecture). */
    @Override
    public String toString() {
        return "GGUF v" + version + " " + where() + " (" + metadata.size() + " metadata keys, " + tensors.size() + " tensors)";
    }

    static Map<String, TensorInfo> newOrderedMap() {
        return new LinkedHashMap<>();
    }
}
