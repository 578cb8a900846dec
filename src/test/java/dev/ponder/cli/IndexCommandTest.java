package dev.ponder.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.ponder.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ponder index}: incremental indexing, recall table, and one-line errors. */
class IndexCommandTest {
    @TempDir Path tmp;

    static Result run(String... args) {
        CommandLine cl = PonderCli.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path library() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("world/library"));
        Files.writeString(lib.resolve("person-0001.md"), "# Bega Forsiron\n\nBega Forsiron is a baker who works at Sorbar Foods. Forsiron was born in 1891 in Nismimar.\n");
        Files.writeString(lib.resolve("city-0003.md"), "# Pevoport\n\nPevoport is a city in Zinodor, founded in 1240. It is the capital of Zinodor.\n");
        Files.writeString(lib.resolve("company-0001.md"), "# Sorbar Foods\n\nSorbar Foods is a company founded in 1915 by Bega Forsiron. Its headquarters are in Kuroby.\n");
        return lib;
    }

    @Test
    void indexesThenReportsUnchangedAndChanged() throws Exception {
        Path lib = library();
        Result r = run("index", lib.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("indexed 3 new, 0 changed, 0 unchanged; 3 documents ("), r.out());
        assertTrue(r.out().contains(" s)"), "timing: " + r.out());
        assertTrue(Files.isDirectory(tmp.resolve("world/index")), "default index dir is LIBRARY_DIR/../index");

        r = run("index", lib.toString());
        assertTrue(r.out().startsWith("indexed 0 new, 0 changed, 3 unchanged; 3 documents"), r.out());

        Files.writeString(lib.resolve("city-0003.md"), "# Pevoport\n\nPevoport is a harbour town.\n");
        r = run("index", lib.toString(), "--query", "Which harbour town?", "-k", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("indexed 0 new, 1 changed, 2 unchanged; 3 documents"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("1. city-0003 ") && l.endsWith("Pevoport")), r.out());
    }

    @Test
    void printsRecallPerCategory() throws Exception {
        Path lib = library();
        Path eval = Files.writeString(tmp.resolve("dev.jsonl"), String.join("\n",
                "{\"id\":\"q1\",\"category\":\"K\",\"question\":\"Where was Bega Forsiron born?\",\"answers\":[\"Nismimar\"],\"support\":[\"person-0001\"]}",
                "{\"id\":\"q2\",\"category\":\"K\",\"question\":\"When was Pevoport founded?\",\"answers\":[\"1240\"],\"support\":[\"city-0003\"]}",
                "{\"id\":\"q3\",\"category\":\"H\",\"question\":\"Where is the company of Bega Forsiron based?\",\"answers\":[\"Kuroby\"],\"support\":[\"person-0001\",\"company-0001\"]}",
                "{\"id\":\"q4\",\"category\":\"N\",\"question\":\"Who is Zed?\",\"answers\":[\"unknown\"],\"support\":[]}", ""));
        Result r = run("index", lib.toString(), "--index", tmp.resolve("idx").toString(), "--recall", eval.toString(), "-k", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3 of 4 questions have support documents"), r.out());
        Map<String, String[]> rows = table(r.out());
        assertEquals(List.of("2", "1.000", "1.000", "1.000", "1.000"), List.of(rows.get("K")).subList(1, 6));
        assertEquals(List.of("1", "1.000", "1.000", "1.000", "1.000"), List.of(rows.get("H")).subList(1, 6));
        assertEquals("3", rows.get("all")[1]);
        assertFalse(rows.containsKey("N"), "questions without support are not counted");
        assertTrue(r.out().contains("all@2"), r.out());
    }

    @Test
    void recallOnAGeneratedWorldIsHigh() {
        Path world = tmp.resolve("w");
        Result g = run("world", "--seed", "11", "--out", world.toString(), "--people", "40", "--unknown-people", "40",
                "--countries", "3", "--unknown-countries", "1", "--cities", "6", "--unknown-cities", "2", "--companies", "5",
                "--unknown-companies", "3", "--reading", "20", "--arithmetic", "20", "--countdown", "10", "--valid", "10", "--eval-per-category", "10");
        assertEquals(0, g.code(), g.err());
        Result r = run("index", world.resolve("library").toString(), "--recall", world.resolve("eval/dev.jsonl").toString());
        assertEquals(0, r.code(), r.err());
        Map<String, String[]> rows = table(r.out());
        for (String c : List.of("K", "U", "H")) {
            assertTrue(Double.parseDouble(rows.get(c)[3]) >= 0.9, c + " subject@3 in\n" + r.out());
        }
        assertTrue(Double.parseDouble(rows.get("A")[4]) >= 0.9, "A subject@5 in\n" + r.out());
    }

    @Test
    void userErrorsAreOneLine() throws Exception {
        Result r = run("index", tmp.resolve("missing").toString());
        CliTest.assertOneLineError(r);
        assertEquals(PonderCli.FAILED, r.code());
        assertTrue(r.err().contains("library directory not found"), r.err());
        assertFalse(Files.exists(tmp.resolve("index")), "a bad library path creates no index");

        Path lib = library();
        r = run("index", lib.toString(), "--index", lib.toString());
        CliTest.assertOneLineError(r);
        assertTrue(r.err().contains("not an index directory"), r.err());

        r = run("index", lib.toString(), "--recall", tmp.resolve("nope.jsonl").toString());
        CliTest.assertOneLineError(r);
        assertTrue(r.err().contains("eval file not found"), r.err());

        r = run("index", lib.toString(), "-k", "0");
        CliTest.assertOneLineError(r);
        assertEquals(PonderCli.USAGE, r.code());

        r = run("index");
        CliTest.assertOneLineError(r);
        assertEquals(PonderCli.USAGE, r.code(), "LIBRARY_DIR is required");
    }

    /** Rows of the recall table by category: {category, n, @1, @3, @5, all@k}. */
    private static Map<String, String[]> table(String out) {
        Map<String, String[]> rows = new HashMap<>();
        out.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 6 && f[1].matches("\\d+")).forEach(f -> rows.put(f[0], f));
        return rows;
    }
}
