package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Language-model pre-training data: token sequences joined into one stream (each optionally preceded by a
 * separator such as BOS), from which each batch takes {@code batchSize} windows of {@code seqLen + 1} tokens at
 * positions drawn from a generator seeded by {@code (seed, batch index)}. Every position is trained, with weight 1
 * unless per-token weights are given ({@code weights[i]} weights the prediction of {@code tokens[i]}), e.g. to
 * stress the answers of question-answer examples.
 */
public final class TokenStream implements BatchSource {
    private final int[] tokens;
    /** weights[i]: loss weight of predicting tokens[i]; null = all 1. */
    private final float[] weights;
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
        this(tokens, null, batchSize, seqLen, seed);
    }

    /** With per-token loss weights ({@code weights.length == tokens.length}), or null for weight 1 everywhere. */
    public TokenStream(int[] tokens, float[] weights, int batchSize, int seqLen, long seed) {
        if (weights != null && weights.length != tokens.length)
            throw new PonderException("token weights: " + weights.length + " weights for " + tokens.length + " tokens");
        this.weights = weights;
        if (tokens.length < seqLen + 1)
            throw new PonderException("training data has " + tokens.length + " tokens; a sequence of " + seqLen + " needs at least " + (seqLen + 1));
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.seed = seed;
    }

    @Override
    public Batch batch(long index) {
        SplittableRandom rnd = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
        int n = batchSize * seqLen;
        int[] in = new int[n], tg = new int[n];
        float[] w = new float[n];
        for (int b = 0; b < batchSize; b++) {
            int start = rnd.nextInt(tokens.length - seqLen);
            System.arraycopy(tokens, start, in, b * seqLen, seqLen);
            System.arraycopy(tokens, start + 1, tg, b * seqLen, seqLen);
            if (weights != null) System.arraycopy(weights, start + 1, w, b * seqLen, seqLen);
        }
        if (weights == null) java.util.Arrays.fill(w, 1f);
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
