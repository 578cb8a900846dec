package dev.ponder.eval;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A small, dependency-free SVG plot: one frame with round-number ticks, axis labels, a title, and any number of
 * named series drawn as lines, dashed lines, points or grouped bars, with a legend to the right of the frame.
 * The output is deterministic: numbers are formatted with {@link Locale#ROOT} to one decimal of a pixel, and
 * nothing depends on time or hash order.
 *
 * <pre>{@code
 * new SvgPlot("Loss", "step", "loss").add("train", steps, losses, SvgPlot.Style.LINE).write(path);
 * }</pre>
 *
 * NaN values are skipped (a line breaks at them); data outside a fixed axis range is clipped to the frame.
 */
public final class SvgPlot {
    /** How a series is drawn. */
    public enum Style { LINE, DASHED, POINTS, LINE_POINTS, BARS }

    /** One named series: {@code x[i], y[i]} pairs (same length), its style and its colour ({@code #rrggbb}). */
    public record Series(String name, double[] x, double[] y, Style style, String color) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
        }
    }

    /** Colours given to series in the order they are added (a colour-blind-friendly set). */
    static final String[] PALETTE = {"#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#000000"};
    static final String REFERENCE_COLOR = "#999999";
    /** Risk–coverage curves with more points than this are drawn as plain lines (markers would only clutter). */
    public static final int MAX_MARKED_POINTS = 40;
    private static final int W = 800, H = 450, LEFT = 70, RIGHT = 210, TOP = 40, BOTTOM = 50;
    private static final int PW = W - LEFT - RIGHT, PH = H - TOP - BOTTOM; // frame size in pixels

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private double xLo = Double.NaN, xHi = Double.NaN, yLo = Double.NaN, yHi = Double.NaN;
    private int colored;

    /** An empty plot with a title and axis labels. */
    public SvgPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Fixes the x axis to {@code [lo, hi]} (otherwise it spans the data, widened to round ticks). */
    public SvgPlot xRange(double lo, double hi) {
        if (!(hi > lo)) throw new IllegalArgumentException("empty x range [" + lo + ", " + hi + "]");
        xLo = lo;
        xHi = hi;
        return this;
    }

    /** Fixes the y axis to {@code [lo, hi]} (otherwise it spans the data, widened to round ticks). */
    public SvgPlot yRange(double lo, double hi) {
        if (!(hi > lo)) throw new IllegalArgumentException("empty y range [" + lo + ", " + hi + "]");
        yLo = lo;
        yHi = hi;
        return this;
    }

    /** Adds a series in the next palette colour. */
    public SvgPlot add(String name, double[] x, double[] y, Style style) {
        series.add(new Series(name, x.clone(), y.clone(), style, PALETTE[colored++ % PALETTE.length]));
        return this;
    }

    /** Adds a grey dashed reference line (a diagonal, a baseline) that takes no palette colour. */
    public SvgPlot addReference(String name, double[] x, double[] y) {
        series.add(new Series(name, x.clone(), y.clone(), Style.DASHED, REFERENCE_COLOR));
        return this;
    }

    /** The series added so far, in order. */
    public List<Series> series() {
        return List.copyOf(series);
    }

    /** Writes {@link #render()} to {@code path}, creating its directory. */
    public void write(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Files.writeString(path, render(), StandardCharsets.UTF_8);
    }

    // ---- ready-made plots -----------------------------------------------------------------------------

    /**
     * Reliability diagram: for each method, bars of accuracy per confidence bin (empty bins left out, bars of
     * several methods side by side within a bin), and the diagonal a perfectly calibrated method would follow.
     * All methods should use the same bins.
     */
    public static SvgPlot reliabilityDiagram(String title, Map<String, List<Metrics.Bin>> byMethod) {
        SvgPlot p = new SvgPlot(title, "confidence", "accuracy").xRange(0, 1).yRange(0, 1);
        for (var e : byMethod.entrySet()) {
            List<Metrics.Bin> bins = e.getValue();
            double[] x = new double[bins.size()], y = new double[bins.size()];
            for (int i = 0; i < bins.size(); i++) {
                Metrics.Bin b = bins.get(i);
                x[i] = (b.lo() + b.hi()) / 2;
                y[i] = b.count() == 0 ? Double.NaN : b.accuracy();
            }
            p.add(e.getKey(), x, y, Style.BARS);
        }
        return p.addReference("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
    }

    /**
     * Risk–coverage curves, one per method: error rate among the answered questions against the fraction
     * answered, most confident first. The risk axis starts at 0 and ends at a round value at or above the
     * highest risk (at most 1). Curves of up to {@value #MAX_MARKED_POINTS} points mark each point.
     */
    public static SvgPlot riskCoverage(String title, Map<String, List<Metrics.Point>> byMethod) {
        double top = 0;
        for (List<Metrics.Point> pts : byMethod.values()) for (Metrics.Point q : pts) top = Math.max(top, q.risk());
        double[] t = ticks(0, top > 0 ? top : 1);
        SvgPlot p = new SvgPlot(title, "coverage", "risk").xRange(0, 1).yRange(0, Math.min(1, t[t.length - 1]));
        for (var e : byMethod.entrySet()) {
            List<Metrics.Point> pts = e.getValue();
            double[] x = new double[pts.size()], y = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                x[i] = pts.get(i).coverage();
                y[i] = pts.get(i).risk();
            }
            p.add(e.getKey(), x, y, pts.size() <= MAX_MARKED_POINTS ? Style.LINE_POINTS : Style.LINE);
        }
        return p;
    }

    // ---- rendering ------------------------------------------------------------------------------------

    /** The plot as a standalone SVG document. */
    public String render() {
        double barStep = barStep();
        double[] xr = range(true, barStep), yr = range(false, barStep);
        Frame f = new Frame(xr[0], xr[1], yr[0], yr[1]);
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H
                + "\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append("<text x=\"" + LEFT + "\" y=\"24\" font-size=\"16\" fill=\"#222\">").append(escape(title)).append("</text>\n");
        sb.append("<defs><clipPath id=\"frame\"><rect x=\"" + LEFT + "\" y=\"" + TOP + "\" width=\"" + PW + "\" height=\"" + PH
                + "\"/></clipPath></defs>\n");
        axes(sb, f, xr[2] == 1, yr[2] == 1);
        sb.append("<g clip-path=\"url(#frame)\">\n");
        int bars = (int) series.stream().filter(s -> s.style() == Style.BARS).count(), bar = 0;
        for (Series s : series) {
            if (s.style() == Style.BARS) bars(sb, f, s, barStep, bar++, bars);
            else draw(sb, f, s);
        }
        if (series.stream().noneMatch(s -> finitePoints(s) > 0))
            sb.append("<text x=\"" + (LEFT + PW / 2) + "\" y=\"" + (TOP + PH / 2) + "\" text-anchor=\"middle\" fill=\"#888\">no data</text>\n");
        sb.append("</g>\n");
        legend(sb);
        return sb.append("</svg>\n").toString();
    }

    /** Maps data coordinates to pixels inside the frame. */
    private record Frame(double x0, double x1, double y0, double y1) {
        double px(double x) {
            return LEFT + (x - x0) / (x1 - x0) * PW;
        }

        double py(double y) {
            return TOP + PH - (y - y0) / (y1 - y0) * PH;
        }
    }

    /** {@code [lo, hi, fixed]} of one axis: the fixed range, or the data range widened to round ticks (bars include 0). */
    private double[] range(boolean isX, double barStep) {
        double lo = isX ? xLo : yLo, hi = isX ? xHi : yHi;
        if (!Double.isNaN(lo)) return new double[] {lo, hi, 1};
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) continue;
                double v = isX ? s.x()[i] : s.y()[i];
                if (s.style() == Style.BARS && isX) {
                    min = Math.min(min, v - barStep / 2);
                    max = Math.max(max, v + barStep / 2);
                } else {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                if (s.style() == Style.BARS && !isX) {
                    min = Math.min(min, 0);
                    max = Math.max(max, 0);
                }
            }
        if (min > max) return new double[] {0, 1, 0};
        double[] t = ticks(min, max);
        return new double[] {t[0], t[t.length - 1], 0};
    }

    /** Spacing of bar slots: the smallest gap between distinct x values of the bar series (1 if there is none). */
    private double barStep() {
        TreeSet<Double> xs = new TreeSet<>();
        for (Series s : series)
            if (s.style() == Style.BARS) for (double x : s.x()) if (Double.isFinite(x)) xs.add(x);
        double step = Double.POSITIVE_INFINITY;
        Double prev = null;
        for (double x : xs) {
            if (prev != null) step = Math.min(step, x - prev);
            prev = x;
        }
        return Double.isFinite(step) ? step : 1;
    }

    private void axes(StringBuilder sb, Frame f, boolean xFixed, boolean yFixed) {
        double[] xt = ticks(f.x0(), f.x1()), yt = ticks(f.y0(), f.y1());
        sb.append("<g stroke=\"#e5e5e5\" stroke-width=\"1\">\n");
        for (double y : yt) if (inside(y, f.y0(), f.y1())) sb.append(line(LEFT, f.py(y), LEFT + PW, f.py(y)));
        for (double x : xt) if (inside(x, f.x0(), f.x1())) sb.append(line(f.px(x), TOP, f.px(x), TOP + PH));
        sb.append("</g>\n<g fill=\"#444\">\n");
        for (double y : yt)
            if (inside(y, f.y0(), f.y1()))
                sb.append("<text x=\"" + (LEFT - 6) + "\" y=\"" + num(f.py(y) + 4) + "\" text-anchor=\"end\">" + label(y) + "</text>\n");
        for (double x : xt)
            if (inside(x, f.x0(), f.x1()))
                sb.append("<text x=\"" + num(f.px(x)) + "\" y=\"" + (TOP + PH + 18) + "\" text-anchor=\"middle\">" + label(x) + "</text>\n");
        sb.append("<text x=\"" + (LEFT + PW / 2) + "\" y=\"" + (H - 10) + "\" text-anchor=\"middle\">" + escape(xLabel) + "</text>\n");
        sb.append("<text transform=\"translate(18 " + (TOP + PH / 2) + ") rotate(-90)\" text-anchor=\"middle\">" + escape(yLabel) + "</text>\n");
        sb.append("</g>\n");
        sb.append("<rect x=\"" + LEFT + "\" y=\"" + TOP + "\" width=\"" + PW + "\" height=\"" + PH + "\" fill=\"none\" stroke=\"#888\"/>\n");
    }

    private static boolean inside(double v, double lo, double hi) {
        double eps = (hi - lo) * 1e-9;
        return v >= lo - eps && v <= hi + eps;
    }

    /** Lines break at NaN; points are drawn for every finite pair. */
    private static void draw(StringBuilder sb, Frame f, Series s) {
        boolean line = s.style() != Style.POINTS, dots = s.style() == Style.POINTS || s.style() == Style.LINE_POINTS;
        String stroke = " stroke=\"" + s.color() + "\" stroke-width=\"2\"" + (s.style() == Style.DASHED ? " stroke-dasharray=\"6 4\"" : "");
        if (line) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i <= s.x().length; i++) {
                boolean ok = i < s.x().length && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]);
                if (ok) pts.append(pts.isEmpty() ? "" : " ").append(num(f.px(s.x()[i]))).append(',').append(num(f.py(s.y()[i])));
                else if (!pts.isEmpty()) {
                    sb.append("<polyline fill=\"none\"" + stroke + " points=\"").append(pts).append("\"/>\n");
                    pts.setLength(0);
                }
            }
        }
        if (dots)
            for (int i = 0; i < s.x().length; i++)
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]))
                    sb.append("<circle cx=\"" + num(f.px(s.x()[i])) + "\" cy=\"" + num(f.py(s.y()[i])) + "\" r=\"3\" fill=\"" + s.color() + "\"/>\n");
    }

    /** Bar {@code index} of {@code count} bar series: 80% of each slot is shared side by side among the series. */
    private static void bars(StringBuilder sb, Frame f, Series s, double step, int index, int count) {
        double group = 0.8 * step, width = group / count;
        double base = Math.max(f.y0(), Math.min(f.y1(), 0));
        for (int i = 0; i < s.x().length; i++) {
            double x = s.x()[i], y = s.y()[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
            double left = f.px(x - group / 2 + index * width), right = f.px(x - group / 2 + (index + 1) * width);
            double top = Math.min(f.py(y), f.py(base)), bottom = Math.max(f.py(y), f.py(base));
            sb.append("<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(right - left) + "\" height=\"" + num(bottom - top)
                    + "\" fill=\"" + s.color() + "\" fill-opacity=\"0.8\"><title>" + escape(s.name()) + ": " + label(x) + " → " + label(y)
                    + "</title></rect>\n");
        }
    }

    private void legend(StringBuilder sb) {
        int lx = LEFT + PW + 16, ly = TOP + 8;
        sb.append("<g font-size=\"11\" fill=\"#333\">\n");
        for (Series s : series) {
            int cy = ly + 6;
            switch (s.style()) {
                case BARS -> sb.append("<rect x=\"" + lx + "\" y=\"" + (cy - 5) + "\" width=\"20\" height=\"10\" fill=\"" + s.color() + "\" fill-opacity=\"0.8\"/>\n");
                case POINTS -> sb.append("<circle cx=\"" + (lx + 10) + "\" cy=\"" + cy + "\" r=\"3\" fill=\"" + s.color() + "\"/>\n");
                default -> {
                    sb.append("<line x1=\"" + lx + "\" y1=\"" + cy + "\" x2=\"" + (lx + 20) + "\" y2=\"" + cy + "\" stroke=\"" + s.color()
                            + "\" stroke-width=\"2\"" + (s.style() == Style.DASHED ? " stroke-dasharray=\"6 4\"" : "") + "/>\n");
                    if (s.style() == Style.LINE_POINTS)
                        sb.append("<circle cx=\"" + (lx + 10) + "\" cy=\"" + cy + "\" r=\"3\" fill=\"" + s.color() + "\"/>\n");
                }
            }
            sb.append("<text x=\"" + (lx + 26) + "\" y=\"" + (cy + 4) + "\">" + escape(shorten(s.name(), 28)) + "</text>\n");
            ly += 18;
        }
        sb.append("</g>\n");
    }

    private static int finitePoints(Series s) {
        int n = 0;
        for (int i = 0; i < s.x().length; i++) if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) n++;
        return n;
    }

    // ---- formatting -----------------------------------------------------------------------------------

    /** Round-number ticks covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, about five of them. */
    static double[] ticks(double lo, double hi) {
        if (!(hi > lo)) hi = lo + 1;
        double raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), r = raw / mag;
        double step = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
        double start = Math.floor(lo / step + 1e-9) * step, end = Math.ceil(hi / step - 1e-9) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = start + i * step;
        return t;
    }

    /** A tick value without float noise or trailing zeros: 0.6000000000000001 → "0.6", 2.0 → "2". */
    static String label(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        String s = new BigDecimal(v).setScale(9, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** A pixel coordinate with one decimal; never "-0.0". */
    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.equals("-0.0") ? "0.0" : s;
    }

    private static String line(double x1, double y1, double x2, double y2) {
        return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\"/>\n";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c); // XML 1.0 forbids other controls
            }
        }
        return b.toString();
    }
}
