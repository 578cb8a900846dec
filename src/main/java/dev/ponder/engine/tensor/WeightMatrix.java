package dev.ponder.engine.tensor;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 2-D weight matrix {@code W[rows][cols]} stored row-major in one of ggml's formats: each row is
 * {@code cols / blockSize} blocks of the type's byte layout, rows follow each other without padding.
 * The bytes stay where they are (usually a slice of a memory-mapped GGUF file); nothing is copied.
 *
 * <p>Every format provides a plain scalar {@link #dotReference} that is obviously correct and a fast
 * {@link #dot} built on the Vector API; tests hold the second to the first at every vector width.
 * {@link #matvec} and {@link #matmul} spread rows over a {@link Parallel} pool; {@link #matmul}
 * decodes each weight block once for up to four input vectors at a time.
 */
public abstract class WeightMatrix {
    /** Little-endian unaligned 16-bit load (f16 scales, f16/bf16 weights). */
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The weights: {@code [rows][rowBytes]}. */
    protected final MemorySegment data;
    protected final int rows, cols;
    /** Bytes per row: {@code cols / blockSize * typeSize}. */
    protected final long rowBytes;

    /**
     * Bound to this matrix's {@link #matvecRows} / {@link #matmulRows}. Parallel loops call the row kernels
     * through these handles, which the JIT cannot inline because they are not constants: so each format's
     * row loop is compiled on its own, with its own profile and inlining budget. (Called from one shared
     * call site, the JIT would inline the kernels of two formats into one method, run out of budget and
     * leave Vector API calls un-inlined, boxing every vector: 3-100x slower.)
     */
    private final MethodHandle matvecRows, matmulRows;

    WeightMatrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = type().byteSize(cols);
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            matvecRows = lookup.findVirtual(WeightMatrix.class, "matvecRows",
                    MethodType.methodType(void.class, float[].class, float[].class, int.class, int.class)).bindTo(this);
            matmulRows = lookup.findVirtual(WeightMatrix.class, "matmulRows",
                    MethodType.methodType(void.class, float[].class, int.class, float[].class, int.class, int.class)).bindTo(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A view of {@code data} as a {@code rows x cols} matrix of {@code type}, using this CPU's preferred
     * vector width. Throws a {@link PonderException} for an unsupported type or a size that does not fit.
     */
    public static WeightMatrix of(GGMLType type, MemorySegment data, int rows, int cols) {
        return of(type, data, rows, cols, VectorWidth.DEFAULT);
    }

    /** As {@link #of(GGMLType, MemorySegment, int, int)}, with kernels running at the given vector width. */
    public static WeightMatrix of(GGMLType type, MemorySegment data, int rows, int cols, VectorSpecies<Float> species) {
        if (!type.supported())
            throw new PonderException("tensor type " + type + " is not supported (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K)");
        if (rows <= 0 || cols <= 0)
            throw new PonderException("matrix dimensions must be positive, got " + rows + "x" + cols);
        if (cols % type.blockSize != 0)
            throw new PonderException(type + " rows must hold a multiple of " + type.blockSize + " values, got " + cols);
        long need = (long) rows * type.byteSize(cols);
        if (data.byteSize() != need)
            throw new PonderException(type + " matrix " + rows + "x" + cols + " needs " + need + " bytes, got " + data.byteSize());
        Class<? extends WeightMatrix> cls = switch (type) {
            case F32 -> F32Matrix.class;
            case F16 -> F16Matrix.class;
            case BF16 -> BF16Matrix.class;
            case Q8_0 -> Q8_0Matrix.class;
            case Q4_0 -> Q4_0Matrix.class;
            case Q4_K -> Q4_KMatrix.class;
            case Q6_K -> Q6_KMatrix.class;
            default -> throw new AssertionError(type);
        };
        MethodHandle ctor = VectorWidth.constructor(cls, VectorWidth.forBits(species.vectorBitSize()));
        try {
            return (WeightMatrix) ctor.invoke(data, rows, cols);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    /** The storage format. */
    public abstract GGMLType type();

    /** The float vector species the fast kernels use. */
    public abstract VectorSpecies<Float> species();

    /** The raw bytes, {@code [rows][cols / blockSize * typeSize]}. */
    /** Bytes of weights this matrix reads per full product. */
    public final long byteSize() {
        return rows * rowBytes;
    }

    public final MemorySegment data() {
        return data;
    }

    /** {@code W[row] · x[xOff .. xOff+cols)}, fast (Vector API). */
    public abstract float dot(int row, float[] x, int xOff);

    /** {@code W[row] · x[xOff .. xOff+cols)}, by a plain scalar loop over dequantized values. */
    public abstract float dotReference(int row, float[] x, int xOff);

    /** Writes the {@code cols} values of {@code W[row]} to {@code out[off ..]} (e.g. an embedding lookup). */
    public abstract void dequantizeRow(int row, float[] out, int off);

    /**
     * For {@code k < n} (n in 2..4), runs {@link #dot}'s chains for {@code W[row]} and the input at
     * {@code x[xOff + k*xStride ..]}, performing for each input exactly the floating-point operations
     * {@code dot} performs, and writes their final vector (the one {@code dot} reduces to its result)
     * to {@code acc[k*L .. (k+1)*L)}, L being the lane count. Each weight block is decoded once for all
     * {@code n} inputs. The caller finishes with the same lane sum (and, for float rows, scalar tail)
     * as {@code dot}, so a result never depends on the batch it was computed in. Indices are trusted.
     */
    abstract void dotBatch(int row, float[] x, int xOff, int xStride, int n, float[] acc);

    /**
     * {@code out[r] = dot(r, x, 0)} for {@code r} in {@code [from, to)}. Each format implements this same
     * loop in its own class, so that the JIT compiles it with that format's {@link #dot} inlined.
     */
    abstract void matvecRows(float[] x, float[] out, int from, int to);

    /**
     * Rows {@code [from, to)} of {@link #matmul}: for each row, {@link #dotBatch} over groups of three or four
     * inputs (the row stays in cache between groups), {@link #dot} for a last group of one or two. Implemented
     * per format, like {@link #matvecRows}. Bit-identical to {@link #matvecRows} for every input.
     */
    abstract void matmulRows(float[] x, int batch, float[] out, int from, int to);

    /** {@code out[r] = W[r] · x} for every row, on the {@link Parallel#common()} pool. */
    public final void matvec(float[] x, float[] out) {
        matmul(x, 1, out, Parallel.common());
    }

    /** {@code out[r] = W[r] · x} for every row, on {@code pool}. */
    public final void matvec(float[] x, float[] out, Parallel pool) {
        matmul(x, 1, out, pool);
    }

    /**
     * {@code out[b*rows + r] = W[r] · x[b*cols ..]} for {@code b < batch}, on the {@link Parallel#common()}
     * pool. Each weight block is decoded once for (up to four of) the inputs, so a batch costs far less
     * than {@code batch} separate {@link #matvec} calls.
     */
    public final void matmul(float[] x, int batch, float[] out) {
        matmul(x, batch, out, Parallel.common());
    }

    /** As {@link #matmul(float[], int, float[])}, on {@code pool}. */
    public final void matmul(float[] x, int batch, float[] out, Parallel pool) {
        checkBatch(x, batch, out);
        Parallel.RangeTask task = (from, to) -> runRows(x, batch, out, from, to);
        long weightBytes = rowBytes * rows;
        if (weightBytes < (1 << 16) || pool.threads() == 1) {
            task.run(0, rows);
            return;
        }
        // chunks of at least 16 KiB of weights, shrinking towards that as the rows run out (Parallel.forRange)
        int grain = (int) ((16384 + rowBytes - 1) / rowBytes);
        pool.forRange(rows, grain, task);
    }

    private void runRows(float[] x, int batch, float[] out, int from, int to) {
        try {
            if (batch == 1) matvecRows.invokeExact(x, out, from, to);
            else matmulRows.invokeExact(x, batch, out, from, to);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@link #matmul} computed row by row with {@link #dotReference}, on the calling thread. */
    public final void matmulReference(float[] x, int batch, float[] out) {
        checkBatch(x, batch, out);
        for (int b = 0; b < batch; b++)
            for (int r = 0; r < rows; r++) out[b * rows + r] = dotReference(r, x, b * cols);
    }

    private void checkBatch(float[] x, int batch, float[] out) {
        if (batch < 1) throw new PonderException("batch must be at least 1, got " + batch);
        if (x.length < (long) batch * cols)
            throw new PonderException("input holds " + x.length + " values, need " + batch + "x" + cols);
        if (out.length < (long) batch * rows)
            throw new PonderException("output holds " + out.length + " values, need " + batch + "x" + rows);
    }

    /** Checks a row index and an input window for the single-row methods. */
    final void checkRow(int row, int len, int off) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        if (off < 0 || off > len - cols)
            throw new IndexOutOfBoundsException("window [" + off + ", " + off + "+" + cols + ") of array length " + len);
    }

    /** The f16 value at byte offset {@code off} of the data. */
    final float f16(long off) {
        return Float.float16ToFloat(data.get(LE_SHORT, off));
    }

    /**
     * The sum of the {@code lanes} lanes stored at {@code a[off .. off+lanes)} (pass the kernel's constant lane
     * count), added in a fixed tree (lane i + lanes/2 to lane i, then lane i + lanes/4, ..., then (l0+l2)+(l1+l3)),
     * in place (the array is scratch). Every kernel's final reduction is this tree: written out on vectors by halves
     * (the two 256-bit halves added, then the two 128-bit halves, then the four lanes), or this method on an array.
     * Not {@code reduceLanes(ADD)}, whose float order is unspecified and in fact differs between the interpreter
     * (lane by lane) and C2 (a tree): a result must not depend on whether its method had been JIT-compiled yet. Not a
     * method on a vector either: the JIT may leave it as a call and box the vector (slowing the kernel many times).
     */
    static float laneSum(float[] a, int off, int lanes) {
        for (int h = lanes / 2; h >= 4; h /= 2)
            for (int i = 0; i < h; i++) a[off + i] += a[off + i + h];
        return (a[off] + a[off + 2]) + (a[off + 1] + a[off + 3]);
    }

    @Override
    public String toString() {
        return type() + "[" + rows + "x" + cols + "]";
    }
}
