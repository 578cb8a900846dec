package dev.ponder.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ponder eval --search} and {@code ponder ask} on a countdown puzzle, with tiny budgets on ponder-nano. */
class SearchCliTest {
    @TempDir Path dir;

    static EvalQuestion countdown(String id, List<Integer> numbers, int target, String solution) {
        String nums = String.join(", ", numbers.stream().map(String::valueOf).toList());
        return new EvalQuestion(id, Category.C, "Combine " + nums + " with + - * / (each at most once) to get " + target + ".",
                List.of(solution), List.of(), null, numbers, target);
    }

    Path questions() throws Exception {
        Path f = dir.resolve("q.jsonl");
        Files.writeString(f, String.join("\n",
                countdown("t-C-1", List.of(4, 6, 25, 25), 69, "25*4-25-6").toJson(),
                new EvalQuestion("t-K-1", Category.K, "Where was Lurku Pikirken born?", List.of("Patinmar"), List.of(), null, null, null).toJson(),
                countdown("t-C-2", List.of(3, 4, 8, 8), 96, "8*4*3").toJson()) + "\n");
        return f;
    }

    @Test
    void evalSearchWritesTheReportAndRechecksEveryAnswer() throws Exception {
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.run("eval", "-m", "models/ponder-nano.gguf", "--questions", questions().toString(), "--search", "mcts,beam",
                "--search-budget", "4,1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mcts"), r.out());
        for (String f : List.of("search.md", "search.svg", "search.json", "search-attempts.jsonl")) assertTrue(Files.exists(out.resolve(f)), f);
        List<String> lines = Files.readAllLines(out.resolve("search-attempts.jsonl"));
        assertEquals(2 * (1 + 2 * 2), lines.size(), "2 C puzzles x (fast + 2 algorithms x 2 budgets); the K question is left out");
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode a = json.readTree(line);
            assertTrue(a.get("nodes").asInt() <= a.get("budget").asInt(), line);
            if (a.get("claimed").asBoolean()) assertTrue(a.get("solved").asBoolean(), "claimed but not re-verified: " + line);
        }
        JsonNode m = json.readTree(out.resolve("search.json").toFile());
        assertEquals(5, m.get("rows").size(), "fast, mcts@1, mcts@4, beam@1, beam@4");
        assertTrue(Files.readString(out.resolve("search.md")).contains("## Solve rate per budget"));
    }

    @Test
    void searchOptionErrorsAreOneLine() throws Exception {
        Path q = questions();
        CliTest.assertOneLineError(CliTest.run("eval", "-m", "models/ponder-nano.gguf", "--questions", q.toString(), "--search", "dfs"));
        CliTest.assertOneLineError(CliTest.run("eval", "-m", "models/ponder-nano.gguf", "--questions", q.toString(), "--search", "mcts",
                "--search-budget", "0"));
        CliTest.assertOneLineError(CliTest.run("eval", "-m", "models/ponder-nano.gguf", "--questions", q.toString(), "--search", "mcts",
                "--categories", "K"));
        CliTest.assertOneLineError(CliTest.run("eval", "-m", "models/ponder-nano.gguf", "--questions", q.toString(), "--search", "mcts",
                "--library", dir.toString()));
        CliTest.assertOneLineError(CliTest.run("ask", "--search", "dfs", "Combine 3, 4 with + - * / (each at most once) to get 12."));
    }

    @Test
    void askShowsTheSearchPause() {
        CliTest.Result r = CliTest.run("ask", "--search-budget", "8", "Combine 4, 6, 25, 25 with + - * / (each at most once) to get 69.");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[search:mcts"), r.out());
        assertTrue(r.out().contains("verified without a pause") || r.out().contains("search (mcts): "), r.out());
    }
}
