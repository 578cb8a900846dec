package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchReportTest {
    @TempDir Path dir;

    static SearchEval.Attempt a(String method, int budget, int i, boolean solved) {
        return new SearchEval.Attempt(method, budget, method.equals("beam") ? Math.max(1, budget / 12) : 0, "C-" + i, "1+2", solved, solved,
                method.equals("fast") ? 0 : budget, 10, 40, 1_000_000L * (i + 1), solved ? "verified" : "nodes");
    }

    /** 10 puzzles: fast solves {@code fast}; MCTS solves 2, 5, 9 at budgets 1, 4, 16; beam 0, 1, 3. */
    static List<SearchEval.Attempt> attempts(int fast) {
        List<SearchEval.Attempt> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add(a("fast", 0, i, i < fast));
            int k = 0;
            for (int b : new int[] {1, 4, 16}) {
                out.add(a("mcts", b, i, i < new int[] {2, 5, 9}[k]));
                out.add(a("beam", b, i, i < new int[] {0, 1, 3}[k]));
                k++;
            }
        }
        return out;
    }

    @Test
    void solveRatesPerMethodAndBudget() {
        SearchReport r = new SearchReport(List.of("test"), attempts(0));
        assertEquals(7, r.rows().size());
        assertEquals("fast", r.rows().getFirst().method());
        SearchReport.Row m4 = r.rows().stream().filter(x -> x.method().equals("mcts") && x.budget() == 4).findFirst().orElseThrow();
        assertEquals(0.5, m4.solveRate());
        assertEquals(4, m4.meanNodes());
        assertEquals(5.5, m4.meanMs(), 1e-9);
        assertEquals(List.of("mcts", "beam"), r.searchMethods());
    }

    @Test
    void acceptanceNeedsFiveTimesFastModeWithFastFlooredAtOne() {
        assertEquals(4, new SearchReport(List.of(), attempts(0)).acceptedAt("mcts").budget(), "fast solves none: 5 puzzles needed");
        assertNull(new SearchReport(List.of(), attempts(0)).acceptedAt("beam"));
        assertNull(new SearchReport(List.of(), attempts(2)).acceptedAt("mcts"), "fast solves 2: 10 needed, MCTS solves at most 9");
        assertEquals(4, new SearchReport(List.of(), attempts(1)).acceptedAt("mcts").budget(), "fast solves 1: 5 needed");
    }

    @Test
    void writesReportPlotAndData() throws Exception {
        List<SearchEval.Attempt> as = new ArrayList<>(attempts(1));
        as.set(1, new SearchEval.Attempt("mcts", 1, 0, "C-0", "7", true, false, 1, 1, 40, 1, "verified")); // a claim the checker rejects
        SearchReport r = new SearchReport(List.of("model: x"), as);
        Path md = r.writeTo(dir);
        String text = Files.readString(md);
        assertTrue(text.contains("| mcts | 4 | – | 5/10 | 50.0% |"), text);
        assertTrue(text.contains("BUG: 1"), text);
        String svg = Files.readString(dir.resolve(SearchReport.PLOT_SVG));
        assertTrue(svg.contains(">mcts<") && svg.contains(">beam<") && svg.contains("fast (greedy)"), svg);
        assertEquals(as.size(), Files.readAllLines(dir.resolve(SearchReport.ATTEMPTS_JSONL)).size());
    }
}
