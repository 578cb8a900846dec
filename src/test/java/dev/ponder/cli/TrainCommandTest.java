package dev.ponder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.learn.train.LlamaGguf;
import dev.ponder.learn.train.LlamaWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
    @Test
    void trainsOnTextResumesAndExports(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(200));
        Path out = dir.resolve("m.gguf");
        String[] common = {"--text", text.toString(), "--dim", "32", "--layers", "1", "--heads", "2", "--batch", "4", "--seq", "32",
                "--lr", "3e-3", "--out", out.toString(), "--checkpoint-every", "10", "--no-progress", "--threads", "2"};
        StringWriter log = new StringWriter();
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setOut(new PrintWriter(log));
        assertEquals(0, cl.execute(concat(common, "--steps", "20")), log.toString());
        assertTrue(Files.exists(dir.resolve("m.ckpt")));
        // continue the same 20-step schedule: nothing left to do, so the resume must be a no-op on the weights
        LlamaWeights first = LlamaGguf.load(out);
        CommandLine again = new CommandLine(new TrainCommand());
        again.setOut(new PrintWriter(log));
        assertEquals(0, again.execute(concat(common, "--steps", "20", "--resume")), log.toString());
        assertTrue(log.toString().contains("resuming from"), log.toString());
        LlamaWeights second = LlamaGguf.load(out);
        for (int i = 0; i < first.params().size(); i++)
            org.junit.jupiter.api.Assertions.assertArrayEquals(first.params().get(i).w, second.params().get(i).w);
        String svg = Files.readString(dir.resolve("m.loss.svg"));
        assertTrue(svg.contains("<polyline"));
        assertTrue(log.toString().contains("eval loss"), log.toString());
        // a different seed must refuse to resume
        CommandLine bad = new CommandLine(new TrainCommand());
        bad.setOut(new PrintWriter(new StringWriter()));
        bad.setErr(new PrintWriter(new StringWriter()));
        assertTrue(bad.execute(concat(common, "--steps", "20", "--resume", "--seed", "9")) != 0);
    }

    @Test
    void heldOutTokensAreTheDataTailAndABadCountIsOneLine(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(100)); // 2,400 bytes = tokens
        String[] common = {"--text", text.toString(), "--dim", "16", "--layers", "1", "--heads", "2", "--batch", "2", "--seq", "16",
                "--steps", "1", "--out", dir.resolve("m.gguf").toString(), "--no-progress", "--threads", "1"};
        StringWriter log = new StringWriter();
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setOut(new PrintWriter(log));
        assertEquals(0, cl.execute(concat(common, "--held-out", "100")), log.toString());
        assertTrue(log.toString().contains("2,300 training tokens, 100 held out"), log.toString());
        CliTest.assertOneLineError(CliTest.run(concat(new String[] {"train"}, concat(common, "--held-out", "10"))));   // shorter than a sequence
        CliTest.assertOneLineError(CliTest.run(concat(new String[] {"train"}, concat(common, "--held-out", "2390")))); // leaves too little
        CliTest.assertOneLineError(CliTest.run(concat(new String[] {"train"}, concat(common, "--held-out", "-1"))));
    }

    @Test
    void aReadingPhaseNeedsFurtherReadingRounds(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("nano", "--reading-steps", "10", "--work", dir.resolve("work").toString(), "-o", dir.resolve("m.gguf").toString());
        CliTest.assertOneLineError(r);
        assertTrue(r.err().contains("--reading-rounds"), r.err());
        assertTrue(!Files.exists(dir.resolve("work")), "a refused call leaves nothing behind");
        CliTest.assertOneLineError(CliTest.run("nano", "--reading-steps", "-1", "--work", dir.toString(), "-o", dir.resolve("m.gguf").toString()));
        CliTest.Result from = CliTest.run("nano", "--from", "models/ponder-nano.gguf", "--work", dir.toString(), "-o", dir.resolve("m.gguf").toString());
        CliTest.assertOneLineError(from); // --from is the reading phase alone: it needs its steps
        assertTrue(from.err().contains("--reading-steps"), from.err());
        CliTest.assertOneLineError(CliTest.run("nano", "--from", dir.resolve("none.gguf").toString(), "--reading-rounds", "2", "--reading-steps", "5",
                "--work", dir.toString(), "-o", dir.resolve("m.gguf").toString()));
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
