package dev.ponder.learn.world;

import java.util.List;

/**
 * A small seeded generator (SplitMix64) whose sequence is fixed by this code alone, so a world generated
 * from a seed is the same on every JDK and machine.
 *
 * <p>{@link #fork(String)} derives an independent stream from the <em>seed</em> (not the current state)
 * and a label: each part of the generator draws from its own fork, so changing how many numbers one part
 * consumes (for instance the corpus size) never changes another part (for instance the entities).
 */
public final class Rng {
    private final long seed;
    private long state;

    /** A generator whose whole sequence is determined by {@code seed}. */
    public Rng(long seed) {
        this.seed = seed;
        this.state = seed;
    }

    /** An independent generator determined by this generator's seed and {@code label}. */
    public Rng fork(String label) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the label's UTF-16 units
        for (int i = 0; i < label.length(); i++) {
            h ^= label.charAt(i);
            h *= 0x100000001b3L;
        }
        return new Rng(mix(seed ^ mix(h)));
    }

    /** The next 64 uniformly distributed bits. */
    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)}, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        int bits, val;
        do {
            bits = (int) (nextLong() >>> 33); // 31 random bits
            val = bits % bound;
        } while (bits - val + (bound - 1) < 0);
        return val;
    }

    /** Uniform in {@code [lo, hi]} (both inclusive). */
    public int between(int lo, int hi) {
        if (hi < lo) throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        return lo + nextInt(hi - lo + 1);
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return (nextLong() >>> 11) * 0x1.0p-53 < p;
    }

    /** A uniformly chosen element of a non-empty list. */
    public <T> T pick(List<T> items) {
        return items.get(nextInt(items.size()));
    }

    /** A uniformly chosen element of a non-empty array. */
    @SafeVarargs
    public final <T> T pick(T... items) {
        return items[nextInt(items.length)];
    }

    /** Shuffles {@code items} in place (Fisher-Yates). */
    public <T> void shuffle(List<T> items) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            T t = items.get(i);
            items.set(i, items.get(j));
            items.set(j, t);
        }
    }
}
