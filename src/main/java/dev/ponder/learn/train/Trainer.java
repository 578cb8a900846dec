package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The training loop: forward, backward, global-norm clipping, AdamW with warm-up + cosine learning rate.
 * All state that influences later steps (weights, moments, step count) lives in {@link Checkpoint}; together
 * with step-determined batches ({@link BatchSource}) and thread-count-independent kernels this makes a resumed
 * run produce exactly the numbers an uninterrupted run would. With {@link Lora} adapters only the adapters are
 * trained (the optimizer holds moments for them alone) and {@link #exportWeights()} merges them into the base.
 */
public final class Trainer {
    private final LlamaWeights weights;
    private final LlamaModel model;
    /** Adapters, or null: every weight is trained. */
    private final Lora lora;
    /** What the optimizer updates: every weight, or the adapters. */
    private final List<Param> trainable;
    private final TrainConfig config;
    private final LrSchedule schedule;
    final AdamW optimizer;
    private final List<StepRecord> history = new ArrayList<>();
    /** Training time so far, including time before a resume (for the ETA). */
    long priorNanos;
    /** Seed of the data order and a fingerprint of the data, recorded so a resume can check it sees the same data. */
    private long dataSeed, dataFingerprint;

    /** Trains every weight. */
    public Trainer(LlamaWeights weights, TrainConfig config) {
        this(weights, config, null);
    }

    /** Trains {@code lora}'s adapters on the frozen {@code weights}, or every weight when {@code lora} is null. */
    public Trainer(LlamaWeights weights, TrainConfig config, Lora lora) {
        this.weights = weights;
        this.lora = lora;
        this.model = new LlamaModel(weights, lora);
        this.config = config;
        this.schedule = config.schedule();
        this.trainable = lora == null ? weights.params() : lora.params();
        this.optimizer = new AdamW(trainable, config.beta1(), config.beta2(), config.eps(), config.weightDecay());
    }

    /** The adapters being trained, or null for full training. */
    public Lora lora() {
        return lora;
    }

    /** The parameters the optimizer updates (every weight, or the adapters' A and B). */
    public List<Param> trainable() {
        return trainable;
    }

    /** The weights to export: the trained weights, or with adapters a copy of the base with the adapters merged in. */
    public LlamaWeights exportWeights() {
        return lora == null ? weights : lora.merged();
    }

    /** Records the data identity stored in checkpoints (see {@link #dataSeed()}, {@link #dataFingerprint()}). */
    public Trainer data(long seed, long fingerprint) {
        this.dataSeed = seed;
        this.dataFingerprint = fingerprint;
        return this;
    }

    public long dataSeed() {
        return dataSeed;
    }

    public long dataFingerprint() {
        return dataFingerprint;
    }

    /** A 64-bit fingerprint of a token array (FNV-1a over the ids). */
    public static long fingerprint(int[] tokens) {
        long h = 0xcbf29ce484222325L;
        for (int t : tokens) {
            h ^= t;
            h *= 0x100000001b3L;
        }
        return h ^ tokens.length;
    }

    public LlamaWeights weights() {
        return weights;
    }

    public LlamaModel model() {
        return model;
    }

    public TrainConfig config() {
        return config;
    }

    /** Steps completed (the number of the next step). */
    public long step() {
        return optimizer.steps();
    }

    /** Every step done so far, including those before a resume. */
    public List<StepRecord> history() {
        return Collections.unmodifiableList(history);
    }

    void restoreHistory(List<StepRecord> h, long nanos) {
        history.clear();
        history.addAll(h);
        priorNanos = nanos;
    }

    /**
     * Runs one optimizer step on batch {@code step()} of {@code data} (or, with gradient accumulation, on the
     * {@code accumulate} batches {@code step()·accumulate ..}, averaging their losses and gradients).
     */
    public StepRecord step(BatchSource data) {
        long start = System.nanoTime();
        long s = optimizer.steps();
        int micro = config.accumulate();
        for (Param p : trainable) p.zeroGrad();
        double loss = 0;
        int tokens = 0;
        for (int m = 0; m < micro; m++) {
            Batch b = data.batch(s * micro + m);
            double l = model.forward(b);
            if (!Double.isFinite(l)) throw new PonderException("training diverged at step " + s + " (loss " + l + "); try a lower learning rate");
            model.backward();
            loss += l / micro;
            tokens += b.trainedTokens();
        }
        if (micro > 1) for (Param p : trainable) for (int i = 0; i < p.g.length; i++) p.g[i] /= micro;
        double norm = AdamW.clipGlobalNorm(trainable, config.gradClip());
        float lr = schedule.at(s);
        optimizer.step(lr);
        StepRecord r = new StepRecord(s, loss, lr, norm, tokens, System.nanoTime() - start);
        history.add(r);
        priorNanos += r.nanos();
        return r;
    }

    /** Mean loss over {@code batches} batches of {@code data} (steps 0..batches-1), without training. */
    public double evaluate(BatchSource data, int batches) {
        double sum = 0;
        for (int i = 0; i < batches; i++) sum += model.forward(data.batch(i));
        return sum / batches;
    }

    /**
     * Trains until {@link TrainConfig#steps()} steps are done, saving a checkpoint every {@code checkpointEvery}
     * steps (and at the end) when {@code checkpoint} is non-null, showing a progress bar with loss, tokens/s and
     * ETA when {@code progress} is true, and passing each step to {@code onStep} (may be null).
     */
    public void run(BatchSource data, Path checkpoint, int checkpointEvery, boolean progress, Consumer<StepRecord> onStep) throws IOException {
        ProgressBar bar = progress ? new ProgressBarBuilder().setTaskName("train").setInitialMax(config.steps())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setMaxRenderedLength(120)
                .startsFrom(step(), Duration.ofNanos(priorNanos)).build() : null;
        try {
            double smooth = Double.NaN;
            while (step() < config.steps()) {
                StepRecord r = step(data);
                smooth = Double.isNaN(smooth) ? r.loss() : 0.9 * smooth + 0.1 * r.loss();
                if (bar != null) {
                    bar.stepTo(step());
                    bar.setExtraMessage(String.format("loss %.4f  %,.0f tok/s", smooth, r.tokensPerSecond()));
                }
                if (onStep != null) onStep.accept(r);
                boolean last = step() == config.steps();
                if (checkpoint != null && (last || (checkpointEvery > 0 && step() % checkpointEvery == 0))) Checkpoint.save(this, checkpoint);
            }
        } finally {
            if (bar != null) bar.close();
        }
    }

    long trainingNanos() {
        return priorNanos;
    }
}
