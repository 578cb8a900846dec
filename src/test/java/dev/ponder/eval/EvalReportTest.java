package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.engine.PonderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {
    @TempDir
    Path dir;

    static Outcome o(String id, String cat, boolean abstained, boolean correct, double conf, int retr, int ms) {
        return new Outcome(id, cat, abstained ? "" : "ans-" + id, abstained, correct, conf, retr, 40 * retr, 6, retr, ms * 1_000_000L);
    }

    /** Three methods in a non-alphabetical order: one without confidences, one with, one with a pipe in its name. */
    static Map<String, List<Outcome>> outcomes() {
        Map<String, List<Outcome>> m = new LinkedHashMap<>();
        m.put("fast", List.of(o("k1", "K", false, true, Double.NaN, 0, 10), o("k2", "K", false, false, Double.NaN, 0, 12),
                o("n1", "N", false, false, Double.NaN, 0, 9), o("r1", "R", false, true, Double.NaN, 0, 15)));
        m.put("ponder", List.of(o("k1", "K", false, true, 0.9, 1, 30), o("k2", "K", false, false, 0.4, 2, 45),
                o("n1", "N", true, true, 0.2, 1, 20), o("r1", "R", false, true, 0.7, 0, 25)));
        m.put("always|retrieve", List.of(o("k1", "K", false, true, 0.8, 1, 50), o("k2", "K", true, false, 0.3, 1, 55),
                o("n1", "N", true, true, 0.1, 1, 40), o("r1", "R", false, false, 0.6, 1, 60)));
        return m;
    }

    static final List<String> HEADER = List.of("model: nano.gguf", "questions: eval.jsonl (4)", "settings: max tokens 48");

    @Test
    void writesAllFilesAndTheMarkdownHasEveryTable() throws Exception {
        Path md = new EvalReport(HEADER, outcomes()).writeTo(dir);
        for (String f : List.of(EvalReport.REPORT_MD, EvalReport.RELIABILITY_SVG, EvalReport.RISK_COVERAGE_SVG, EvalReport.METRICS_JSON,
                EvalReport.OUTCOMES_JSONL))
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        String text = Files.readString(md);
        for (String s : List.of("- model: nano.gguf", "## Accuracy", "## Precision on answered", "## Abstention rate", "## Retrievals per question",
                "## Generated tokens per question", "## Retrieved tokens per question", "## Latency", "## Calibration",
                "(reliability.svg)", "(risk-coverage.svg)", "| method | K | N | R | all |", "always\\|retrieve"))
            assertTrue(text.contains(s), "report lacks " + s + "\n" + text);
        assertTrue(text.indexOf("| fast |") < text.indexOf("| ponder |") && text.indexOf("| ponder |") < text.indexOf("| always\\|retrieve |"),
                "method order kept");
        // ponder: 3 of 4 right (its N abstention counts), 2 of 3 answered right, 1 of 4 abstained
        assertTrue(text.contains("| ponder | 50.0% | 100.0% | 100.0% | 75.0% |"), text);
        assertTrue(text.contains("| ponder | 50.0% | – | 100.0% | 66.7% |"), "precision, nothing answered on N");
        assertTrue(text.contains("Left out of the plots (no answered question with a confidence): fast."));
        assertTrue(text.lines().anyMatch(l -> l.startsWith("| fast | 4 | – | – | – | – | 4 | – |")), "fast has no calibration figures");
        assertFalse(text.contains("NaN"));

        assertFalse(SvgPlotTest.texts(SvgPlotTest.parse(Files.readString(dir.resolve(EvalReport.RELIABILITY_SVG)))).contains("fast"));
        List<String> rc = SvgPlotTest.texts(SvgPlotTest.parse(Files.readString(dir.resolve(EvalReport.RISK_COVERAGE_SVG))));
        assertTrue(rc.contains("ponder") && rc.contains("always|retrieve") && !rc.contains("fast"), rc.toString());
    }

    @Test
    void metricsJsonRoundTripsWithNaNAsNull() throws Exception {
        EvalReport r = new EvalReport(HEADER, outcomes());
        r.writeTo(dir);
        String json = Files.readString(dir.resolve(EvalReport.METRICS_JSON));
        assertFalse(json.contains("NaN"), "NaN must be written as null");
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(HEADER.get(0), root.get("header").get(0).asText());
        assertEquals(List.of("fast", "ponder", "always|retrieve"), root.get("methods").properties().stream().map(Map.Entry::getKey).toList());
        JsonNode fastAll = root.get("methods").get("fast").get("all");
        assertTrue(fastAll.get("answered_only").get("auroc").isNull());
        assertTrue(fastAll.get("all_questions").get("ece").isNull());
        assertEquals(0.5, fastAll.get("accuracy").asDouble());
        assertTrue(root.get("methods").get("ponder").get("N").get("precision").isNull());
        JsonNode ponderAll = root.get("methods").get("ponder").get("all");
        for (String k : List.of("questions", "accuracy", "answered", "precision", "abstention_rate", "mean_retrievals", "mean_retrieved_tokens",
                "mean_generated_tokens", "mean_pauses", "mean_latency_ms", "p50_latency_ms", "p95_latency_ms"))
            assertTrue(ponderAll.get(k).isNumber(), k);
        assertEquals(1.0, ponderAll.get("answered_only").get("auroc").asDouble(), 1e-12, "0.9, 0.7 right above 0.4 wrong");

        Map<String, Map<String, Metrics.Summary>> back = EvalReport.readMetrics(dir.resolve(EvalReport.METRICS_JSON));
        assertEquals(r.summaries(), back, "every figure, NaN included, survives the round trip");
    }

    @Test
    void outcomesJsonlHasOneLinePerMethodAndQuestionAndRoundTrips() throws Exception {
        Map<String, List<Outcome>> in = outcomes();
        new EvalReport(HEADER, in).writeTo(dir);
        List<String> lines = Files.readAllLines(dir.resolve(EvalReport.OUTCOMES_JSONL));
        assertEquals(12, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("fast", first.get("method").asText());
        assertTrue(first.get("confidence").isNull());
        assertEquals(10_000_000L, first.get("nanos").asLong());
        assertEquals(in, EvalReport.readOutcomes(dir.resolve(EvalReport.OUTCOMES_JSONL)));
    }

    @Test
    void theSameOutcomesGiveTheSameFiles() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        new EvalReport(HEADER, outcomes()).writeTo(a);
        new EvalReport(HEADER, outcomes()).writeTo(b);
        for (String f : List.of(EvalReport.REPORT_MD, EvalReport.RELIABILITY_SVG, EvalReport.RISK_COVERAGE_SVG, EvalReport.METRICS_JSON))
            assertEquals(Files.readString(a.resolve(f)), Files.readString(b.resolve(f)), f);
    }

    @Test
    void badInputIsAOneLineError() throws Exception {
        assertThrows(PonderException.class, () -> new EvalReport(HEADER, Map.of()));
        Path bad = dir.resolve("outcomes.jsonl");
        Files.writeString(bad, "{\"method\":\"x\",\"id\":\"q\"}\n");
        PonderException e = assertThrows(PonderException.class, () -> EvalReport.readOutcomes(bad));
        assertTrue(e.getMessage().contains("lacks \"category\""), e.getMessage());
        Files.writeString(bad, "not json\n");
        assertTrue(assertThrows(PonderException.class, () -> EvalReport.readOutcomes(bad)).getMessage().contains(":1: not JSON"));
    }

    @Test
    void aMethodWithNoOutcomesStillReports() throws Exception {
        Map<String, List<Outcome>> m = new LinkedHashMap<>(outcomes());
        m.put("empty", new ArrayList<>());
        String text = Files.readString(new EvalReport(HEADER, m).writeTo(dir));
        assertTrue(text.contains("| empty | – | – | – | – |"), text);
    }
}
