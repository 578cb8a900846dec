package dev.ponder.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The evaluation report of several answering methods over one question set. Given each method's outcomes (in
 * the order the methods should be shown) and free-form header lines (model, question files, settings), it
 * writes into one directory:
 * <ul>
 *   <li>{@code report.md}: one table per metric family (method × category), a calibration table, the plots;
 *   <li>{@code reliability.svg}: accuracy per confidence bin of every question's final draft, per method;
 *   <li>{@code risk-coverage.svg}: error rate against coverage over all questions, per method;
 *   <li>{@code metrics.json}: every figure of {@link Metrics.Summary} per method and category;
 *   <li>{@code outcomes.jsonl}: one line per method × question.
 * </ul>
 * NaN (nothing to measure) is written as {@code null} in JSON and "–" in Markdown. Methods that give no
 * confidence are left out of the plots and say so in the report.
 */
public final class EvalReport {
    public static final String REPORT_MD = "report.md", RELIABILITY_SVG = "reliability.svg", RISK_COVERAGE_SVG = "risk-coverage.svg",
            METRICS_JSON = "metrics.json", OUTCOMES_JSONL = "outcomes.jsonl";
    private static final String NONE = "–";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> header;
    private final Map<String, List<Outcome>> outcomes;
    private final Map<String, Map<String, Metrics.Summary>> summaries = new LinkedHashMap<>();
    private final List<String> categories; // union over methods, in Metrics.categoryOrder(), then "all"

    /** Summarises {@code byMethod} (method → outcomes, iteration order kept) under the given header lines. */
    public EvalReport(List<String> header, Map<String, List<Outcome>> byMethod) {
        if (byMethod.isEmpty()) throw new PonderException("no methods to report");
        this.header = List.copyOf(header);
        this.outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(byMethod));
        TreeSet<String> cats = new TreeSet<>(Metrics.categoryOrder());
        for (var e : byMethod.entrySet()) {
            summaries.put(e.getKey(), Metrics.summary(e.getValue()));
            for (Outcome o : e.getValue()) cats.add(o.category());
        }
        List<String> cs = new ArrayList<>(cats);
        cs.add(Metrics.ALL);
        this.categories = List.copyOf(cs);
    }

    /** Method → category (and {@link Metrics#ALL}) → summary. */
    public Map<String, Map<String, Metrics.Summary>> summaries() {
        return Collections.unmodifiableMap(summaries);
    }

    /** Writes the five files into {@code dir} (created if needed) and returns the path of {@code report.md}. */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        reliability().write(dir.resolve(RELIABILITY_SVG));
        riskCoverage().write(dir.resolve(RISK_COVERAGE_SVG));
        JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(METRICS_JSON).toFile(), metricsJson());
        Files.writeString(dir.resolve(OUTCOMES_JSONL), outcomesJsonl(), StandardCharsets.UTF_8);
        Path md = dir.resolve(REPORT_MD);
        Files.writeString(md, markdown(), StandardCharsets.UTF_8);
        return md;
    }

    // ---- plots ----------------------------------------------------------------------------------------

    /** Reliability diagram of each method's confidence over every question's final draft ({@link Metrics.View#DRAFTS}). */
    public SvgPlot reliability() {
        Map<String, List<Metrics.Bin>> bins = new LinkedHashMap<>();
        for (var e : outcomes.entrySet()) {
            Optional<Metrics.Confidences> c = Metrics.confidences(e.getValue(), Metrics.View.DRAFTS);
            if (c.isPresent() && c.get().conf().length > 0)
                bins.put(e.getKey(), Metrics.reliability(c.get().conf(), c.get().correct(), Metrics.DEFAULT_BINS));
        }
        return SvgPlot.reliabilityDiagram("Reliability (every question's final draft)", bins);
    }

    /** Risk–coverage curves over all questions, abstentions at confidence 0 ({@link Metrics.View#ALL_QUESTIONS}). */
    public SvgPlot riskCoverage() {
        Map<String, List<Metrics.Point>> curves = new LinkedHashMap<>();
        for (var e : outcomes.entrySet())
            if (hasConfidences(e.getValue())) {
                Metrics.Confidences c = Metrics.confidences(e.getValue(), Metrics.View.ALL_QUESTIONS).orElseThrow();
                curves.put(e.getKey(), Metrics.riskCoverage(c.conf(), c.correct()));
            }
        return SvgPlot.riskCoverage("Risk–coverage (all questions, abstention = confidence 0)", curves);
    }

    /** True when every answered outcome carries a confidence and at least one was answered. */
    private static boolean hasConfidences(List<Outcome> os) {
        return os.stream().anyMatch(o -> !o.abstained()) && Metrics.confidences(os, Metrics.View.ANSWERED_ONLY).isPresent();
    }

    // ---- Markdown -------------------------------------------------------------------------------------

    /** The Markdown report. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# Ponder evaluation\n\n");
        for (String h : header) md.append("- ").append(h).append('\n');
        if (!header.isEmpty()) md.append('\n');
        md.append("Methods: ").append(String.join(", ", outcomes.keySet().stream().map(EvalReport::cell).toList())).append(".\n\n");

        table(md, "Questions", "outcomes per category.", s -> s.questions(), "%.0f");
        table(md, "Accuracy", "correct / questions; an abstention on N (unanswerable) is correct, elsewhere it is wrong.",
                Metrics.Summary::accuracy, "%");
        table(md, "Precision on answered", "correct / answered, abstentions left out; – when nothing was answered.",
                Metrics.Summary::precision, "%");
        table(md, "Abstention rate", "abstained / questions.", Metrics.Summary::abstentionRate, "%");
        table(md, "Retrievals per question", "retrieval calls per question.", Metrics.Summary::meanRetrievals, "%.2f");
        table(md, "Retrieved tokens per question", "tokens of retrieved text put into the context, per question.",
                Metrics.Summary::meanRetrievedTokens, "%.1f");
        table(md, "Generated tokens per question", "tokens the model generated, per question.", Metrics.Summary::meanGeneratedTokens, "%.1f");
        table(md, "Pauses per question", "times the method stopped to think, per question.", Metrics.Summary::meanPauses, "%.2f");
        table(md, "Latency (mean ms per question)", "wall time per question.", Metrics.Summary::meanLatencyMs, "%.1f");

        md.append("## Latency percentiles (all questions)\n\n| method | mean ms | p50 ms | p95 ms |\n|---|---:|---:|---:|\n");
        for (var e : summaries.entrySet()) {
            Metrics.Summary s = e.getValue().get(Metrics.ALL);
            md.append("| ").append(cell(e.getKey())).append(" | ").append(fmt(s.meanLatencyMs(), "%.1f")).append(" | ")
                    .append(fmt(s.p50LatencyMs(), "%.1f")).append(" | ").append(fmt(s.p95LatencyMs(), "%.1f")).append(" |\n");
        }
        md.append('\n');

        md.append("## Calibration (all categories)\n\n");
        md.append("*Answered*: over answered questions only (abstentions left out). *All*: over every question, an abstention ")
                .append("counting as confidence 0 (and keeping its correctness, so a right abstention on N is a right answer at ")
                .append("confidence 0). AUROC: how well confidence separates right from wrong answers (0.5 = chance, higher is better). ")
                .append("ECE: expected calibration error over ").append(Metrics.DEFAULT_BINS).append(" equal-width bins (lower is better). ")
                .append("AURC: area under the risk–coverage curve (lower is better); e-AURC: AURC minus the best AURC possible ")
                .append("with these answers (0 = perfect ranking).\n\n");
        md.append("| method | answered | AUROC | ECE | AURC | e-AURC | all | AUROC (all) | ECE (all) | AURC (all) | e-AURC (all) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var e : summaries.entrySet()) {
            Metrics.Summary s = e.getValue().get(Metrics.ALL);
            md.append("| ").append(cell(e.getKey()));
            for (Metrics.Calibration c : List.of(s.answeredOnly(), s.allQuestions()))
                md.append(" | ").append(c.n()).append(" | ").append(fmt(c.auroc(), "%.3f")).append(" | ").append(fmt(c.ece(), "%.3f"))
                        .append(" | ").append(fmt(c.aurc(), "%.3f")).append(" | ").append(fmt(c.eaurc(), "%.3f"));
            md.append(" |\n");
        }
        md.append('\n');

        md.append("## Confidence of the final draft (all categories)\n\n");
        md.append("Every question's confidence against whether the draft it is about is right (\"unknown\" is right only on N), ")
                .append("whether the method then answered or abstained: how well the confidence itself ranks and is calibrated. ")
                .append("For methods that never withhold a draft this equals *All*.\n\n");
        md.append("| method | questions | AUROC | ECE | AURC | e-AURC |\n|---|---:|---:|---:|---:|---:|\n");
        for (var e : summaries.entrySet()) {
            Metrics.Calibration c = e.getValue().get(Metrics.ALL).drafts();
            md.append("| ").append(cell(e.getKey())).append(" | ").append(c.n()).append(" | ").append(fmt(c.auroc(), "%.3f"))
                    .append(" | ").append(fmt(c.ece(), "%.3f")).append(" | ").append(fmt(c.aurc(), "%.3f")).append(" | ")
                    .append(fmt(c.eaurc(), "%.3f")).append(" |\n");
        }
        md.append('\n');

        md.append("## Plots\n\n");
        List<String> without = outcomes.entrySet().stream().filter(e -> !hasConfidences(e.getValue())).map(Map.Entry::getKey).toList();
        if (!without.isEmpty())
            md.append("Left out of the plots (no answered question with a confidence): ")
                    .append(String.join(", ", without.stream().map(EvalReport::cell).toList())).append(".\n\n");
        md.append("![Reliability diagram](").append(RELIABILITY_SVG).append(")\n\n");
        md.append("![Risk–coverage curves](").append(RISK_COVERAGE_SVG).append(")\n\n");
        md.append("Data: [").append(METRICS_JSON).append("](").append(METRICS_JSON).append("), [").append(OUTCOMES_JSONL)
                .append("](").append(OUTCOMES_JSONL).append(").\n");
        return md.toString();
    }

    /** One method × category table of {@code value}; format "%" means a percentage with one decimal. */
    private void table(StringBuilder md, String title, String note, ToDoubleFunction<Metrics.Summary> value, String format) {
        md.append("## ").append(title).append("\n\n").append(Character.toUpperCase(note.charAt(0))).append(note.substring(1)).append("\n\n| method |");
        for (String c : categories) md.append(' ').append(cell(c)).append(" |");
        md.append("\n|---|");
        md.append("---:|".repeat(categories.size())).append('\n');
        for (var e : summaries.entrySet()) {
            md.append("| ").append(cell(e.getKey())).append(" |");
            for (String c : categories) {
                Metrics.Summary s = e.getValue().get(c);
                md.append(' ').append(s == null ? NONE : format.equals("%") ? pct(value.applyAsDouble(s)) : fmt(value.applyAsDouble(s), format))
                        .append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? NONE : String.format(Locale.ROOT, format, v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? NONE : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** A table cell: pipes escaped, line breaks flattened. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
    }

    // ---- JSON -----------------------------------------------------------------------------------------

    /** {@code {"header": [...], "ece_bins": 10, "methods": {method: {category: summary}}}}, NaN as null. */
    public ObjectNode metricsJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode h = root.putArray("header");
        header.forEach(h::add);
        root.put("ece_bins", Metrics.DEFAULT_BINS);
        ObjectNode methods = root.putObject("methods");
        for (var e : summaries.entrySet()) {
            ObjectNode m = methods.putObject(e.getKey());
            for (var c : e.getValue().entrySet()) m.set(c.getKey(), toJson(c.getValue()));
        }
        return root;
    }

    /** One JSON object per line: {@code {"method": ..., then every field of the outcome}}, NaN as null. */
    public String outcomesJsonl() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (var e : outcomes.entrySet())
            for (Outcome o : e.getValue()) {
                ObjectNode line = JSON.createObjectNode().put("method", e.getKey());
                line.setAll(toJson(o));
                sb.append(JSON.writeValueAsString(line)).append('\n');
            }
        return sb.toString();
    }

    /** Reads a {@code metrics.json} written by {@link #writeTo}: method → category → summary (null back to NaN). */
    public static Map<String, Map<String, Metrics.Summary>> readMetrics(Path metricsJson) throws IOException {
        JsonNode root = readTree(metricsJson).get("methods");
        if (root == null || !root.isObject()) throw new PonderException(metricsJson + " has no \"methods\" object");
        Map<String, Map<String, Metrics.Summary>> out = new LinkedHashMap<>();
        for (var m : root.properties()) {
            Map<String, Metrics.Summary> cats = new LinkedHashMap<>();
            for (var c : m.getValue().properties()) cats.put(c.getKey(), fromJson(c.getValue(), Metrics.Summary.class, metricsJson));
            out.put(m.getKey(), cats);
        }
        return out;
    }

    /** Reads an {@code outcomes.jsonl} written by {@link #writeTo}: method → outcomes, in file order. */
    public static Map<String, List<Outcome>> readOutcomes(Path outcomesJsonl) throws IOException {
        Map<String, List<Outcome>> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(outcomesJsonl, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new PonderException(outcomesJsonl + ":" + no + ": not JSON (" + e.getOriginalMessage() + ")");
                }
                JsonNode method = n.get("method");
                if (method == null || !method.isTextual()) throw new PonderException(outcomesJsonl + ":" + no + ": no \"method\"");
                out.computeIfAbsent(method.asText(), k -> new ArrayList<>()).add(fromJson(n, Outcome.class, outcomesJsonl));
            }
        }
        return out;
    }

    private static JsonNode readTree(Path p) throws IOException {
        try {
            return JSON.readTree(p.toFile());
        } catch (JsonProcessingException e) {
            throw new PonderException(p + ": not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** Every component of a record under its snake_case name; NaN and infinities as null, nested records as objects. */
    static ObjectNode toJson(Record r) {
        ObjectNode o = JSON.createObjectNode();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            String key = snake(c.getName());
            switch (get(c, r)) {
                case Double d -> {
                    if (Double.isFinite(d)) o.put(key, d);
                    else o.putNull(key);
                }
                case Integer i -> o.put(key, i);
                case Long l -> o.put(key, l);
                case Boolean b -> o.put(key, b);
                case String s -> o.put(key, s);
                case Record nested -> o.set(key, toJson(nested));
                case Object x -> throw new IllegalStateException("no JSON form for " + x.getClass() + " in " + r.getClass());
            }
        }
        return o;
    }

    /** The inverse of {@link #toJson}: null reads back as NaN for doubles; a missing field is an error naming {@code source}. */
    static <R extends Record> R fromJson(JsonNode n, Class<R> type, Path source) {
        RecordComponent[] cs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        Object[] args = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            String key = snake(cs[i].getName());
            JsonNode v = n.get(key);
            if (v == null || (v.isNull() && types[i] != double.class))
                throw new PonderException(source + ": " + type.getSimpleName() + " lacks \"" + key + "\"");
            if (types[i] == double.class) args[i] = v.isNull() ? Double.NaN : v.asDouble();
            else if (types[i] == int.class) args[i] = v.asInt();
            else if (types[i] == long.class) args[i] = v.asLong();
            else if (types[i] == boolean.class) args[i] = v.asBoolean();
            else if (types[i] == String.class) args[i] = v.asText();
            else if (Record.class.isAssignableFrom(types[i])) args[i] = fromJson(v, types[i].asSubclass(Record.class), source);
            else throw new IllegalStateException("no JSON form for " + types[i]);
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new PonderException(source + ": bad " + type.getSimpleName() + " (" + e.getCause().getMessage() + ")");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code meanLatencyMs} → {@code mean_latency_ms}. */
    static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) b.append('_').append(Character.toLowerCase(ch));
            else b.append(ch);
        }
        return b.toString();
    }
}
