package dev.ponder.serve;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.model.Model;
import dev.ponder.eval.WorldFormat;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.testutil.NodePackages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} npm package, unchanged, against {@code ponder serve} in-process: chat, streaming
 * chat (the same text as the whole answer), chat and completion logprobs, {@code models.list()} and typed errors
 * ({@code src/test/node/openai-client.mjs}). The package is installed once with {@code npm ci} from the pinned
 * lock file into {@code target/node-openai}. Without node/npm the test is skipped, except under {@code CI=true}.
 */
class OpenAINodeClientTest {
    static final String KEY = "node-client-key";
    static final String QUESTION = "When was Lurku Pikirken born?";
    static final Path SOURCES = Path.of("src/test/node");
    static final Path WORK = Path.of("target/node-openai");
    static final String NEEDED = "needed to run the official openai npm client";

    static Model model;
    static BatchingBackend batching;
    static PonderServer server;

    @BeforeAll
    static void start() {
        NodePackages.requireTool("node", NEEDED);
        NodePackages.requireTool("npm", NEEDED);
        model = Model.load(Path.of("models/ponder-nano.gguf"));
        batching = new BatchingBackend(model, "nano", 4, 16);
        server = new PonderServer(batching, null, new PonderServer.Options("ponder-nano", KEY, 1 << 20, 512, 8,
                Calibration.fallback(), Budget.defaults())).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (batching != null) batching.close();
        if (model != null) model.close();
    }

    @Test
    void officialOpenAIPackageTalksToPonderServe() throws Exception {
        NodePackages.install(SOURCES, WORK, WORK.resolve("node_modules/openai"));
        Files.copy(SOURCES.resolve("openai-client.mjs"), WORK.resolve("openai-client.mjs"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PONDER_BASE_URL", "http://127.0.0.1:" + server.port() + "/v1",
                "PONDER_API_KEY", KEY,
                "PONDER_MODEL", "ponder-nano",
                "PONDER_QUESTION", QUESTION));
        String expected = expectedAnswer();
        if (expected != null) env.put("PONDER_EXPECTED", expected);
        NodePackages.Run r = NodePackages.run(WORK, List.of("node", "openai-client.mjs"), env, 120);
        System.out.println("openai-client.mjs (expected " + (expected == null ? "not checked" : "\"" + expected + "\"") + "):\n" + r.output());
        assertEquals(0, r.exit(), "openai-client.mjs failed:\n" + r.output());
        assertTrue(r.output().contains("ok   errors"), "not every check ran:\n" + r.output());
    }

    /**
     * The engine's greedy answer to the question in the world's format, which chat uses for a model without a
     * chat template (null for a model with one: then only streamed-vs-whole consistency is checked).
     */
    static String expectedAnswer() {
        if (model.gguf().getString("tokenizer.chat_template", null) != null) return null;
        try (Model own = Model.load(Path.of("models/ponder-nano.gguf")); EmbeddedBackend eb = new EmbeddedBackend(own, "nano")) {
            String text = eb.generate(new WorldFormat().prompt(QUESTION, List.of(), ""), 16, "\n").text();
            assertFalse(text.isBlank(), "the model gives no answer to " + QUESTION);
            return text;
        }
    }
}
