package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021) on a frozen llama model. Each adapted matrix {@code W[out][in]} gets
 * {@code A[r][in]} (small random values) and {@code B[out][r]} (zeros, so training starts from the base model), and
 * the layer computes {@code y = x·Wᵀ + (alpha/r)·(x·Aᵀ)·Bᵀ}, which is {@code x·(W + (alpha/r)·B·A)ᵀ}. Only A and B
 * are trained; {@link #merged()} folds them into a copy of the base weights, which exports as a plain GGUF.
 */
public final class Lora {
    /** The matrices an adapter can be put on, by llama.cpp tensor name. */
    public enum Target {
        Q("attn_q"), K("attn_k"), V("attn_v"), O("attn_output"), GATE("ffn_gate"), UP("ffn_up"), DOWN("ffn_down");

        /** The tensor name inside a block, without {@code blk.N.} and {@code .weight}. */
        public final String tensor;

        Target(String tensor) {
            this.tensor = tensor;
        }

        /** The short name used on the command line: q, k, v, o, gate, up, down. */
        public String shortName() {
            return name().toLowerCase(Locale.ROOT);
        }

        Param of(LlamaWeights.Layer l) {
            return switch (this) {
                case Q -> l.wq;
                case K -> l.wk;
                case V -> l.wv;
                case O -> l.wo;
                case GATE -> l.w1;
                case UP -> l.w3;
                case DOWN -> l.w2;
            };
        }

        /** Parses a comma-separated list of short names ({@code q,k,v,o,gate,up,down}). */
        public static Set<Target> parse(String list) {
            Set<Target> out = EnumSet.noneOf(Target.class);
            for (String s : list.split(",")) {
                String t = s.strip().toUpperCase(Locale.ROOT);
                if (t.isEmpty()) continue;
                try {
                    out.add(valueOf(t));
                } catch (IllegalArgumentException e) {
                    throw new PonderException("unknown LoRA target '" + s.strip() + "' (use q, k, v, o, gate, up, down)");
                }
            }
            if (out.isEmpty()) throw new PonderException("no LoRA target given (use q, k, v, o, gate, up, down)");
            return out;
        }
    }

    /**
     * What to adapt.
     *
     * @param rank    r, the inner width of every adapter
     * @param alpha   the adapters' output is scaled by {@code alpha / rank}
     * @param targets the matrices of every block that get an adapter
     */
    public record Settings(int rank, float alpha, Set<Target> targets) {
        public Settings {
            if (rank < 1) throw new PonderException("LoRA rank must be at least 1 (got " + rank + ")");
            if (!(alpha > 0)) throw new PonderException("LoRA alpha must be positive (got " + alpha + ")");
            if (targets.isEmpty()) throw new PonderException("LoRA needs at least one target matrix");
            targets = Collections.unmodifiableSet(EnumSet.copyOf(targets));
        }

        /** The alpha used when none is given: twice the rank (an adapter scale of 2). */
        public static float alphaOrDefault(Float alpha, int rank) {
            return alpha != null ? alpha : 2f * rank;
        }

        /** Rank {@code r}, alpha {@code alpha}, adapters on all seven matrices of every block. */
        public static Settings all(int rank, float alpha) {
            return new Settings(rank, alpha, EnumSet.allOf(Target.class));
        }

        /** {@code alpha / rank}. */
        public float scale() {
            return alpha / rank;
        }

        /** The targets as their short names, comma-separated. */
        public String targetList() {
            return String.join(",", targets.stream().map(Target::shortName).toList());
        }
    }

    /** One adapted matrix: the frozen base and its two trainable factors. */
    public static final class Adapter {
        /** The frozen base matrix, {@code [out][in]}. */
        public final Param base;
        /** {@code [r][in]}. */
        public final Param a;
        /** {@code [out][r]}. */
        public final Param b;
        final int in, out, r;
        final float scale;
        /** Saved by forward for backward: {@code scale·x·Aᵀ}, [n][r]. */
        private float[] u = new float[0];
        /** Backward scratch: d loss / d (x·Aᵀ), [n][r]. */
        private float[] du = new float[0];
        /** Forward scratch: {@code Bᵀ}, [r][out]. */
        private final float[] bT;

        Adapter(Param base, int r, float scale) {
            this.base = base;
            this.in = base.cols;
            this.out = base.rows;
            this.r = r;
            this.scale = scale;
            String stem = base.name.replaceFirst("\\.weight$", "");
            a = new Param(stem + ".lora_a", r, in, true);
            b = new Param(stem + ".lora_b", out, r, true);
            bT = new float[r * out];
        }

        /** {@code y[n][out] += scale · (x[n][in]·Aᵀ)·Bᵀ}; keeps {@code scale·x·Aᵀ} for {@link #backward}. */
        void forward(float[] x, float[] y, int n) {
            if (u.length != n * r) {
                u = new float[n * r];
                du = new float[n * r];
            }
            MatMul.forward(x, a.w, u, n, in, r);                 // u[n][r] = x·Aᵀ
            for (int i = 0; i < n * r; i++) u[i] *= scale;       // u = scale·x·Aᵀ
            MatMul.transpose(b.w, bT, out, r);                   // bT[r][out] = Bᵀ
            MatMul.accumulateAB(u, bT, y, n, r, out);            // y += u·Bᵀ
        }

        /**
         * Given {@code dy[n][out]} (d loss / d y) and the forward input {@code x[n][in]}: {@code dB += dyᵀ·u},
         * {@code dA += scale·(dy·B)ᵀ·x}, {@code dx += scale·(dy·B)·A}. The base matrix gets no gradient.
         */
        void backward(float[] dy, float[] x, float[] dx, int n) {
            MatMul.backwardWeight(dy, u, b.g, n, r, out);        // dB[out][r] += dyᵀ·u
            java.util.Arrays.fill(du, 0f);
            MatMul.backwardInput(dy, b.w, du, n, r, out);        // du[n][r] = dy·B
            for (int i = 0; i < n * r; i++) du[i] *= scale;      // d loss / d (x·Aᵀ)
            MatMul.backwardWeight(du, x, a.g, n, in, r);         // dA[r][in] += duᵀ·x
            MatMul.backwardInput(du, a.w, dx, n, in, r);         // dx[n][in] += du·A
        }

        /** {@code w[out][in] += scale·B·A}, summed in double and rounded once per element. */
        void mergeInto(float[] w) {
            double[] row = new double[in];
            for (int o = 0; o < out; o++) {
                java.util.Arrays.fill(row, 0);
                for (int k = 0; k < r; k++) {
                    double bk = b.w[o * r + k];
                    if (bk == 0) continue;
                    for (int i = 0; i < in; i++) row[i] += bk * a.w[k * in + i];
                }
                for (int i = 0; i < in; i++) w[o * in + i] = (float) (w[o * in + i] + scale * row[i]);
            }
        }
    }

    private final LlamaWeights base;
    private final Settings settings;
    /** byLayer[layer][target.ordinal()]: the adapter, or null where the matrix is not adapted. */
    private final Adapter[][] byLayer;
    private final List<Param> params;

    /**
     * Adapters on {@code base} as {@code settings} says: every A drawn from N(0, 1/in) with {@code seed}, every B zero,
     * so the adapted model computes exactly what {@code base} does until B is trained.
     */
    public Lora(LlamaWeights base, Settings settings, long seed) {
        this.base = base;
        this.settings = settings;
        LlamaConfig c = base.config;
        byLayer = new Adapter[c.layers()][Target.values().length];
        List<Param> ps = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int l = 0; l < c.layers(); l++) {
            for (Target t : Target.values()) {
                if (!settings.targets().contains(t)) continue;
                Adapter ad = new Adapter(t.of(base.layers[l]), settings.rank(), settings.scale());
                double std = 1 / Math.sqrt(ad.in);
                for (int i = 0; i < ad.a.w.length; i++) ad.a.w[i] = (float) (LlamaWeights.gaussian(rnd) * std);
                byLayer[l][t.ordinal()] = ad;
                ps.add(ad.a);
                ps.add(ad.b);
            }
        }
        params = Collections.unmodifiableList(ps);
    }

    public Settings settings() {
        return settings;
    }

    /** The frozen base weights. */
    public LlamaWeights base() {
        return base;
    }

    /** The adapter on {@code target} of block {@code layer}, or null. */
    public Adapter adapter(int layer, Target target) {
        return byLayer[layer][target.ordinal()];
    }

    /** The trainable parameters: A and B of every adapter, block by block, in {@link Target} order. */
    public List<Param> params() {
        return params;
    }

    /** Number of trainable parameters. */
    public long parameterCount() {
        long n = 0;
        for (Param p : params) n += p.size();
        return n;
    }

    /** A copy of the base weights with every adapter folded in: {@code W + (alpha/r)·B·A}. The base is not changed. */
    public LlamaWeights merged() {
        LlamaWeights m = new LlamaWeights(base.config);
        for (int i = 0; i < m.params().size(); i++) System.arraycopy(base.params().get(i).w, 0, m.params().get(i).w, 0, base.params().get(i).size());
        for (int l = 0; l < byLayer.length; l++)
            for (Target t : Target.values()) {
                Adapter ad = byLayer[l][t.ordinal()];
                if (ad != null) ad.mergeInto(t.of(m.layers[l]).w);
            }
        return m;
    }
}
