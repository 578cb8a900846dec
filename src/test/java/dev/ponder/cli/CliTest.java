package dev.ponder.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.testutil.Reference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** User errors end in one clear line and a non-zero exit; outputs have the documented shapes. */
class CliTest {
    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        CommandLine cl = PonderCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new Result(code, buf.toString(StandardCharsets.UTF_8), err.toString());
    }

    static void assertOneLineError(Result r) {
        assertNotEquals(0, r.code());
        String e = r.err().strip();
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertTrue(e.startsWith("ponder: "), e);
        assertFalse(e.contains("Exception") && e.contains("\tat "), e);
    }

    @Test
    void missingFile() {
        Result r = run("run", "-m", dir.resolve("missing.gguf").toString(), "-p", "x");
        assertOneLineError(r);
        assertTrue(r.err().contains("no such file"));
    }

    @Test
    void notAGguf() throws Exception {
        Path f = dir.resolve("junk.gguf");
        Files.writeString(f, "hello, I am not a model");
        Result r = run("tokenize", "-m", f.toString(), "abc");
        assertOneLineError(r);
        assertTrue(r.err().contains("not a GGUF"), r.err());
    }

    @Test
    void unknownOptionAndMissingCommand() {
        Result r = run("run", "--frobnicate");
        assertOneLineError(r);
        assertEquals(PonderCli.USAGE, r.code());
        assertOneLineError(run());
        assertOneLineError(run("bench", "--shape", "gpt-17"));
    }

    @Test
    void aNegativeReadingConsultationIsRefused() {
        for (String[] args : new String[][] {{"ask", "--reading-consult", "-1", "Where?"},
                {"eval", "-m", "x.gguf", "--questions", "q.jsonl", "--reading-consult", "-2"}}) {
            Result r = run(args);
            assertOneLineError(r);
            assertTrue(r.err().contains("--reading-consult must be 0 or more"), r.err());
        }
    }

    @Test
    void unsupportedTensorTypeIsNamed() throws Exception {
        Path f = dir.resolve("q5.gguf");
        new dev.ponder.engine.gguf.GGUFWriter().putString("general.architecture", "llama")
                .putUInt32("llama.embedding_length", 256).putUInt32("llama.block_count", 1).putUInt32("llama.feed_forward_length", 256)
                .putUInt32("llama.attention.head_count", 2)
                .addTensor("token_embd.weight", dev.ponder.engine.gguf.GGMLType.Q5_K, new long[] {256, 1}, new byte[176])
                .write(f);
        Result r = run("run", "-m", f.toString(), "-p", "x");
        assertOneLineError(r);
        assertTrue(r.err().contains("Q5_K"), r.err());
    }

    @Test
    void unknownArchitectureIsNamed() throws Exception {
        Path f = dir.resolve("arch.gguf");
        new dev.ponder.engine.gguf.GGUFWriter().putString("general.architecture", "mamba")
                .addTensor("token_embd.weight", dev.ponder.engine.gguf.GGMLType.F32, new long[] {4, 2}, new byte[32]).write(f);
        Result r = run("run", "-m", f.toString(), "-p", "x");
        assertOneLineError(r);
        assertTrue(r.err().contains("'mamba'"), r.err());
    }

    @Test
    void jsonLinesHaveTheDocumentedShape() throws Exception {
        Path model = Reference.file("models/stories260K.gguf");
        Result r = run("run", "-m", model.toString(), "-p", "Once upon a time", "-n", "4", "--json", "--top-k", "3");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(4, lines.length);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertEquals(432, first.get("id").asInt());
        assertEquals(",", first.get("text").asText());
        assertEquals(-0.0318, first.get("logprob").asDouble(), 1e-3);
        assertEquals(3, first.get("top").size());
        assertEquals(432, first.get("top").get(0).get(0).asInt());
    }

    @Test
    void tokenizeWithAndWithoutSpecial() {
        Path model = Reference.file("models/stories260K.gguf");
        assertEquals("403 407 261 378", run("tokenize", "-m", model.toString(), "Once upon a time").out().strip());
        assertEquals("1 403 407 261 378", run("tokenize", "-m", model.toString(), "--special", "Once upon a time").out().strip());
    }
}
