package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Language-model pre-training data: token sequences joined into one stream (each optionally preceded by a
 * separator such as BOS), from which each batch takes {@code batchSize} windows of {@code seqLen + 1} tokens at
 * positions drawn from a generator seeded by {@code (seed, step)}. Every position is trained (weight 1).
 */
public final class TokenStream implements BatchSource {
    private final int[] tokens;
    private final int batchSize, seqLen;
    private final long seed;

    /** Joins {@code sequences}, putting {@code separator} before each one unless it is negative. */
    public static int[] join(List<int[]> sequences, int separator) {
        int total = 0;
        for (int[] s : sequences) total += s.length + (separator >= 0 ? 1 : 0);
        int[] all = new int[total];
        int o = 0;
        for (int[] s : sequences) {
            if (separator >= 0) all[o++] = separator;
            System.arraycopy(s, 0, all, o, s.length);
            o += s.length;
        }
        return all;
    }

    public TokenStream(int[] tokens, int batchSize, int seqLen, long seed) {
        if (tokens.length < seqLen + 1)
            throw new PonderException("training data has " + tokens.length + " tokens; a sequence of " + seqLen + " needs at least " + (seqLen + 1));
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.seed = seed;
    }

    @Override
    public Batch batch(long step) {
        SplittableRandom rnd = new SplittableRandom(seed ^ (step * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
        int n = batchSize * seqLen;
        int[] in = new int[n], tg = new int[n];
        float[] w = new float[n];
        for (int b = 0; b < batchSize; b++) {
            int start = rnd.nextInt(tokens.length - seqLen);
            System.arraycopy(tokens, start, in, b * seqLen, seqLen);
            System.arraycopy(tokens, start + 1, tg, b * seqLen, seqLen);
        }
        java.util.Arrays.fill(w, 1f);
        return new Batch(batchSize, seqLen, in, tg, w);
    }

    public int tokenCount() {
        return tokens.length;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public int seqLen() {
        return seqLen;
    }
}
