package dev.ponder.learn.train;

/**
 * Supplies training batches. The batch of a step must be a pure function of the step number (and the
 * source's own fixed seed and data), which is what makes resuming from a checkpoint exact.
 */
public interface BatchSource {
    /**
     * Batch number {@code index} (0-based): the batch of optimizer step {@code index}, or with gradient
     * accumulation micro-batch {@code index} (see {@link TrainConfig#accumulate()}).
     */
    Batch batch(long index);

    /** Sequences per batch. */
    int batchSize();

    /** Positions per sequence. */
    int seqLen();
}
