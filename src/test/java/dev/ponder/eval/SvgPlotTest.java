package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgPlotTest {
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
        return d;
    }

    static List<String> texts(Document d) {
        NodeList n = d.getElementsByTagName("text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) out.add(n.item(i).getTextContent());
        return out;
    }

    @Test
    void lineScatterAndBarsMakeWellFormedXmlWithEverySeriesNamed() throws Exception {
        SvgPlot p = new SvgPlot("Mixed <plot> & co", "x \"axis\"", "y")
                .add("line", new double[] {0, 1, 2, 3}, new double[] {1, 3, 2, 4}, SvgPlot.Style.LINE)
                .add("dots & <more>", new double[] {0.5, 1.5}, new double[] {2, 2.5}, SvgPlot.Style.POINTS)
                .add("bars", new double[] {0, 1, 2, 3}, new double[] {1, 2, 3, 2}, SvgPlot.Style.BARS)
                .addReference("ref", new double[] {0, 3}, new double[] {0, 4});
        Document d = parse(p.render());
        List<String> t = texts(d);
        for (String name : List.of("Mixed <plot> & co", "x \"axis\"", "line", "dots & <more>", "bars", "ref"))
            assertTrue(t.contains(name), name + " missing from " + t);
        assertEquals(1 + 1, d.getElementsByTagName("polyline").getLength(), "the line and the reference");
        assertEquals(2 + 0, countCircles(d, "#e69f00"), "two points in the second colour");
        assertEquals(4, countTitledRects(d), "one bar per value");
    }

    @Test
    void aLineBreaksAtNaN() throws Exception {
        String svg = new SvgPlot("t", "x", "y").add("gappy", new double[] {0, 1, 2, 3, 4}, new double[] {1, 2, Double.NaN, 3, 4},
                SvgPlot.Style.LINE).render();
        assertEquals(2, parse(svg).getElementsByTagName("polyline").getLength());
    }

    @Test
    void outputIsDeterministicAndLocaleIndependent() throws Exception {
        Map<String, List<Metrics.Point>> curves = new LinkedHashMap<>();
        curves.put("a", Metrics.riskCoverage(new double[] {0.9, 0.3, 0.6}, new boolean[] {true, false, true}));
        String first = SvgPlot.riskCoverage("rc", curves).render();
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // decimal comma if anything used the default locale
            assertEquals(first, SvgPlot.riskCoverage("rc", curves).render());
        } finally {
            Locale.setDefault(saved);
        }
        NodeList all = parse(first).getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++)
            for (String a : List.of("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width", "height")) {
                String v = ((Element) all.item(i)).getAttribute(a);
                if (!v.isEmpty() && !v.endsWith("%")) Double.parseDouble(v); // a decimal comma would throw
            }
    }

    @Test
    void reliabilityDiagramHasBarsForNonEmptyBinsAndTheDiagonal() throws Exception {
        double[] conf = {0.05, 0.15, 0.95, 0.92, 0.55};
        boolean[] ok = {false, false, true, false, true};
        Map<String, List<Metrics.Bin>> byMethod = new LinkedHashMap<>();
        byMethod.put("ponder", Metrics.reliability(conf, ok, 10));
        byMethod.put("flare", Metrics.reliability(new double[] {0.5, 0.5}, new boolean[] {true, false}, 10));
        SvgPlot p = SvgPlot.reliabilityDiagram("Reliability", byMethod);
        Document d = parse(p.render());
        assertTrue(texts(d).containsAll(List.of("ponder", "flare", "perfect calibration", "confidence", "accuracy")));
        assertEquals(4 + 1, countTitledRects(d), "ponder fills 4 bins, flare 1");
        assertEquals(1, d.getElementsByTagName("polyline").getLength(), "the diagonal");
        assertEquals(List.of(SvgPlot.Style.BARS, SvgPlot.Style.BARS, SvgPlot.Style.DASHED),
                p.series().stream().map(SvgPlot.Series::style).toList());
    }

    @Test
    void riskCoverageDrawsOneCurvePerMethodEndingAtFullCoverage() throws Exception {
        Map<String, List<Metrics.Point>> curves = new LinkedHashMap<>();
        curves.put("fast", Metrics.riskCoverage(new double[] {0.9, 0.8, 0.4, 0.2}, new boolean[] {true, false, true, false}));
        curves.put("ponder", Metrics.riskCoverage(new double[] {0.9, 0.8, 0.4, 0.2}, new boolean[] {true, true, false, false}));
        Document d = parse(SvgPlot.riskCoverage("Risk–coverage", curves).render());
        NodeList lines = d.getElementsByTagName("polyline");
        assertEquals(2, lines.getLength());
        for (int i = 0; i < 2; i++) {
            String[] pts = ((Element) lines.item(i)).getAttribute("points").split(" ");
            assertEquals(4, pts.length);
            assertEquals("590.0", pts[3].split(",")[0], "coverage 1 is the right edge of the frame");
        }
        assertTrue(texts(d).containsAll(List.of("fast", "ponder", "coverage", "risk")));
    }

    @Test
    void longCurvesAreDrawnWithoutMarkers() throws Exception {
        int n = SvgPlot.MAX_MARKED_POINTS + 10;
        double[] conf = new double[n];
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            conf[i] = (double) i / n;
            ok[i] = i % 3 != 0;
        }
        Document d = parse(SvgPlot.riskCoverage("long", Map.of("m", Metrics.riskCoverage(conf, ok))).render());
        assertEquals(0, d.getElementsByTagName("circle").getLength());
        assertEquals(n, ((Element) d.getElementsByTagName("polyline").item(0)).getAttribute("points").split(" ").length);
    }

    @Test
    void anEmptyPlotStillRenders() throws Exception {
        assertTrue(texts(parse(new SvgPlot("nothing", "x", "y").render())).contains("no data"));
        assertTrue(texts(parse(SvgPlot.riskCoverage("none", Map.of()).render())).contains("no data"));
    }

    @Test
    void ticksAreRoundAndLabelsClean() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}, SvgPlot.ticks(0, 1), 1e-12);
        double[] t = SvgPlot.ticks(3, 97);
        assertEquals(0, t[0], 1e-12);
        assertEquals(100, t[t.length - 1], 1e-12);
        assertEquals("0.6", SvgPlot.label(0.6000000000000001));
        assertEquals("2", SvgPlot.label(2.0));
        assertEquals("0", SvgPlot.label(-0.0));
        assertEquals("0.0", SvgPlot.num(-0.01));
    }

    private static int countCircles(Document d, String color) {
        NodeList n = d.getElementsByTagName("circle");
        int c = 0;
        for (int i = 0; i < n.getLength(); i++) if (color.equals(((Element) n.item(i)).getAttribute("fill"))) c++;
        // the legend swatch of a POINTS series is a circle too
        return c - 1;
    }

    private static int countTitledRects(Document d) {
        NodeList n = d.getElementsByTagName("rect");
        int c = 0;
        for (int i = 0; i < n.getLength(); i++) if (((Element) n.item(i)).getElementsByTagName("title").getLength() > 0) c++;
        return c;
    }
}
