package dev.ponder.learn.train;

/**
 * Learning rate by step: linear warm-up from {@code max/warmup} to {@code max} over the first {@code warmup}
 * steps, then cosine decay from {@code max} to {@code min} at the last step.
 */
public record LrSchedule(float max, float min, int warmup, int total) {
    public LrSchedule {
        if (warmup < 0 || total <= 0) throw new IllegalArgumentException("warmup >= 0 and total > 0 required");
    }

    /** Learning rate of step {@code step} (0-based). */
    public float at(long step) {
        if (step < warmup) return max * (step + 1) / warmup;
        int decaySteps = total - 1 - warmup;
        if (decaySteps <= 0) return max;
        double progress = Math.min(1.0, (double) (step - warmup) / decaySteps);
        return (float) (min + 0.5 * (max - min) * (1 + Math.cos(Math.PI * progress)));
    }
}
