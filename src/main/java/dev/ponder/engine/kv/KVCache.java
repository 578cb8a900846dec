package dev.ponder.engine.kv;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * A pool of fixed-size blocks holding keys and values for every layer, shared by sequences through block
 * tables (paged attention). A block holds {@code blockSize} consecutive positions of one sequence:
 * keys are laid out [layer][kvDim][positionInBlock] (transposed, so a query's scores against a block's
 * positions are a few contiguous vector products) and values [layer][positionInBlock][kvDim] (so a weighted
 * sum of values adds whole rows). Blocks are reference-counted, so
 * {@link Sequence#fork()} shares a whole prefix without copying it; a block is copied only when a sequence
 * writes into a block that another sequence also uses (copy-on-write, at most one partial block per fork).
 * Values are kept at the cache's {@link KVPrecision} (f16 by default, like llama.cpp).
 */
public final class KVCache {
    public final int layers;
    public final int kvDim;
    public final int blockSize;
    public final KVPrecision precision;
    private final ArrayList<float[]> keys = new ArrayList<>();   // block -> [layers][kvDim][blockSize]
    private final ArrayList<float[]> values = new ArrayList<>(); // block -> [layers][blockSize][kvDim]
    private int[] refCount = new int[16];
    private int[] freeList = new int[16];
    private int freeCount;
    private long copiedBlocks;

    /** A cache at {@link KVPrecision#F16}, llama.cpp's default. */
    public KVCache(int layers, int kvDim, int blockSize) {
        this(layers, kvDim, blockSize, KVPrecision.F16);
    }

    public KVCache(int layers, int kvDim, int blockSize, KVPrecision precision) {
        if (layers <= 0 || kvDim <= 0 || blockSize <= 0) throw new IllegalArgumentException("bad KV cache shape");
        if (precision == null) throw new IllegalArgumentException("KV precision is null");
        this.layers = layers;
        this.kvDim = kvDim;
        this.blockSize = blockSize;
        this.precision = precision;
    }

    /** A new, empty sequence backed by this cache. */
    public Sequence newSequence() {
        return new Sequence(this);
    }

    float[] keyBlock(int block) {
        return keys.get(block);
    }

    float[] valueBlock(int block) {
        return values.get(block);
    }

    /** Floats per block for keys (the same for values). */
    int blockFloats() {
        return layers * blockSize * kvDim;
    }

    synchronized int allocate() {
        int b;
        if (freeCount > 0) {
            b = freeList[--freeCount];
        } else {
            b = keys.size();
            keys.add(new float[blockFloats()]);
            values.add(new float[blockFloats()]);
            if (b >= refCount.length) refCount = Arrays.copyOf(refCount, refCount.length * 2);
        }
        refCount[b] = 1;
        return b;
    }

    synchronized void retain(int block) {
        refCount[block]++;
    }

    synchronized void release(int block) {
        if (--refCount[block] == 0) {
            if (freeCount == freeList.length) freeList = Arrays.copyOf(freeList, freeList.length * 2);
            freeList[freeCount++] = block;
        }
    }

    synchronized boolean shared(int block) {
        return refCount[block] > 1;
    }

    /** A private copy of {@code block} (its first {@code positions} positions), releasing the caller's share of the original. */
    int copyOnWrite(int block, int positions) {
        int copy = allocate();
        float[] sk = keys.get(block), sv = values.get(block), dk = keys.get(copy), dv = values.get(copy);
        // keys are [layer][kvDim][position]: copied whole (positions past the fork are rewritten before any
        // read); values are [layer][position][kvDim]: each layer's first rows
        System.arraycopy(sk, 0, dk, 0, sk.length);
        for (int l = 0; l < layers; l++) {
            int off = l * blockSize * kvDim;
            System.arraycopy(sv, off, dv, off, positions * kvDim);
        }
        release(block);
        synchronized (this) {
            copiedBlocks++;
        }
        return copy;
    }

    /** Blocks in use (allocated and not free). */
    public synchronized int blocksInUse() {
        return keys.size() - freeCount;
    }

    /** Blocks copied on write so far (a measure of what forks cost). */
    public synchronized long copiedBlocks() {
        return copiedBlocks;
    }

    /** Bytes of KV storage allocated (keys and values). */
    public synchronized long bytesAllocated() {
        return 2L * keys.size() * blockFloats() * Float.BYTES;
    }
}
