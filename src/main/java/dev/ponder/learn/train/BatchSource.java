package dev.ponder.learn.train;

/**
 * Supplies training batches. The batch of a step must be a pure function of the step number (and the
 * source's own fixed seed and data), which is what makes resuming from a checkpoint exact.
 */
public interface BatchSource {
    /** The batch for optimizer step {@code step} (0-based). */
    Batch batch(long step);

    /** Sequences per batch. */
    int batchSize();

    /** Positions per sequence. */
    int seqLen();
}
