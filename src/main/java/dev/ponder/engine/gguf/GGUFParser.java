package dev.ponder.engine.gguf;

import dev.ponder.engine.PonderException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the GGUF header, metadata and tensor infos from a segment, checking every count, length and
 * offset against the bytes that remain, so that a corrupt file can never make it allocate more than the file
 * itself holds, loop for long, or read out of bounds. Errors name the file and the offset.
 */
final class GGUFParser {
    static final int MAGIC = 0x46554747; // "GGUF" little-endian
    static final int MAX_DIMS = 4;
    private static final int MAX_ARRAY_NESTING = 8;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment seg;
    private final String where;
    private final long size;
    private long pos;
    private long tensorCount;
    private long kvCount;

    GGUFParser(MemorySegment seg, String where) {
        this.seg = seg;
        this.where = where;
        this.size = seg.byteSize();
    }

    int header() {
        if (size < 4) throw error("too short to be a GGUF file (" + size + " bytes)");
        int magic = u32();
        if (magic != MAGIC) throw error("not a GGUF file (bad magic " + String.format("0x%08x", magic) + ")");
        int version = u32();
        if (version == 1) throw error("GGUF version 1 is not supported (only 2 and 3)");
        if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3)
            throw error("big-endian GGUF files are not supported");
        if (version != 2 && version != 3) throw error("unsupported GGUF version " + Integer.toUnsignedString(version));
        tensorCount = u64();
        kvCount = u64();
        // every key/value takes at least 8 (key length) + 4 (type) + 1 bytes; every tensor info at least 8+4+8+4+8
        if (kvCount < 0 || kvCount > remaining() / 13) throw error("metadata count " + Long.toUnsignedString(kvCount) + " exceeds what the file can hold");
        if (tensorCount < 0 || tensorCount > remaining() / 32) throw error("tensor count " + Long.toUnsignedString(tensorCount) + " exceeds what the file can hold");
        return version;
    }

    Map<String, GGUFValue> metadata() {
        Map<String, GGUFValue> map = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long at = pos;
            String key = string();
            GGUFValueType type = valueType();
            GGUFValue v = value(type, 0);
            if (map.putIfAbsent(key, v) != null) throw error("duplicate metadata key '" + key + "' at offset " + at);
        }
        return map;
    }

    long alignment(Map<String, GGUFValue> metadata) {
        GGUFValue a = metadata.get("general.alignment");
        if (a == null) return GGUFFile.DEFAULT_ALIGNMENT;
        if (a.type() != GGUFValueType.UINT32) throw error("general.alignment must be a uint32, is " + a.type());
        long v = (Long) a.value();
        if (v == 0 || (v & (v - 1)) != 0) throw error("general.alignment must be a power of two, is " + v);
        return v;
    }

    Map<String, TensorInfo> tensorInfos(long alignment) {
        Map<String, TensorInfo> map = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            long at = pos;
            String name = string();
            int nDims = u32();
            if (nDims < 1 || nDims > MAX_DIMS) throw error("tensor '" + name + "' has " + Integer.toUnsignedString(nDims) + " dimensions (1 to " + MAX_DIMS + " allowed)");
            long[] dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                dims[d] = u64();
                if (dims[d] <= 0) throw error("tensor '" + name + "' has a bad dimension " + Long.toUnsignedString(dims[d]));
                try {
                    elements = Math.multiplyExact(elements, dims[d]);
                } catch (ArithmeticException e) {
                    throw error("tensor '" + name + "' is impossibly large");
                }
            }
            int typeId = u32();
            GGMLType type;
            try {
                type = GGMLType.fromId(typeId);
            } catch (PonderException e) {
                throw error("tensor '" + name + "' has unknown ggml type id " + Integer.toUnsignedString(typeId));
            }
            if (dims[0] % type.blockSize != 0)
                throw error("tensor '" + name + "' of type " + type + " has row length " + dims[0] + ", not a multiple of " + type.blockSize);
            long offset = u64();
            if (offset < 0 || offset % alignment != 0) throw error("tensor '" + name + "' has offset " + Long.toUnsignedString(offset) + " not aligned to " + alignment);
            if (map.putIfAbsent(name, new TensorInfo(name, type, dims, offset)) != null) throw error("duplicate tensor name '" + name + "' at offset " + at);
        }
        return map;
    }

    long dataStart(long alignment) {
        long start = (pos + alignment - 1) / alignment * alignment;
        if (tensorCount > 0 && start > size) throw error("truncated: tensor data would start at " + start + " but the file has " + size + " bytes");
        return start;
    }

    void checkTensorRanges(Map<String, TensorInfo> tensors, long dataStart, long alignment) {
        long available = size - dataStart;
        for (TensorInfo t : tensors.values()) {
            long bytes;
            try {
                bytes = t.byteSize();
            } catch (ArithmeticException e) {
                throw error("tensor '" + t.name() + "' is impossibly large");
            }
            if (bytes < 0 || t.offset() > available || bytes > available - t.offset())
                throw error("truncated: tensor '" + t.name() + "' (" + t.type() + " " + t.shape() + ", " + bytes + " bytes at data offset "
                        + t.offset() + ") extends past the end of the file (" + available + " data bytes)");
        }
    }

    // ---- primitive reads, each bounds-checked ----

    private long remaining() {
        return size - pos;
    }

    private void need(long n, String what) {
        if (n < 0 || n > remaining()) throw error("truncated: " + what + " at offset " + pos + " needs " + Long.toUnsignedString(n) + " bytes, " + remaining() + " remain");
    }

    private int u32() {
        need(4, "a 32-bit value");
        int v = seg.get(I32, pos);
        pos += 4;
        return v;
    }

    private long u64() {
        need(8, "a 64-bit value");
        long v = seg.get(I64, pos);
        pos += 8;
        return v;
    }

    private GGUFValueType valueType() {
        int id = u32();
        if (id < 0 || id >= GGUFValueType.values().length) throw error("unknown metadata value type " + Integer.toUnsignedString(id) + " at offset " + (pos - 4));
        return GGUFValueType.fromId(id);
    }

    private String string() {
        long len = u64();
        if (len < 0 || len > Integer.MAX_VALUE - 16) throw error("string length " + Long.toUnsignedString(len) + " at offset " + (pos - 8) + " is impossible");
        need(len, "a string");
        byte[] b = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        return new String(b, StandardCharsets.UTF_8);
    }

    private GGUFValue value(GGUFValueType type, int depth) {
        return switch (type) {
            case ARRAY -> array(depth);
            case STRING -> GGUFValue.of(type, string());
            default -> GGUFValue.of(type, scalar(type));
        };
    }

    private Object scalar(GGUFValueType type) {
        need(type.size, "a " + type + " value");
        long p = pos;
        pos += type.size;
        return switch (type) {
            case UINT8 -> Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, p));
            case INT8 -> (int) seg.get(ValueLayout.JAVA_BYTE, p);
            case UINT16 -> Short.toUnsignedInt(seg.get(I16, p));
            case INT16 -> (int) seg.get(I16, p);
            case UINT32 -> Integer.toUnsignedLong(seg.get(I32, p));
            case INT32 -> seg.get(I32, p);
            case FLOAT32 -> seg.get(F32, p);
            case BOOL -> {
                byte b = seg.get(ValueLayout.JAVA_BYTE, p);
                if (b != 0 && b != 1) throw error("bad bool value " + b + " at offset " + p);
                yield b == 1;
            }
            case UINT64, INT64 -> seg.get(I64, p);
            case FLOAT64 -> seg.get(F64, p);
            default -> throw new IllegalStateException(type.toString());
        };
    }

    private GGUFValue array(int depth) {
        if (depth >= MAX_ARRAY_NESTING) throw error("metadata arrays nested too deeply at offset " + pos);
        GGUFValueType et = valueType();
        long n = u64();
        long minSize = switch (et) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> et.size;
        };
        if (n < 0 || n > remaining() / minSize) throw error("array of " + Long.toUnsignedString(n) + " " + et + " at offset " + (pos - 12) + " exceeds what the file can hold");
        int count = (int) n;
        Object values = switch (et) {
            case UINT8, INT8 -> bulk(ValueLayout.JAVA_BYTE, count, 1);
            case UINT16, INT16 -> bulk(I16, count, 2);
            case UINT32, INT32 -> bulk(I32, count, 4);
            case UINT64, INT64 -> bulk(I64, count, 8);
            case FLOAT32 -> bulk(F32, count, 4);
            case FLOAT64 -> bulk(F64, count, 8);
            case BOOL -> {
                boolean[] a = new boolean[count];
                for (int i = 0; i < count; i++) a[i] = (Boolean) scalar(GGUFValueType.BOOL);
                yield a;
            }
            case STRING -> {
                String[] a = new String[count];
                for (int i = 0; i < count; i++) a[i] = string();
                yield a;
            }
            case ARRAY -> {
                GGUFValue[] a = new GGUFValue[count];
                for (int i = 0; i < count; i++) a[i] = array(depth + 1);
                yield a;
            }
        };
        return GGUFValue.array(et, values);
    }

    private Object bulk(ValueLayout layout, int count, int width) {
        long bytes = (long) count * width;
        need(bytes, "an array");
        MemorySegment s = seg.asSlice(pos, bytes);
        pos += bytes;
        return switch (width) {
            case 1 -> s.toArray(ValueLayout.JAVA_BYTE);
            case 2 -> s.toArray((ValueLayout.OfShort) layout);
            case 4 -> layout instanceof ValueLayout.OfFloat f ? s.toArray(f) : s.toArray((ValueLayout.OfInt) layout);
            default -> layout instanceof ValueLayout.OfDouble d ? s.toArray(d) : s.toArray((ValueLayout.OfLong) layout);
        };
    }

    private PonderException error(String msg) {
        return new PonderException("malformed GGUF file " + where + ": " + msg);
    }
}
