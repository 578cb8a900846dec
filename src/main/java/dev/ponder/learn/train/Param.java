package dev.ponder.learn.train;

/**
 * One trainable tensor with its gradient. Matrices are stored PyTorch-style, {@code W[rows][cols]} row-major
 * with {@code cols} = input features; vectors have {@code rows == 1}. The GGUF dims are {@code [cols, rows]}.
 */
public final class Param {
    /** The llama.cpp tensor name, e.g. {@code blk.0.attn_q.weight}. */
    public final String name;
    public final int rows;
    public final int cols;
    /** Whether AdamW applies weight decay (matrices yes; norms and embeddings no). */
    public final boolean decay;
    /** Values, {@code [rows][cols]}. */
    public final float[] w;
    /** Gradient of the loss, same shape; accumulated by backward, cleared by {@link #zeroGrad()}. */
    public final float[] g;

    public Param(String name, int rows, int cols, boolean decay) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.decay = decay;
        this.w = new float[Math.multiplyExact(rows, cols)];
        this.g = new float[w.length];
    }

    public int size() {
        return w.length;
    }

    public boolean isVector() {
        return rows == 1;
    }

    public void zeroGrad() {
        java.util.Arrays.fill(g, 0f);
    }

    @Override
    public String toString() {
        return name + (isVector() ? "[" + cols + "]" : "[" + rows + "][" + cols + "]");
    }
}
