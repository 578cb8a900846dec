package dev.ponder.knowledge.tools;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ponder.engine.PonderException;
import dev.ponder.testutil.NodePackages;
import dev.ponder.think.Backend;
import dev.ponder.think.ScriptedBackendAccess;
import dev.ponder.think.ToolPause;
import dev.ponder.think.Trace;
import dev.ponder.think.TraceEvent;
import dev.ponder.think.TraceRenderer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real MCP server, the reference {@code @modelcontextprotocol/server-everything} from npm (pinned in
 * {@code src/test/node/mcp}, installed once with {@code npm ci} into {@code target/node-mcp}), over stdio and
 * streamable HTTP: discovery, calls through the registry and through an inline call in a scripted generation,
 * the trace event, the clean environment and the network sandbox. Without node/npm the test is skipped, except
 * under {@code CI=true}.
 */
class McpToolsTest {
    static final Path SOURCES = Path.of("src/test/node/mcp");
    static final Path WORK = Path.of("target/node-mcp");
    static final String NEEDED = "needed to run the reference MCP server";
    static Path server;

    @BeforeAll
    static void install() throws Exception {
        NodePackages.requireTool("node", NEEDED);
        NodePackages.requireTool("npm", NEEDED);
        requireNode20();
        server = WORK.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js").toAbsolutePath();
        NodePackages.install(SOURCES, WORK, server);
        assertTrue(Files.exists(server), server + " missing after npm ci");
    }

    static McpConfig stdio(boolean network) {
        return McpConfig.parse("""
                {"mcpServers": {"everything": {"command": "node", "args": [%s, "stdio"],
                  "env": {"PONDER_TEST_VAR": "visible"}, "network": %s}}}""".formatted(Json.MAPPER.valueToTree(server.toString()), network));
    }

    static JsonNode json(String s) {
        return Json.parse(s);
    }

    @Test
    void stdioServerToolsAreDiscoveredAndCalledThroughTheRegistryAndInline() {
        boolean sandboxed = McpSandbox.networkIsolationAvailable();
        if (!sandboxed) System.out.println("no network isolation here: the server runs with \"network\": true");
        try (ToolRegistry registry = ToolRegistry.withBuiltins()) {
            registry.register(new EchoTool());                  // takes the name "echo" before the server's
            long t0 = System.nanoTime();
            try (McpTools mcp = McpTools.connect(stdio(!sandboxed), registry, Duration.ofSeconds(30))) {
                long connect = System.nanoTime() - t0;
                List<String> names = mcp.toolNames();
                assertTrue(names.containsAll(List.of("get-sum", "everything.echo", "get-env", "gzip-file-as-resource")), names.toString());
                assertFalse(names.contains("echo"), "a clash is prefixed with the server's name");
                assertEquals("stdio", mcp.servers().getFirst().transport());
                Tool sum = registry.find("get-sum").orElseThrow();
                assertEquals("number", sum.inputSchema().path("properties").path("a").path("type").asText(), sum.inputSchema().toString());

                long c0 = System.nanoTime();
                ToolResult r = registry.call("get-sum", json("{\"a\":2,\"b\":3}"));
                long call = System.nanoTime() - c0;
                assertEquals(ToolResult.ok("The sum of 2 and 3 is 5."), r);
                assertEquals(ToolResult.ok("Echo: hi"), registry.call("everything.echo", json("{\"message\":\"hi\"}")));
                assertEquals("local: hi", registry.call("echo", json("{\"message\":\"hi\"}")).text(), "the earlier tool keeps its name");
                assertTrue(registry.call("get-sum", json("{\"a\":\"two\",\"b\":3}")).isError(), "the server rejects bad arguments");

                // inline: a scripted model writes the call, the pause runs it and records it
                Backend model = ScriptedBackendAccess.backend(new String[] {"Q:"}, new String[] {" <<get-sum {\"a\":2,\"b\":3}>> so"}, new double[] {0.9});
                String generated = model.generate("Q: what is 2 plus 3?\nA:", 16, "\n").text();
                Trace trace = new Trace();
                ToolPause.Step step = new ToolPause(new InlineTools(registry)).run(1, generated, 0, trace).orElseThrow();
                assertEquals(" <<get-sum {\"a\":2,\"b\":3}>>The sum of 2 and 3 is 5.", step.text(), "text after >> is dropped, the result inserted");
                TraceEvent.ToolCall ev = trace.of(TraceEvent.ToolCall.class).getFirst();
                assertEquals(new TraceEvent.ToolCall(1, "get-sum", "{\"a\":2,\"b\":3}", "The sum of 2 and 3 is 5.", false, ev.nanos()), ev);
                String line = Trace.toJson(ev);
                assertTrue(line.startsWith("{\"type\":\"tool_call\"") && line.contains("\"result\":\"The sum of 2 and 3 is 5.\""), line);
                assertTrue(TraceRenderer.render(trace).contains("tool: get-sum '{\"a\":2,\"b\":3}' -> 'The sum of 2 and 3 is 5.'"), TraceRenderer.render(trace));
                // the plain form maps to the only string argument
                assertEquals("Echo: plain words", new InlineTools(registry).run("everything.echo", "plain words").text());

                // clean environment: only the passed variables and the configured one
                JsonNode env = json(registry.call("get-env", json("{}")).text());
                assertEquals("visible", env.path("PONDER_TEST_VAR").asText());
                Set<String> allowed = new HashSet<>(McpSandbox.PASSED);
                allowed.add("PONDER_TEST_VAR");
                Set<String> leaked = new HashSet<>();
                env.fieldNames().forEachRemaining(k -> { if (!allowed.contains(k)) leaked.add(k); });
                assertEquals(Set.of(), leaked, "variables beyond the clean environment reached the server");
                System.out.printf("MCP stdio: connect+initialize+list %d tools %.0f ms, first get-sum call %.1f ms%n",
                        names.size(), connect / 1e6, call / 1e6);
            }
        }
    }

    @Test
    void stdioServerReachesNoNetworkUnlessItsConfigAllowsIt() throws Exception {
        requireIsolation();
        AtomicInteger hits = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/data.txt", ex -> {
            hits.incrementAndGet();
            byte[] body = "some data".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        String args = "{\"name\":\"d.gz\",\"data\":\"http://127.0.0.1:" + http.getAddress().getPort() + "/data.txt\"}";
        try {
            for (boolean network : new boolean[] {false, true}) {
                long t0 = System.nanoTime();
                try (ToolRegistry registry = new ToolRegistry(); McpTools mcp = McpTools.connect(stdio(network), registry, Duration.ofSeconds(30))) {
                    long t1 = System.nanoTime();
                    ToolResult r = registry.call("gzip-file-as-resource", json(args));
                    System.out.printf("network=%s connect %.0f ms call %.0f ms: %s%n", network, (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6, r);
                    if (network) {
                        assertFalse(r.isError(), r.text());
                        assertEquals(1, hits.get(), "with \"network\": true the server fetched the URL");
                    } else {
                        assertTrue(r.isError(), "a sandboxed server fetched a URL: " + r.text());
                        assertEquals(0, hits.get());
                    }
                }
            }
        } finally {
            http.stop(0);
        }
    }

    @Test
    void streamableHttpServerToolsAreDiscoveredAndCalled() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("node", server.toString(), "streamableHttp").redirectErrorStream(true);
        pb.environment().put("PORT", Integer.toString(port));
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null && !line.contains("listening on port"); ) seen.append(line).append('\n');
            assertTrue(p.isAlive(), "server-everything streamableHttp did not start:\n" + seen);
            Thread.ofVirtual().start(() -> { try { out.transferTo(java.io.Writer.nullWriter()); } catch (IOException ignored) { } });
            McpConfig config = McpConfig.parse("{\"mcpServers\": {\"remote\": {\"url\": \"http://127.0.0.1:" + port + "/mcp\"}}}");
            try (ToolRegistry registry = new ToolRegistry()) {
                long t0 = System.nanoTime();
                try (McpTools mcp = McpTools.connect(config, registry, Duration.ofSeconds(30))) {
                    long connect = System.nanoTime() - t0;
                    assertEquals("http", mcp.servers().getFirst().transport());
                    assertTrue(mcp.toolNames().contains("get-sum"), mcp.toolNames().toString());
                    long c0 = System.nanoTime();
                    assertEquals(ToolResult.ok("The sum of 40 and 2 is 42."), registry.call("get-sum", json("{\"a\":40,\"b\":2}")));
                    InlineTools inline = new InlineTools(registry);
                    Optional<InlineTools.Inline> found = inline.firstCall("A: <<echo {\"message\":\"x>>y\"}>>", 0);
                    assertEquals("Echo: x>>y", found.orElseThrow().insert(), "'>>' inside a JSON string does not end the call");
                    System.out.printf("MCP streamable HTTP: connect+initialize+list %.0f ms, get-sum call %.1f ms%n", connect / 1e6, (System.nanoTime() - c0) / 1e6);
                }
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aServerThatCannotStartIsOneClearError() {
        McpConfig bad = new McpConfig(List.of(McpConfig.Server.stdio("broken", "node", List.of("-e", "process.exit(3)"), Map.of(), true)));
        try (ToolRegistry registry = new ToolRegistry()) {
            PonderException e = assertThrows(PonderException.class, () -> McpTools.connect(bad, registry, Duration.ofSeconds(3)));
            assertTrue(e.getMessage().startsWith("MCP server \"broken\" (node -e process.exit(3)): no answer within 3000 ms"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(List.of(), registry.names());
            System.out.println("failed start: " + e.getMessage());
            McpConfig missing = new McpConfig(List.of(McpConfig.Server.stdio("missing", "ponder-no-such-command", List.of(), Map.of(), true)));
            PonderException m = assertThrows(PonderException.class, () -> McpTools.connect(missing, registry, Duration.ofSeconds(3)));
            System.out.println("missing command: " + m.getMessage());
            assertEquals("MCP server \"missing\": command \"ponder-no-such-command\" not found on PATH", m.getMessage());
            assertFalse(m.getMessage().contains("\n"), m.getMessage());
        }
    }

    /** A local tool that takes the name {@code echo}. */
    static final class EchoTool implements Tool {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String description() {
            return "local echo";
        }

        @Override
        public JsonNode inputSchema() {
            return json("{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}");
        }

        @Override
        public ToolResult call(JsonNode arguments) {
            return ToolResult.ok("local: " + arguments.path("message").asText());
        }
    }

    /**
     * Skips (also under CI) where unprivileged user and network namespaces are not available: a kernel setting,
     * not something CI installs. McpConfigTest checks that such a machine refuses sandboxed servers.
     */
    static void requireIsolation() {
        Assumptions.assumeTrue(McpSandbox.networkIsolationAvailable(), "unprivileged network namespaces (unshare) are not available here");
    }

    /** server-everything's dependencies (e.g. @hono/node-server) need node 20 or later. */
    static void requireNode20() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(30, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v(\\d+)\\.").matcher(v);
        if (m.lookingAt() && Integer.parseInt(m.group(1)) >= 20) return;
        String msg = "node " + v + " is too old for @modelcontextprotocol/server-everything (needs node 20 or later)";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(msg);
        Assumptions.abort(msg);
    }
}
