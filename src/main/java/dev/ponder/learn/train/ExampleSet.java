package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fine-tuning data made of separate examples (e.g. question + answer), each trained on its own row:
 * right-padded to {@code seqLen + 1} tokens (padding is never trained) and visited once per epoch in an order
 * shuffled by {@code (seed, epoch)}. An example's {@code lossMask} says which next-token predictions count:
 * entry {@code i} weights the prediction of {@code tokens[i+1]}; a null mask trains every position.
 */
public final class ExampleSet implements BatchSource {
    /** One training example; {@code lossMask} has {@code tokens.length − 1} entries or is null. */
    public record Example(int[] tokens, float[] lossMask) {
        public Example {
            if (tokens.length < 2) throw new PonderException("a training example needs at least two tokens");
            if (lossMask != null && lossMask.length != tokens.length - 1)
                throw new PonderException("loss mask has " + lossMask.length + " entries for " + tokens.length + " tokens; expected " + (tokens.length - 1));
        }

        /** An example training only the predictions of {@code answer}'s tokens after {@code prompt}. */
        public static Example answerOnly(int[] prompt, int[] answer) {
            int[] t = new int[prompt.length + answer.length];
            System.arraycopy(prompt, 0, t, 0, prompt.length);
            System.arraycopy(answer, 0, t, prompt.length, answer.length);
            float[] m = new float[t.length - 1];
            for (int i = Math.max(0, prompt.length - 1); i < m.length; i++) m[i] = 1f;
            return new Example(t, m);
        }
    }

    private final List<Example> examples;
    private final int batchSize, seqLen, padToken;
    private final long seed;

    public ExampleSet(List<Example> examples, int batchSize, int seqLen, int padToken, long seed) {
        if (examples.isEmpty()) throw new PonderException("no training examples");
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.padToken = padToken;
        this.seed = seed;
    }

    @Override
    public Batch batch(long step) {
        int n = batchSize * seqLen;
        int[] in = new int[n], tg = new int[n];
        float[] w = new float[n];
        java.util.Arrays.fill(in, padToken);
        java.util.Arrays.fill(tg, padToken);
        for (int b = 0; b < batchSize; b++) {
            long k = step * batchSize + b; // k-th example visit overall
            Example e = examples.get(order(k / examples.size())[(int) (k % examples.size())]);
            int len = Math.min(e.tokens().length - 1, seqLen); // truncated to fit
            for (int i = 0; i < len; i++) {
                in[b * seqLen + i] = e.tokens()[i];
                tg[b * seqLen + i] = e.tokens()[i + 1];
                w[b * seqLen + i] = e.lossMask() == null ? 1f : e.lossMask()[i];
            }
        }
        return new Batch(batchSize, seqLen, in, tg, w);
    }

    private long cachedEpoch = -1;
    private int[] cachedOrder;

    /** The visiting order of epoch {@code epoch}: a Fisher-Yates shuffle seeded by (seed, epoch). */
    private synchronized int[] order(long epoch) {
        if (epoch != cachedEpoch) {
            int[] o = new int[examples.size()];
            for (int i = 0; i < o.length; i++) o[i] = i;
            SplittableRandom rnd = new SplittableRandom(seed ^ (epoch * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL));
            for (int i = o.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1), t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
            cachedOrder = o;
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    public int size() {
        return examples.size();
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
