package dev.ponder.engine.kv;

import java.util.Arrays;

/**
 * One token sequence and its cached keys and values: a block table into a {@link KVCache} plus the token ids
 * it holds. {@link #fork()} branches it in O(blocks) without copying KV data; {@link #truncate(int)} rolls it
 * back. Not thread-safe: one sequence is advanced by one thread at a time.
 */
public final class Sequence implements AutoCloseable {
    private final KVCache cache;
    private int[] blocks = new int[4];
    private int blockCount;
    private int[] tokens = new int[64];
    private int length;
    private boolean closed;

    Sequence(KVCache cache) {
        this.cache = cache;
    }

    public KVCache cache() {
        return cache;
    }

    /** Number of positions cached (= tokens held). */
    public int length() {
        return length;
    }

    /** The token ids held, oldest first. */
    public int[] tokens() {
        return Arrays.copyOf(tokens, length);
    }

    public int token(int position) {
        if (position < 0 || position >= length) throw new IndexOutOfBoundsException(position);
        return tokens[position];
    }

    /** A branch sharing every cached position with this sequence; both may then grow independently. */
    public Sequence fork() {
        checkOpen();
        Sequence s = new Sequence(cache);
        s.blocks = Arrays.copyOf(blocks, Math.max(4, blockCount));
        s.blockCount = blockCount;
        for (int i = 0; i < blockCount; i++) cache.retain(blocks[i]);
        s.tokens = Arrays.copyOf(tokens, tokens.length);
        s.length = length;
        return s;
    }

    /** Rolls back to the first {@code position} positions (0 ≤ position ≤ length). */
    public void truncate(int position) {
        checkOpen();
        if (position < 0 || position > length) throw new IllegalArgumentException("truncate(" + position + ") outside [0, " + length + "]");
        int keep = (position + cache.blockSize - 1) / cache.blockSize;
        for (int i = keep; i < blockCount; i++) cache.release(blocks[i]);
        blockCount = keep;
        length = position;
    }

    /**
     * Reserves the next position for {@code token} and returns it. The block it lands in is made private to
     * this sequence (allocated, or copied if shared), so writing its keys and values never affects a fork.
     */
    public int append(int token) {
        checkOpen();
        int pos = length;
        int bi = pos / cache.blockSize;
        if (bi == blockCount) {
            if (blockCount == blocks.length) blocks = Arrays.copyOf(blocks, blocks.length * 2);
            blocks[blockCount++] = cache.allocate();
        } else if (cache.shared(blocks[bi])) {
            blocks[bi] = cache.copyOnWrite(blocks[bi], pos % cache.blockSize);
        }
        if (length == tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
        tokens[length++] = token;
        return pos;
    }

    /**
     * Caches the key {@code k[kOff..kOff+kvDim)} and value {@code v[vOff..vOff+kvDim)} of {@code layer} at
     * {@code position} (already reserved by {@link #append}), rounded to the cache's {@link KVPrecision}.
     */
    public void store(int layer, int position, float[] k, int kOff, float[] v, int vOff) {
        if (position < 0 || position >= length) throw new IndexOutOfBoundsException(position);
        KVPrecision p = cache.precision;
        int off = offset(layer, position), kOffT = keyOffset(layer, position), bs = cache.blockSize;
        float[] kb = keys(position), vb = values(position);
        for (int j = 0; j < cache.kvDim; j++) {
            kb[kOffT + j * bs] = p.round(k[kOff + j]);
            vb[off + j] = p.round(v[vOff + j]);
        }
    }

    /**
     * The key array holding {@code position}, transposed: dimension d of the key of (layer, position) is
     * at {@code keyOffset(layer, position) + d * blockSize}.
     */
    public float[] keys(int position) {
        return cache.keyBlock(blocks[position / cache.blockSize]);
    }

    /** The value array holding {@code position}; the value of (layer, position) starts at {@link #offset(int, int)}. */
    public float[] values(int position) {
        return cache.valueBlock(blocks[position / cache.blockSize]);
    }

    /** Offset of (layer, position)'s value row within its block's value array. */
    public int offset(int layer, int position) {
        return (layer * cache.blockSize + position % cache.blockSize) * cache.kvDim;
    }

    /** Offset of dimension 0 of (layer, position)'s key within its block's (transposed) key array. */
    public int keyOffset(int layer, int position) {
        return layer * cache.kvDim * cache.blockSize + position % cache.blockSize;
    }

    /** Releases the blocks; the sequence can no longer be used. */
    @Override
    public void close() {
        if (closed) return;
        for (int i = 0; i < blockCount; i++) cache.release(blocks[i]);
        blockCount = 0;
        length = 0;
        closed = true;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("sequence is closed");
    }
}
