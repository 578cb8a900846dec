package dev.ponder.learn.train;

/**
 * What one optimizer step did.
 *
 * @param step     0-based step number
 * @param loss     mean training loss of the step's batch (before the update)
 * @param lr       learning rate used
 * @param gradNorm global gradient norm before clipping
 * @param tokens   trained (non-zero weight) positions in the batch
 * @param nanos    wall time of forward, backward and update
 */
public record StepRecord(long step, double loss, float lr, double gradNorm, int tokens, long nanos) {
    public double tokensPerSecond() {
        return nanos == 0 ? 0 : tokens * 1e9 / nanos;
    }
}
