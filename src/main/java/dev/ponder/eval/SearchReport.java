package dev.ponder.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report of a {@link SearchEval}: per method and node budget, the solve rate (re-verified answers over
 * puzzles) and the mean nodes, tokens and time per puzzle. Writes into one directory {@code search.md},
 * {@code search.svg} (solve rate against the node budget, log scale; fast mode as a flat reference line),
 * {@code search.json} and {@code search-attempts.jsonl} (every attempt).
 */
public final class SearchReport {
    public static final String REPORT_MD = "search.md", PLOT_SVG = "search.svg", METRICS_JSON = "search.json", ATTEMPTS_JSONL = "search-attempts.jsonl";
    /** The acceptance bar: search solves at least this many times as many puzzles as fast mode. */
    public static final int FACTOR = 5;

    /** One method at one budget. */
    public record Row(String method, int budget, int width, int puzzles, int solved, int claimed, int claimedNotSolved, double meanNodes,
                      double meanTokens, double meanPrefilled, double meanMs, double maxMs) {
        public double solveRate() {
            return puzzles == 0 ? 0 : (double) solved / puzzles;
        }
    }

    private final List<String> header;
    private final List<SearchEval.Attempt> attempts;
    private final List<Row> rows = new ArrayList<>();

    public SearchReport(List<String> header, List<SearchEval.Attempt> attempts) {
        if (attempts.isEmpty()) throw new PonderException("no search attempts to report");
        this.header = List.copyOf(header);
        this.attempts = List.copyOf(attempts);
        Map<String, List<SearchEval.Attempt>> groups = new LinkedHashMap<>();
        for (SearchEval.Attempt a : attempts) groups.computeIfAbsent(a.method() + "@" + a.budget(), k -> new ArrayList<>()).add(a);
        List<List<SearchEval.Attempt>> ordered = new ArrayList<>(groups.values());
        ordered.sort((x, y) -> {
            int c = Integer.compare(order(x.getFirst().method()), order(y.getFirst().method()));
            return c != 0 ? c : Integer.compare(x.getFirst().budget(), y.getFirst().budget());
        });
        for (List<SearchEval.Attempt> g : ordered) {
            SearchEval.Attempt f = g.getFirst();
            int solved = 0, claimed = 0, bad = 0;
            double nodes = 0, tokens = 0, pre = 0, ms = 0, max = 0;
            for (SearchEval.Attempt a : g) {
                if (a.solved()) solved++;
                if (a.claimed()) claimed++;
                if (a.claimed() && !a.solved()) bad++;
                nodes += a.nodes();
                tokens += a.tokens();
                pre += a.prefilledTokens();
                ms += a.nanos() / 1e6;
                max = Math.max(max, a.nanos() / 1e6);
            }
            int n = g.size();
            rows.add(new Row(f.method(), f.budget(), f.width(), n, solved, claimed, bad, nodes / n, tokens / n, pre / n, ms / n, max));
        }
    }

    private static int order(String method) {
        return switch (method) {
            case SearchEval.FAST -> 0;
            case "mcts" -> 1;
            case "beam" -> 2;
            default -> 3;
        };
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The fast-mode row (null if fast mode was not run). */
    public Row fast() {
        return rows.stream().filter(r -> r.method().equals(SearchEval.FAST)).findFirst().orElse(null);
    }

    /**
     * The smallest budget at which {@code method} solves at least {@value #FACTOR} times as many puzzles as fast
     * mode, fast mode's count taken as at least 1 (so when fast mode solves none, the search must solve
     * {@value #FACTOR}); null if no budget does.
     */
    public Row acceptedAt(String method) {
        Row f = fast();
        int need = FACTOR * Math.max(1, f == null ? 0 : f.solved());
        for (Row r : rows) if (r.method().equals(method) && r.solved() >= need) return r;
        return null;
    }

    /** The methods other than fast mode, in report order. */
    public List<String> searchMethods() {
        LinkedHashSet<String> m = new LinkedHashSet<>();
        for (Row r : rows) if (!r.method().equals(SearchEval.FAST)) m.add(r.method());
        return List.copyOf(m);
    }

    /** Writes the four files into {@code dir} and returns the Markdown report's path. */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(REPORT_MD), markdown());
        plot().write(dir.resolve(PLOT_SVG));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(METRICS_JSON).toFile(), metricsJson());
        ObjectMapper json = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        for (SearchEval.Attempt a : attempts) lines.append(json.writeValueAsString(a)).append('\n');
        Files.writeString(dir.resolve(ATTEMPTS_JSONL), lines);
        return dir.resolve(REPORT_MD);
    }

    /** Solve rate against log2 of the node budget, one line per search method, fast mode as a flat dashed line. */
    public SvgPlot plot() {
        TreeSet<Integer> budgets = new TreeSet<>();
        for (Row r : rows) if (r.budget() > 0) budgets.add(r.budget());
        String xLabel = budgets.isEmpty() ? "node budget (log2)"
                : String.format(Locale.ROOT, "log2 of the node budget (%.0f = %d nodes)", log2(budgets.last()), budgets.last());
        SvgPlot p = new SvgPlot("Countdown solve rate vs search budget", xLabel, "solve rate").yRange(0, 1);
        for (String m : searchMethods()) {
            List<Row> rs = rows.stream().filter(r -> r.method().equals(m)).toList();
            double[] x = new double[rs.size()], y = new double[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                x[i] = log2(rs.get(i).budget());
                y[i] = rs.get(i).solveRate();
            }
            p.add(m, x, y, SvgPlot.Style.LINE_POINTS);
        }
        Row f = fast();
        if (f != null && !budgets.isEmpty()) {
            double lo = log2(budgets.first()), hi = log2(budgets.last());
            p.addReference("fast (greedy)", new double[] {lo, hi == lo ? lo + 1 : hi}, new double[] {f.solveRate(), f.solveRate()});
        }
        return p;
    }

    private static double log2(int v) {
        return Math.log(v) / Math.log(2);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Search on countdown puzzles\n\n");
        for (String h : header) md.append("- ").append(h).append('\n');
        if (!header.isEmpty()) md.append('\n');
        Row f = fast();
        int puzzles = rows.getFirst().puzzles();
        md.append("Every method answers each of the ").append(puzzles).append(" puzzles; a puzzle counts as solved only if the puzzle's ")
                .append("checker (`CountdownPuzzle.check`) accepts the answer, checked again after the search. Each budget is a separate run. ")
                .append("Nodes: KV states expanded (the prompt's prefill is node 1, every other node one decoded token); tokens: all decoded ")
                .append("tokens (MCTS rollouts included); prefilled: prompt tokens computed per puzzle (once per search).\n\n");
        md.append("## Acceptance\n\n");
        for (String m : searchMethods()) {
            Row a = acceptedAt(m);
            md.append("- ").append(m).append(": ");
            if (a == null) md.append("does not reach ").append(FACTOR).append("× fast mode at any budget run");
            else md.append(String.format(Locale.ROOT, "solves %d/%d (%.1f%%) at %d nodes, vs fast mode %d/%d (%.1f%%): ", a.solved(), a.puzzles(),
                    100 * a.solveRate(), a.budget(), f == null ? 0 : f.solved(), puzzles, f == null ? 0.0 : 100 * f.solveRate()))
                    .append(f != null && f.solved() > 0 ? String.format(Locale.ROOT, "%.1f×", (double) a.solved() / f.solved())
                            : "fast mode solves none (bar: " + FACTOR + " puzzles)");
            md.append('\n');
        }
        long bad = rows.stream().mapToInt(Row::claimedNotSolved).sum(), claimed = rows.stream().mapToInt(Row::claimed).sum();
        md.append("- verification: ").append(claimed - bad).append(" of ").append(claimed)
                .append(" answers the searches reported as verified were accepted again by the checker").append(bad > 0 ? " (BUG: " + bad + " were not)" : "")
                .append(".\n\n");
        md.append("## Solve rate per budget\n\n| method | node budget | beam width | solved | solve rate | nodes/puzzle | tokens/puzzle | prefilled/puzzle | ms/puzzle | max ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d/%d | %.1f%% | %.1f | %.1f | %.1f | %.1f | %.0f |\n", r.method(),
                    r.budget() == 0 ? "–" : Integer.toString(r.budget()), r.width() == 0 ? "–" : Integer.toString(r.width()), r.solved(),
                    r.puzzles(), 100 * r.solveRate(), r.meanNodes(), r.meanTokens(), r.meanPrefilled(), r.meanMs(), r.maxMs()));
        }
        md.append("\nKV reuse: every node forks its parent's KV cache, so a search computes the prompt once and then one token per node ")
                .append("and rollout step.");
        for (String m : searchMethods()) {
            Row big = rows.stream().filter(r -> r.method().equals(m)).reduce((a, b) -> b).orElseThrow();
            md.append(String.format(Locale.ROOT, " %s at %d nodes: %.0f prompt + %.0f decoded tokens per puzzle; re-prefilling the prompt for each of its %.1f nodes would compute at least %.0f.",
                    m, big.budget(), big.meanPrefilled(), big.meanTokens(), big.meanNodes(), big.meanNodes() * big.meanPrefilled()));
        }
        md.append('\n');
        md.append("\n![Solve rate vs budget](").append(PLOT_SVG).append(")\n\nData: [").append(METRICS_JSON).append("](").append(METRICS_JSON)
                .append("), [").append(ATTEMPTS_JSONL).append("](").append(ATTEMPTS_JSONL).append(").\n");
        return md.toString();
    }

    public ObjectNode metricsJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode h = root.putArray("header");
        header.forEach(h::add);
        ArrayNode rs = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = json.valueToTree(r);
            o.put("solveRate", r.solveRate());
            rs.add(o);
        }
        ObjectNode acc = root.putObject("acceptance");
        for (String m : searchMethods()) {
            Row a = acceptedAt(m);
            if (a == null) acc.putNull(m);
            else acc.put(m, a.budget());
        }
        return root;
    }
}
