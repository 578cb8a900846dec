package dev.ponder.engine.gguf;

import dev.ponder.engine.PonderException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF files (version 3 by default, little-endian) following the specification: header, metadata in
 * insertion order, tensor infos, then the tensor data, each tensor aligned to {@link #alignment(int)} bytes.
 * Tensor data can be given as bytes or streamed from a {@link TensorSource}, so models far larger than
 * the heap can be written. The file is written to a temporary sibling and moved into place, so a failure
 * never leaves a half-written file under the target name.
 */
public final class GGUFWriter {
    /** Streams a tensor's bytes; must write exactly the declared number of bytes. */
    @FunctionalInterface
    public interface TensorSource {
        void writeTo(OutputStream out) throws IOException;
    }

    private record PendingTensor(String name, GGMLType type, long[] dims, long bytes, TensorSource source) {}

    private final Map<String, GGUFValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int version = 3;
    private int alignment = GGUFFile.DEFAULT_ALIGNMENT;

    public GGUFWriter version(int version) {
        if (version != 2 && version != 3) throw new PonderException("can only write GGUF versions 2 and 3, not " + version);
        this.version = version;
        return this;
    }

    /** Sets the alignment (a power of two); a non-default value is recorded as {@code general.alignment}. */
    public GGUFWriter alignment(int alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) throw new PonderException("alignment must be a power of two, not " + alignment);
        this.alignment = alignment;
        if (alignment != GGUFFile.DEFAULT_ALIGNMENT) metadata.put("general.alignment", GGUFValue.uint32(alignment));
        else metadata.remove("general.alignment");
        return this;
    }

    public GGUFWriter put(String key, GGUFValue value) {
        metadata.put(key, value);
        return this;
    }

    /** Copies every metadata value of {@code file} (except alignment, which this writer owns). */
    public GGUFWriter putAll(Map<String, GGUFValue> values) {
        values.forEach((k, v) -> {
            if (!k.equals("general.alignment")) metadata.put(k, v);
        });
        return this;
    }

    public GGUFWriter putString(String key, String v) {
        return put(key, GGUFValue.string(v));
    }

    public GGUFWriter putUInt32(String key, long v) {
        return put(key, GGUFValue.uint32(v));
    }

    public GGUFWriter putInt32(String key, int v) {
        return put(key, GGUFValue.int32(v));
    }

    public GGUFWriter putUInt64(String key, long v) {
        return put(key, GGUFValue.of(GGUFValueType.UINT64, v));
    }

    public GGUFWriter putFloat32(String key, float v) {
        return put(key, GGUFValue.float32(v));
    }

    public GGUFWriter putBool(String key, boolean v) {
        return put(key, GGUFValue.bool(v));
    }

    public GGUFWriter putStrings(String key, List<String> v) {
        return put(key, GGUFValue.strings(v));
    }

    public GGUFWriter putInt32s(String key, int[] v) {
        return put(key, GGUFValue.int32s(v));
    }

    public GGUFWriter putFloat32s(String key, float[] v) {
        return put(key, GGUFValue.float32s(v));
    }

    /** Adds a tensor whose bytes are in memory. {@code dims} are ggml dims, innermost (row length) first. */
    public GGUFWriter addTensor(String name, GGMLType type, long[] dims, byte[] data) {
        return addTensor(name, type, dims, data.length, out -> out.write(data));
    }

    /** Adds a tensor whose {@code bytes} bytes are streamed by {@code source} when the file is written. */
    public GGUFWriter addTensor(String name, GGMLType type, long[] dims, long bytes, TensorSource source) {
        long elements = 1;
        for (long d : dims) {
            if (d <= 0) throw new PonderException("tensor '" + name + "' has a non-positive dimension");
            elements = Math.multiplyExact(elements, d);
        }
        if (dims.length < 1 || dims.length > GGUFParser.MAX_DIMS) throw new PonderException("tensor '" + name + "' must have 1 to 4 dimensions");
        long expected = type.byteSize(elements);
        if (expected != bytes) throw new PonderException("tensor '" + name + "': " + type + " " + java.util.Arrays.toString(dims) + " takes " + expected + " bytes, got " + bytes);
        for (PendingTensor t : tensors) if (t.name.equals(name)) throw new PonderException("duplicate tensor name '" + name + "'");
        tensors.add(new PendingTensor(name, type, dims.clone(), bytes, source));
        return this;
    }

    /** Writes the file (atomically replacing {@code path}). */
    public void write(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        // a sibling temporary file (created with the usual permissions, unlike createTempFile's owner-only ones)
        Path tmp = (dir == null ? Path.of(".") : dir).resolve("." + path.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp); CountingStream out = new CountingStream(new BufferedOutputStream(raw, 1 << 20))) {
                writeTo(out);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void writeTo(CountingStream out) throws IOException {
        out.u32(GGUFParser.MAGIC);
        out.u32(version);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GGUFValue> e : metadata.entrySet()) {
            out.string(e.getKey());
            out.u32(e.getValue().type().id());
            value(out, e.getValue());
        }
        long offset = 0;
        long[] offsets = new long[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            PendingTensor t = tensors.get(i);
            offsets[i] = offset;
            out.string(t.name);
            out.u32(t.dims.length);
            for (long d : t.dims) out.u64(d);
            out.u32(t.type.id);
            out.u64(offset);
            offset = align(offset + t.bytes);
        }
        out.pad(align(out.count) - out.count);
        long dataStart = out.count;
        for (int i = 0; i < tensors.size(); i++) {
            PendingTensor t = tensors.get(i);
            out.pad(dataStart + offsets[i] - out.count);
            long before = out.count;
            t.source.writeTo(out);
            if (out.count - before != t.bytes)
                throw new PonderException("tensor '" + t.name + "' wrote " + (out.count - before) + " bytes, declared " + t.bytes);
        }
        out.pad(align(out.count - dataStart) - (out.count - dataStart));
    }

    private long align(long v) {
        return (v + alignment - 1) / alignment * alignment;
    }

    private static void value(CountingStream out, GGUFValue v) throws IOException {
        if (v.type() == GGUFValueType.ARRAY) {
            out.u32(v.elementType().id());
            out.u64(v.length());
            switch (v.value()) {
                case byte[] a -> out.write(a);
                case short[] a -> { for (short x : a) out.u16(x); }
                case int[] a -> { for (int x : a) out.u32(x); }
                case long[] a -> { for (long x : a) out.u64(x); }
                case float[] a -> { for (float x : a) out.u32(Float.floatToRawIntBits(x)); }
                case double[] a -> { for (double x : a) out.u64(Double.doubleToRawLongBits(x)); }
                case boolean[] a -> { for (boolean x : a) out.write(x ? 1 : 0); }
                case String[] a -> { for (String s : a) out.string(s); }
                case GGUFValue[] a -> {
                    for (GGUFValue x : a) value(out, x);
                }
                default -> throw new PonderException("unsupported array value " + v.value().getClass());
            }
            return;
        }
        Object o = v.value();
        switch (v.type()) {
            case UINT8, INT8, BOOL -> out.write(o instanceof Boolean b ? (b ? 1 : 0) : ((Number) o).intValue());
            case UINT16, INT16 -> out.u16(((Number) o).intValue());
            case UINT32, INT32 -> out.u32(((Number) o).intValue());
            case UINT64, INT64 -> out.u64(((Number) o).longValue());
            case FLOAT32 -> out.u32(Float.floatToRawIntBits(((Number) o).floatValue()));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits(((Number) o).doubleValue()));
            case STRING -> out.string((String) o);
            default -> throw new IllegalStateException(v.type().toString());
        }
    }

    /** A little-endian output stream that counts bytes (to place padding). */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        void u16(int v) throws IOException {
            buf.clear();
            buf.putShort((short) v);
            write(buf.array(), 0, 2);
        }

        void u32(int v) throws IOException {
            buf.clear();
            buf.putInt(v);
            write(buf.array(), 0, 4);
        }

        void u64(long v) throws IOException {
            buf.clear();
            buf.putLong(v);
            write(buf.array(), 0, 8);
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b, 0, b.length);
        }

        void pad(long n) throws IOException {
            for (long i = 0; i < n; i++) write(0);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
