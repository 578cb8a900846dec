/**
 * Weight matrices in ggml's storage formats and the kernels that multiply them with activations.
 *
 * <h2>Formats</h2>
 * One class per format, each holding a plain scalar reference ({@code dotReference},
 * {@code dequantizeRow}) next to its Vector API kernels ({@code dot}, {@code dotBatch}):
 * <pre>
 *   F32   4 bytes/value          F16, BF16  2 bytes/value
 *   Q8_0  32 values / 34 bytes   f16 d, 32 x int8                           value = q*d
 *   Q4_0  32 values / 18 bytes   f16 d, 16 bytes of nibbles                 value = (q-8)*d
 *   Q4_K  256 values / 144 bytes f16 d, f16 dmin, 12 bytes of 6-bit scales/mins, 128 bytes of nibbles
 *   Q6_K  256 values / 210 bytes 128 bytes low nibbles, 64 bytes high bits, 16 int8 scales, f16 d
 * </pre>
 * {@link dev.ponder.engine.tensor.Quantizer} writes all of them.
 *
 * <h2>How the kernels are made fast</h2>
 * <ul>
 *   <li>Quants are widened straight to float lanes and multiplied into the float activations, so no
 *       activation quantization is needed. The Vector API has no integer dot-product instruction
 *       (x86 {@code vpmaddubsw}/{@code vpdpbusd}), and without one the integer route takes more
 *       instructions per value than the float route.</li>
 *   <li>Every kernel class keeps its vector species in {@code static final} fields, the only way
 *       the JIT sees them as constants. Other widths get a hidden copy of the class
 *       ({@link dev.ponder.engine.tensor.VectorWidth}), which is how tests run each kernel at 128, 256
 *       and 512 bits in one JVM.</li>
 *   <li>Each format has its own row loop, reached through a method handle that the JIT cannot inline,
 *       so kernels of different formats are never compiled into one method (which exhausts the
 *       inliner's budget and boxes every vector).</li>
 *   <li>Kernel bodies stay small (flat loops, shared helpers) for the same reason; two to four
 *       independent accumulators hide FMA latency.</li>
 *   <li>{@link dev.ponder.engine.tensor.WeightMatrix#matmul} decodes each block once for four
 *       inputs; {@link dev.ponder.engine.tensor.Parallel} hands out row chunks to threads.</li>
 * </ul>
 */
package dev.ponder.engine.tensor;
