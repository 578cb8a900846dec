package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;

/**
 * Optimisation settings.
 *
 * @param steps       total optimizer steps (the cosine schedule ends here)
 * @param maxLr       peak learning rate, reached at the end of warm-up
 * @param minLr       learning rate at the last step
 * @param warmup      linear warm-up steps
 * @param weightDecay decoupled AdamW weight decay (matrices only)
 * @param beta1       Adam first-moment decay
 * @param beta2       Adam second-moment decay
 * @param eps         Adam epsilon
 * @param gradClip    maximum global gradient norm (0 disables clipping)
 */
public record TrainConfig(int steps, float maxLr, float minLr, int warmup, float weightDecay, float beta1, float beta2,
                          float eps, float gradClip) {
    public TrainConfig {
        if (steps <= 0) throw new PonderException("steps must be positive");
        if (!(maxLr > 0) || minLr < 0 || minLr > maxLr) throw new PonderException("need 0 <= min lr <= max lr and max lr > 0");
        if (warmup < 0 || weightDecay < 0 || gradClip < 0) throw new PonderException("warmup, weight decay and clip must not be negative");
    }

    /** Common defaults: lr 1e-3 → 1e-4, 10% warm-up, wd 0.1, betas (0.9, 0.95), eps 1e-8, clip 1.0. */
    public static TrainConfig defaults(int steps) {
        return new TrainConfig(steps, 1e-3f, 1e-4f, Math.max(1, steps / 10), 0.1f, 0.9f, 0.95f, 1e-8f, 1f);
    }

    public TrainConfig withLr(float max, float min) {
        return new TrainConfig(steps, max, min, warmup, weightDecay, beta1, beta2, eps, gradClip);
    }

    public TrainConfig withWarmup(int w) {
        return new TrainConfig(steps, maxLr, minLr, w, weightDecay, beta1, beta2, eps, gradClip);
    }

    public TrainConfig withWeightDecay(float wd) {
        return new TrainConfig(steps, maxLr, minLr, warmup, wd, beta1, beta2, eps, gradClip);
    }

    public TrainConfig withSteps(int s) {
        return new TrainConfig(s, maxLr, minLr, warmup, weightDecay, beta1, beta2, eps, gradClip);
    }

    public LrSchedule schedule() {
        return new LrSchedule(maxLr, minLr, warmup, steps);
    }
}
