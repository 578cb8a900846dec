package dev.ponder.learn.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws a loss curve as a standalone SVG: raw per-step loss as a thin light line, an exponential moving average
 * on top, axes with round-number ticks, and an optional evaluation series as dots.
 */
public final class LossCurve {
    private static final int W = 800, H = 450, LEFT = 70, RIGHT = 20, TOP = 40, BOTTOM = 50;

    private LossCurve() {}

    /** Writes the curve of {@code history} (and {@code evals}, {@code [step, loss]} pairs, may be empty). */
    public static void write(List<StepRecord> history, List<double[]> evals, String title, Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Files.writeString(path, svg(history, evals, title), StandardCharsets.UTF_8);
    }

    public static String svg(List<StepRecord> history, List<double[]> evals, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"16\" fill=\"#222\">%s</text>%n", LEFT, escape(title)));
        if (history.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#888\">no steps yet</text>%n", W / 2 - 40, H / 2));
            return sb.append("</svg>\n").toString();
        }
        double x0 = history.get(0).step(), x1 = Math.max(x0 + 1, history.get(history.size() - 1).step());
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (StepRecord r : history) { lo = Math.min(lo, r.loss()); hi = Math.max(hi, r.loss()); }
        for (double[] e : evals) { lo = Math.min(lo, e[1]); hi = Math.max(hi, e[1]); }
        double[] yt = ticks(Math.min(0, lo), hi);
        double y0 = yt[0], y1 = yt[yt.length - 1];
        double[] xt = ticks(x0, x1);
        Axis ax = new Axis(x0, x1, y0, y1);

        // grid and tick labels
        sb.append("<g stroke=\"#e5e5e5\" stroke-width=\"1\">\n");
        for (double y : yt) sb.append(line(LEFT, ax.py(y), W - RIGHT, ax.py(y)));
        for (double x : xt) if (x >= x0 && x <= x1) sb.append(line(ax.px(x), TOP, ax.px(x), H - BOTTOM));
        sb.append("</g>\n<g fill=\"#444\">\n");
        for (double y : yt)
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, ax.py(y) + 4, label(y)));
        for (double x : xt)
            if (x >= x0 && x <= x1)
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", ax.px(x), H - BOTTOM + 18, label(x)));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">step</text>%n", (LEFT + W - RIGHT) / 2, H - 10));
        sb.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">loss</text>%n", (TOP + H - BOTTOM) / 2));
        sb.append("</g>\n");
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));

        // series: raw (thin), smoothed (bold), evals (dots)
        int stride = Math.max(1, history.size() / 2000);
        StringBuilder raw = new StringBuilder(), smooth = new StringBuilder();
        double ema = history.get(0).loss(), alpha = 2.0 / (1 + Math.max(10, Math.min(200, history.size() / 20)));
        for (int i = 0; i < history.size(); i++) {
            StepRecord r = history.get(i);
            ema = i == 0 ? r.loss() : alpha * r.loss() + (1 - alpha) * ema;
            if (i % stride != 0 && i != history.size() - 1) continue;
            raw.append(String.format(Locale.ROOT, "%.1f,%.1f ", ax.px(r.step()), ax.py(r.loss())));
            smooth.append(String.format(Locale.ROOT, "%.1f,%.1f ", ax.px(r.step()), ax.py(ema)));
        }
        sb.append("<polyline fill=\"none\" stroke=\"#9ecae1\" stroke-width=\"1\" points=\"").append(raw.toString().trim()).append("\"/>\n");
        sb.append("<polyline fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\" points=\"").append(smooth.toString().trim()).append("\"/>\n");
        for (double[] e : evals)
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#d94801\"/>%n", ax.px(e[0]), ax.py(e[1])));

        // legend
        int lx = W - RIGHT - 170, ly = TOP + 16;
        sb.append(String.format(Locale.ROOT, "<g font-size=\"11\" fill=\"#333\">%n"));
        sb.append(line(lx, ly - 4, lx + 24, ly - 4).replace("/>", " stroke=\"#9ecae1\"/>"));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">loss per step</text>%n", lx + 30, ly));
        sb.append(line(lx, ly + 12, lx + 24, ly + 12).replace("/>", " stroke=\"#08519c\" stroke-width=\"2\"/>"));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">moving average</text>%n", lx + 30, ly + 16));
        if (!evals.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"#d94801\"/>%n", lx + 12, ly + 28));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">evaluation</text>%n", lx + 30, ly + 32));
        }
        sb.append("</g>\n");
        return sb.append("</svg>\n").toString();
    }

    private record Axis(double x0, double x1, double y0, double y1) {
        double px(double x) {
            return LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT);
        }

        double py(double y) {
            return H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM);
        }
    }

    /** Round-number ticks covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, about 5 of them. */
    static double[] ticks(double lo, double hi) {
        if (!(hi > lo)) hi = lo + 1;
        double raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double start = Math.floor(lo / step) * step, end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = start + i * step;
        return t;
    }

    private static String label(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) return String.format(Locale.ROOT, "%d", (long) Math.rint(v));
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String line(double x1, double y1, double x2, double y2) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n", x1, y1, x2, y2);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
