/**
 * A pure-Java trainer for the llama architecture, every derivative written by hand.
 *
 * <p>Pieces, in the order data flows through them:
 * <ul>
 *   <li>{@link dev.ponder.learn.train.BatchSource}: {@link dev.ponder.learn.train.TokenStream} (packed
 *       pre-training windows) and {@link dev.ponder.learn.train.ExampleSet} (one example per row, with a loss mask
 *       such as answer-only); batch {@code i} is a pure function of {@code i}.</li>
 *   <li>{@link dev.ponder.learn.train.LlamaConfig}, {@link dev.ponder.learn.train.LlamaWeights} (llama.cpp tensor
 *       names, {@code W[out][in]} row-major) and {@link dev.ponder.learn.train.LlamaModel} (forward + backward).</li>
 *   <li>Kernels: {@link dev.ponder.learn.train.MatMul} (Vector API, register-tiled, threaded; plain reference
 *       {@link dev.ponder.learn.train.MatMulPlain}), {@link dev.ponder.learn.train.Attention} (reference
 *       {@link dev.ponder.learn.train.AttentionPlain}), {@link dev.ponder.learn.train.Ops} (embedding, RMSNorm,
 *       RoPE, SwiGLU, cross-entropy), {@link dev.ponder.learn.train.VecMath} (exp).</li>
 *   <li>{@link dev.ponder.learn.train.Trainer}: AdamW, warm-up + cosine ({@link dev.ponder.learn.train.LrSchedule}),
 *       global-norm clipping, gradient accumulation, progress bar; {@link dev.ponder.learn.train.Checkpoint}
 *       for exact resume; {@link dev.ponder.learn.train.LossCurve} for the SVG plot.</li>
 *   <li>{@link dev.ponder.learn.train.LlamaGguf}: GGUF export (F32 / Q8_0) that llama.cpp and Ponder's engine run
 *       identically, and F32 import for fine-tuning.</li>
 * </ul>
 *
 * <p>Determinism: every kernel accumulates each output in a fixed order with lane-wise IEEE operations only (no
 * horizontal vector reductions, no intrinsic transcendental functions), so results do not depend on the thread
 * count or on which JIT tier runs the code; together with step-determined batches this makes resuming from a
 * checkpoint bit-exact.
 */
package dev.ponder.learn.train;
