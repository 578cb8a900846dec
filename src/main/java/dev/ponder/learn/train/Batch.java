package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;

/**
 * A training batch: {@code batch} sequences of {@code seqLen} positions, row-major ({@code n = batch·seqLen}).
 * Position {@code r} reads token {@code inputs[r]} and is trained to predict {@code targets[r]} with loss weight
 * {@code weights[r]} (0 leaves a position out of the loss, e.g. padding or question tokens).
 */
public record Batch(int batch, int seqLen, int[] inputs, int[] targets, float[] weights) {
    public Batch {
        int n = batch * seqLen;
        if (batch <= 0 || seqLen <= 0 || inputs.length != n || targets.length != n || weights.length != n)
            throw new PonderException("batch arrays must all hold batch·seqLen = " + n + " entries");
    }

    public int rows() {
        return batch * seqLen;
    }

    /** Checks every token id against the vocabulary. */
    public void checkVocab(int vocab) {
        for (int r = 0; r < rows(); r++) {
            if (inputs[r] < 0 || inputs[r] >= vocab || targets[r] < 0 || targets[r] >= vocab)
                throw new PonderException("token id " + Math.max(inputs[r], targets[r]) + " at batch row " + r + " is outside the vocabulary of " + vocab);
        }
    }

    /** Number of positions with non-zero loss weight. */
    public int trainedTokens() {
        int c = 0;
        for (float w : weights) if (w != 0) c++;
        return c;
    }
}
