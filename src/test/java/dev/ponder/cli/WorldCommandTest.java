package dev.ponder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorldCommandTest {
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new WorldCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static final String[] SMALL = {"--people", "30", "--unknown-people", "30", "--countries", "3",
        "--unknown-countries", "1", "--cities", "6", "--unknown-cities", "2", "--companies", "5", "--unknown-companies", "3",
        "--reading", "40", "--arithmetic", "40", "--countdown", "20", "--valid", "20", "--eval-per-category", "5"};

    private String[] with(String... more) {
        String[] all = new String[SMALL.length + more.length];
        System.arraycopy(more, 0, all, 0, more.length);
        System.arraycopy(SMALL, 0, all, more.length, SMALL.length);
        return all;
    }

    @Test
    void generatesAWorldAndReportsSizes(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("world");
        assertEquals(0, run(with("--seed", "3", "--out", dir.toString())), err.toString());
        assertTrue(out.toString().contains("people 30 known + 30 unknown"), out.toString());
        assertTrue(Files.readString(dir.resolve("README.md")).contains("--people 30 --unknown-people 30"));
        assertTrue(Files.size(dir.resolve("train/corpus.jsonl")) > 10_000);
        assertEquals(35, Files.readAllLines(dir.resolve("eval/dev.jsonl")).size());
    }

    @Test
    void reportsUserErrorsOnOneLine(@TempDir Path tmp) {
        Path dir = tmp.resolve("world");
        assertEquals(0, run(with("--seed", "3", "--out", dir.toString())));
        assertEquals(1, run(with("--seed", "3", "--out", dir.toString())));
        assertTrue(err.toString().contains("not empty; use --force"), err.toString());
        assertEquals(0, run(with("--seed", "3", "--out", dir.toString(), "--force")));
        assertEquals(1, run(with("--seed", "3", "--out", tmp.resolve("x").toString(), "--countdown-numbers", "9")));
        assertTrue(err.toString().contains("countdown puzzles need 2..6 numbers"), err.toString());
        assertEquals(2, run("--out", tmp.resolve("y").toString())); // --seed is required: picocli usage error
    }
}
