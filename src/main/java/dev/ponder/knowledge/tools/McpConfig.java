package dev.ponder.knowledge.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MCP servers to connect to, in the JSON format of Claude Desktop ({@code "mcpServers"}) and VS Code
 * ({@code "servers"}):
 * <pre>
 * {"mcpServers": {
 *    "everything": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"],
 *                   "env": {"KEY": "value"}, "network": false},
 *    "remote":     {"url": "http://127.0.0.1:3001/mcp", "headers": {"Authorization": "Bearer ..."}}}}
 * </pre>
 * A server has either {@code command} (stdio; optional {@code args}, {@code env}, {@code network}) or
 * {@code url} (streamable HTTP; optional {@code headers}); {@code type} may say {@code stdio} or {@code http}.
 * Other keys are ignored. {@code network} (Ponder's own key, default false) lets a stdio server reach the
 * network; see {@link McpSandbox}.
 *
 * @param servers the servers in file order
 */
public record McpConfig(List<Server> servers) {
    /**
     * One server.
     *
     * @param name its key in the file (used to prefix its tool names on a clash)
     * @param command the program to start (stdio), or null
     * @param args the program's arguments
     * @param env variables added to the server's otherwise clean environment
     * @param network whether a stdio server may use the network
     * @param url the streamable HTTP endpoint, or null
     * @param headers HTTP headers sent with every request
     */
    public record Server(String name, String command, List<String> args, Map<String, String> env, boolean network,
                         String url, Map<String, String> headers) {
        public Server {
            args = List.copyOf(args);
            env = Map.copyOf(env);
            headers = Map.copyOf(headers);
        }

        /** A stdio server. */
        public static Server stdio(String name, String command, List<String> args, Map<String, String> env, boolean network) {
            return new Server(name, command, args, env, network, null, Map.of());
        }

        /** A streamable HTTP server. */
        public static Server http(String name, String url) {
            return new Server(name, null, List.of(), Map.of(), true, url, Map.of());
        }

        public boolean isStdio() {
            return command != null;
        }
    }

    public McpConfig {
        servers = List.copyOf(servers);
    }

    /** Reads a config file; throws {@link PonderException} naming the file and the problem. */
    public static McpConfig read(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new PonderException("cannot read MCP config " + file + ": " + e.getMessage());
        }
        try {
            return parse(json);
        } catch (PonderException e) {
            throw new PonderException("MCP config " + file + ": " + e.getMessage());
        }
    }

    /** Parses a config; throws {@link PonderException} with a one-line message on anything malformed. */
    public static McpConfig parse(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PonderException("not valid JSON (line " + e.getLocation().getLineNr() + "): " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new PonderException("expected a JSON object with \"mcpServers\"");
        JsonNode servers = root.has("mcpServers") ? root.get("mcpServers") : root.get("servers");
        if (servers == null) throw new PonderException("no \"mcpServers\" object");
        if (!servers.isObject()) throw new PonderException("\"mcpServers\" must be an object of named servers");
        List<Server> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : servers.properties()) out.add(server(e.getKey(), e.getValue()));
        return new McpConfig(out);
    }

    private static Server server(String name, JsonNode s) {
        String where = "server \"" + name + "\"";
        if (!s.isObject()) throw new PonderException(where + " must be an object");
        String type = optionalText(s, "type", where);
        boolean hasCommand = s.has("command"), hasUrl = s.has("url");
        if (hasCommand == hasUrl) throw new PonderException(where + " needs exactly one of \"command\" (stdio) or \"url\" (streamable HTTP)");
        if (type != null && !(type.equals(hasCommand ? "stdio" : "http") || !hasCommand && type.equals("streamable-http"))) {
            throw new PonderException(where + ": type \"" + type + "\" is not supported with " + (hasCommand ? "\"command\" (use stdio)" : "\"url\" (use http: streamable HTTP)"));
        }
        boolean network = false;
        if (s.has("network")) {
            if (!s.get("network").isBoolean()) throw new PonderException(where + ": \"network\" must be true or false");
            network = s.get("network").asBoolean();
        }
        if (hasCommand) {
            String command = optionalText(s, "command", where);
            if (command.isBlank()) throw new PonderException(where + ": \"command\" is empty");
            return Server.stdio(name, command, strings(s, "args", where), stringMap(s, "env", where), network);
        }
        String url = optionalText(s, "url", where);
        if (!url.startsWith("http://") && !url.startsWith("https://")) throw new PonderException(where + ": \"url\" must start with http:// or https://");
        return new Server(name, null, List.of(), Map.of(), true, url, stringMap(s, "headers", where));
    }

    private static String optionalText(JsonNode s, String key, String where) {
        JsonNode v = s.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new PonderException(where + ": \"" + key + "\" must be a string");
        return v.asText();
    }

    private static List<String> strings(JsonNode s, String key, String where) {
        JsonNode v = s.get(key);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new PonderException(where + ": \"" + key + "\" must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode x : v) {
            if (!x.isTextual()) throw new PonderException(where + ": \"" + key + "\" must be an array of strings");
            out.add(x.asText());
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode s, String key, String where) {
        JsonNode v = s.get(key);
        if (v == null || v.isNull()) return Map.of();
        if (!v.isObject()) throw new PonderException(where + ": \"" + key + "\" must be an object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) throw new PonderException(where + ": \"" + key + "\"." + e.getKey() + " must be a string");
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
