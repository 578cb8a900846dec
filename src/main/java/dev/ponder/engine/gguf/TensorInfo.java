package dev.ponder.engine.gguf;

/**
 * Where a tensor lives in a GGUF file.
 *
 * @param name   tensor name (llama.cpp convention, e.g. {@code blk.0.attn_q.weight})
 * @param type   element type
 * @param dims   ggml dimensions, innermost first: a matrix of {@code rows} rows of {@code cols} elements
 *               has {@code dims = [cols, rows]}
 * @param offset byte offset of the data relative to the start of the file's tensor-data section
 */
public record TensorInfo(String name, GGMLType type, long[] dims, long offset) {

    public long elements() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    public long byteSize() {
        return type.byteSize(elements());
    }

    /** Row length (ggml ne[0]). */
    public long cols() {
        return dims[0];
    }

    /** Number of rows: the product of all dims but the first. */
    public long rows() {
        return elements() / dims[0];
    }

    public String shape() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) sb.append(i > 0 ? ", " : "").append(dims[i]);
        return sb.append(']').toString();
    }
}
