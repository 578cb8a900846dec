package dev.ponder.knowledge.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.engine.PonderException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Tools of MCP servers (Model Context Protocol, through the MCP Java SDK): connects to each configured server
 * over stdio or streamable HTTP, lists its tools (discovery) and registers each in a {@link ToolRegistry} as
 * a {@link Tool} that calls the server, under its own name or, when that is taken, as {@code server.tool}.
 * Stdio servers start in the {@link McpSandbox} (clean environment; no network unless allowed). Close to stop
 * the servers; their tools then answer with an error.
 */
public final class McpTools implements AutoCloseable {
    /** Default time to start a server, initialise the session and answer one request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A connected server.
     *
     * @param name the server's key in the config
     * @param transport {@code stdio} or {@code http}
     * @param tools the names its tools were registered under
     * @param connectNanos time to start or reach it, initialise and list its tools
     */
    public record Server(String name, String transport, List<String> tools, long connectNanos) {}

    private final List<McpSyncClient> clients;
    private final List<Server> servers;

    private McpTools(List<McpSyncClient> clients, List<Server> servers) {
        this.clients = clients;
        this.servers = List.copyOf(servers);
    }

    /** Connects the servers of a config file (see {@link McpConfig}) and registers their tools. */
    public static McpTools connect(Path config, ToolRegistry registry) {
        return connect(McpConfig.read(config), registry, DEFAULT_TIMEOUT);
    }

    /**
     * Connects every server of {@code config} and registers their tools in {@code registry}. Throws
     * {@link PonderException} naming the server when one cannot be started, reached or initialised (the
     * servers already started are stopped again).
     */
    public static McpTools connect(McpConfig config, ToolRegistry registry, Duration timeout) {
        List<McpSyncClient> clients = new ArrayList<>();
        List<Server> servers = new ArrayList<>();
        try {
            for (McpConfig.Server s : config.servers()) {
                long t0 = System.nanoTime();
                if (s.isStdio() && !McpSandbox.runnable(s.command())) {
                    throw new PonderException("MCP server \"" + s.name() + "\": command \"" + s.command() + "\" not found" + (s.command().contains("/") ? "" : " on PATH"));
                }
                Deque<String> stderr = new ArrayDeque<>();
                McpSyncClient client = McpClient.sync(transport(s, timeout, stderr))
                        .requestTimeout(timeout)
                        .initializationTimeout(timeout)
                        .clientInfo(new McpSchema.Implementation("ponder", "0.1.0"))
                        .build();
                clients.add(client);
                List<McpSchema.Tool> found = new ArrayList<>();
                try {
                    client.initialize();
                    String cursor = null;
                    do {
                        McpSchema.ListToolsResult page = cursor == null ? client.listTools() : client.listTools(cursor);
                        found.addAll(page.tools());
                        cursor = page.nextCursor();
                    } while (cursor != null && !cursor.isEmpty());
                } catch (RuntimeException e) {
                    throw new PonderException("MCP server \"" + s.name() + "\" (" + (s.isStdio() ? String.join(" ", McpSandbox.command(s)) : s.url())
                            + "): " + (timedOut(e) ? "no answer within " + timeout.toMillis() + " ms (does the command start an MCP server?)" : message(e))
                            + lastLines(stderr));
                }
                List<String> names = new ArrayList<>();
                for (McpSchema.Tool t : found) names.add(registry.register(new Remote(s.name(), client, t), s.name()));
                servers.add(new Server(s.name(), s.isStdio() ? "stdio" : "http", names, System.nanoTime() - t0));
            }
        } catch (RuntimeException e) {
            for (McpSyncClient c : clients) closeQuietly(c);
            throw e instanceof PonderException ? e : new PonderException("MCP: " + message(e));
        }
        return new McpTools(clients, servers);
    }

    /** The connected servers, in config order. */
    public List<Server> servers() {
        return servers;
    }

    /** Every registered tool name, server by server. */
    public List<String> toolNames() {
        return servers.stream().flatMap(s -> s.tools().stream()).toList();
    }

    /** Ends the sessions and stops the stdio servers. */
    @Override
    public void close() {
        for (McpSyncClient c : clients) closeQuietly(c);
    }

    private static McpClientTransport transport(McpConfig.Server s, Duration timeout, Deque<String> stderr) {
        if (s.isStdio()) {
            List<String> cmd = McpSandbox.command(s);
            ServerParameters params = ServerParameters.builder(cmd.getFirst()).args(cmd.subList(1, cmd.size()))
                    .env(McpSandbox.environment(s.env())).build();
            StdioClientTransport t = new StdioClientTransport(params, McpJsonDefaults.getMapper()) {
                /** A clean environment: the transport then adds exactly the parameters' variables. */
                @Override
                protected ProcessBuilder getProcessBuilder() {
                    ProcessBuilder pb = super.getProcessBuilder();
                    pb.environment().clear();
                    return pb;
                }
            };
            t.setStdErrorHandler(line -> {
                synchronized (stderr) {
                    stderr.addLast(line);
                    while (stderr.size() > 5) stderr.removeFirst();
                }
            });
            return t;
        }
        URI uri = URI.create(s.url());
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        String endpoint = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder();
        for (Map.Entry<String, String> h : s.headers().entrySet()) request.header(h.getKey(), h.getValue());
        return HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).connectTimeout(timeout).requestBuilder(request).build();
    }

    private static void closeQuietly(McpSyncClient c) {
        try {
            if (!c.closeGracefully()) c.close();
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // already closing
            }
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) if (t instanceof TimeoutException) return true;
        return false;
    }

    /** The most specific message in the cause chain, on one line. */
    static String message(Throwable e) {
        String best = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) best = (t instanceof TimeoutException ? "timed out: " : "") + m;
        }
        if (best == null) best = e.getClass().getSimpleName();
        int nl = best.indexOf('\n');
        return nl < 0 ? best : best.substring(0, nl);
    }

    private static String lastLines(Deque<String> stderr) {
        synchronized (stderr) {
            return stderr.isEmpty() ? "" : "; stderr: " + String.join(" | ", stderr);
        }
    }

    /** A tool of an MCP server, called through its session. */
    private record Remote(String server, McpSyncClient client, McpSchema.Tool tool) implements Tool {
        @Override
        public String name() {
            return tool.name();
        }

        @Override
        public String description() {
            String d = tool.description() != null ? tool.description() : tool.title() != null ? tool.title() : "";
            return d.strip().replace('\n', ' ');
        }

        @Override
        public JsonNode inputSchema() {
            return Json.MAPPER.valueToTree(tool.inputSchema() == null ? Map.of("type", "object") : tool.inputSchema());
        }

        @Override
        @SuppressWarnings("unchecked")
        public ToolResult call(JsonNode arguments) {
            Map<String, Object> args = Json.MAPPER.convertValue(arguments, Map.class);
            McpSchema.CallToolResult r;
            try {
                r = client.callTool(new McpSchema.CallToolRequest(tool.name(), args));
            } catch (RuntimeException e) {
                return ToolResult.error("MCP server \"" + server + "\": " + message(e));
            }
            StringBuilder sb = new StringBuilder();
            for (McpSchema.Content c : r.content() == null ? List.<McpSchema.Content>of() : r.content()) {
                if (!sb.isEmpty()) sb.append('\n');
                switch (c) {
                    case McpSchema.TextContent t -> sb.append(t.text());
                    case McpSchema.EmbeddedResource e when e.resource() instanceof McpSchema.TextResourceContents t -> sb.append(t.text());
                    case McpSchema.EmbeddedResource e -> sb.append("[resource ").append(e.resource().uri()).append(']');
                    case McpSchema.ResourceLink l -> sb.append("[resource ").append(l.uri()).append(']');
                    case McpSchema.ImageContent i -> sb.append("[image ").append(i.mimeType()).append(']');
                    case McpSchema.AudioContent a -> sb.append("[audio ").append(a.mimeType()).append(']');
                    default -> sb.append('[').append(c.type()).append(']');
                }
            }
            if (sb.isEmpty() && r.structuredContent() != null) sb.append(Json.MAPPER.valueToTree(r.structuredContent()).toString());
            return new ToolResult(sb.toString(), Boolean.TRUE.equals(r.isError()));
        }
    }
}
