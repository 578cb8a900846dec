package dev.ponder.learn.train;

/**
 * Double-precision forward passes written as plainly as possible, independent of the float code under test.
 * Finite differences of these give the "true" gradients the hand-written float backward passes are checked
 * against.
 */
final class RefOps {
    private RefOps() {}

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** y[n][out] = x[n][in]·w[out][in]ᵀ */
    static double[] matmul(double[] x, double[] w, int n, int in, int out) {
        double[] y = new double[n * out];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < out; c++) {
                double s = 0;
                for (int i = 0; i < in; i++) s += x[r * in + i] * w[c * in + i];
                y[r * out + c] = s;
            }
        return y;
    }

    static double[] rmsnorm(double[] x, double[] w, int n, int dim, double eps) {
        double[] y = new double[n * dim];
        for (int r = 0; r < n; r++) {
            double ss = 0;
            for (int i = 0; i < dim; i++) ss += x[r * dim + i] * x[r * dim + i];
            double inv = 1 / Math.sqrt(ss / dim + eps);
            for (int i = 0; i < dim; i++) y[r * dim + i] = x[r * dim + i] * inv * w[i];
        }
        return y;
    }

    /** llama.cpp "normal" RoPE: pairs (2i, 2i+1), angle pos·base^(−2i/hd), pos = row % seqLen. */
    static double[] rope(double[] x, int n, int seqLen, int heads, int hd, double base) {
        double[] y = x.clone();
        for (int r = 0; r < n; r++) {
            int pos = r % seqLen;
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < hd / 2; i++) {
                    double angle = pos * Math.pow(base, -2.0 * i / hd);
                    int o = r * heads * hd + h * hd + 2 * i;
                    double a = x[o], b = x[o + 1];
                    y[o] = a * Math.cos(angle) - b * Math.sin(angle);
                    y[o + 1] = a * Math.sin(angle) + b * Math.cos(angle);
                }
        }
        return y;
    }

    static double[] attention(double[] q, double[] k, double[] v, int batch, int seqLen, int heads, int kvHeads, int hd) {
        double[] out = new double[batch * seqLen * heads * hd];
        double scale = 1 / Math.sqrt(hd);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++) {
                int kh = h / (heads / kvHeads);
                for (int t = 0; t < seqLen; t++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        double d = 0;
                        for (int i = 0; i < hd; i++)
                            d += q[(b * seqLen + t) * heads * hd + h * hd + i] * k[(b * seqLen + j) * kvHeads * hd + kh * hd + i];
                        s[j] = d * scale;
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) sum += s[j] = Math.exp(s[j] - max);
                    for (int j = 0; j <= t; j++)
                        for (int i = 0; i < hd; i++)
                            out[(b * seqLen + t) * heads * hd + h * hd + i] += s[j] / sum * v[(b * seqLen + j) * kvHeads * hd + kh * hd + i];
                }
            }
        return out;
    }

    static double[] swiglu(double[] g, double[] u) {
        double[] h = new double[g.length];
        for (int i = 0; i < g.length; i++) h[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
        return h;
    }

    static double crossEntropy(double[] logits, int[] targets, float[] weights, int n, int vocab) {
        double total = 0, wsum = 0;
        for (int r = 0; r < n; r++) {
            if (weights[r] == 0) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < vocab; i++) max = Math.max(max, logits[r * vocab + i]);
            double s = 0;
            for (int i = 0; i < vocab; i++) s += Math.exp(logits[r * vocab + i] - max);
            total += weights[r] * (max + Math.log(s) - logits[r * vocab + targets[r]]);
            wsum += weights[r];
        }
        return wsum == 0 ? 0 : total / wsum;
    }

    static double[] add(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) c[i] = a[i] + b[i];
        return c;
    }

    /** The whole model's loss in double precision; {@code p} maps llama.cpp tensor names to values. */
    static double modelLoss(LlamaConfig c, java.util.Map<String, double[]> p, Batch batch) {
        int n = batch.rows(), dim = c.dim(), hd = c.headDim(), kv = c.kvDim();
        double[] emb = p.get("token_embd.weight");
        double[] x = new double[n * dim];
        for (int r = 0; r < n; r++) System.arraycopy(emb, batch.inputs()[r] * dim, x, r * dim, dim);
        for (int l = 0; l < c.layers(); l++) {
            String b = "blk." + l + ".";
            double[] xn = rmsnorm(x, p.get(b + "attn_norm.weight"), n, dim, c.rmsEps());
            double[] q = rope(matmul(xn, p.get(b + "attn_q.weight"), n, dim, dim), n, batch.seqLen(), c.heads(), hd, c.ropeBase());
            double[] k = rope(matmul(xn, p.get(b + "attn_k.weight"), n, dim, kv), n, batch.seqLen(), c.kvHeads(), hd, c.ropeBase());
            double[] v = matmul(xn, p.get(b + "attn_v.weight"), n, dim, kv);
            double[] att = attention(q, k, v, batch.batch(), batch.seqLen(), c.heads(), c.kvHeads(), hd);
            x = add(x, matmul(att, p.get(b + "attn_output.weight"), n, dim, dim));
            xn = rmsnorm(x, p.get(b + "ffn_norm.weight"), n, dim, c.rmsEps());
            double[] h = swiglu(matmul(xn, p.get(b + "ffn_gate.weight"), n, dim, c.ffnDim()), matmul(xn, p.get(b + "ffn_up.weight"), n, dim, c.ffnDim()));
            x = add(x, matmul(h, p.get(b + "ffn_down.weight"), n, c.ffnDim(), dim));
        }
        double[] xn = rmsnorm(x, p.get("output_norm.weight"), n, dim, c.rmsEps());
        double[] out = p.getOrDefault("output.weight", emb);
        return crossEntropy(matmul(xn, out, n, dim, c.vocab()), batch.targets(), batch.weights(), n, c.vocab());
    }
}
