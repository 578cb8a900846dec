package dev.ponder.engine.tensor;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** PLACEHOLDER (F32 only, scalar) until the kernels branch lands; replaced by the real per-format classes. */
public abstract class WeightMatrix {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    final MemorySegment data;
    final int rows, cols;

    WeightMatrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    public static WeightMatrix of(GGMLType type, MemorySegment data, int rows, int cols) {
        if (type != GGMLType.F32) throw new PonderException("unsupported tensor type " + type);
        return new WeightMatrix(data, rows, cols) {};
    }

    public int rows() { return rows; }
    public int cols() { return cols; }
    public GGMLType type() { return GGMLType.F32; }
    public long byteSize() { return (long) rows * cols * 4; }

    public float dot(int row, float[] x, int xOff) {
        float s = 0;
        long base = (long) row * cols * 4;
        for (int i = 0; i < cols; i++) s += data.get(F32, base + 4L * i) * x[xOff + i];
        return s;
    }

    public void dequantizeRow(int row, float[] out, int off) {
        long base = (long) row * cols * 4;
        for (int i = 0; i < cols; i++) out[off + i] = data.get(F32, base + 4L * i);
    }

    public void matvec(float[] x, float[] out) {
        for (int r = 0; r < rows; r++) out[r] = dot(r, x, 0);
    }

    public void matmul(float[] x, int batch, float[] out) {
        for (int b = 0; b < batch; b++) for (int r = 0; r < rows; r++) out[b * rows + r] = dot(r, x, b * cols);
    }
}
