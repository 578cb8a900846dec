package dev.ponder.knowledge.tools;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.PonderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpConfigTest {
    @Test
    void readsClaudeDesktopAndVsCodeFormats() {
        McpConfig c = McpConfig.parse("""
                {"mcpServers": {
                   "everything": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"],
                                  "env": {"K": "v"}, "network": true, "disabled": false},
                   "remote": {"url": "http://127.0.0.1:3001/mcp", "headers": {"Authorization": "Bearer t"}}}}""");
        assertEquals(2, c.servers().size());
        McpConfig.Server s = c.servers().get(0);
        assertEquals(McpConfig.Server.stdio("everything", "npx", List.of("-y", "@modelcontextprotocol/server-everything"), Map.of("K", "v"), true), s);
        McpConfig.Server r = c.servers().get(1);
        assertFalse(r.isStdio());
        assertEquals("http://127.0.0.1:3001/mcp", r.url());
        assertEquals(Map.of("Authorization", "Bearer t"), r.headers());
        McpConfig vs = McpConfig.parse("{\"servers\": {\"x\": {\"type\": \"stdio\", \"command\": \"node\"}}}");
        assertFalse(vs.servers().getFirst().network(), "no network unless the config says so");
        assertEquals(List.of(), vs.servers().getFirst().args());
    }

    @Test
    void badConfigIsOneClearLine(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"{", "not valid JSON"},
            {"[]", "expected a JSON object"},
            {"{}", "no \"mcpServers\" object"},
            {"{\"mcpServers\": []}", "must be an object of named servers"},
            {"{\"mcpServers\": {\"a\": {}}}", "server \"a\" needs exactly one of \"command\""},
            {"{\"mcpServers\": {\"a\": {\"command\": \"x\", \"url\": \"http://h\"}}}", "needs exactly one of"},
            {"{\"mcpServers\": {\"a\": {\"command\": \"x\", \"args\": \"-y\"}}}", "\"args\" must be an array of strings"},
            {"{\"mcpServers\": {\"a\": {\"command\": \"x\", \"args\": [1]}}}", "\"args\" must be an array of strings"},
            {"{\"mcpServers\": {\"a\": {\"command\": \"x\", \"env\": {\"K\": 1}}}}", "\"env\".K must be a string"},
            {"{\"mcpServers\": {\"a\": {\"command\": \"x\", \"network\": \"yes\"}}}", "\"network\" must be true or false"},
            {"{\"mcpServers\": {\"a\": {\"command\": \"\"}}}", "\"command\" is empty"},
            {"{\"mcpServers\": {\"a\": {\"url\": \"ftp://h\"}}}", "must start with http:// or https://"},
            {"{\"mcpServers\": {\"a\": {\"type\": \"sse\", \"url\": \"http://h/sse\"}}}", "type \"sse\" is not supported"},
        };
        for (String[] c : cases) {
            PonderException e = assertThrows(PonderException.class, () -> McpConfig.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        Path f = dir.resolve("mcp.json");
        Files.writeString(f, "{\"mcpServers\": {\"a\": {}}}");
        assertTrue(assertThrows(PonderException.class, () -> McpConfig.read(f)).getMessage().startsWith("MCP config " + f + ": server \"a\""));
        assertTrue(assertThrows(PonderException.class, () -> McpConfig.read(dir.resolve("none.json"))).getMessage().startsWith("cannot read MCP config"));
    }

    @Test
    void sandboxWrapsStdioServersUnlessNetworkIsAllowed() {
        McpConfig.Server open = McpConfig.Server.stdio("s", "node", List.of("a.js"), Map.of(), true);
        assertEquals(List.of("node", "a.js"), McpSandbox.command(open));
        McpConfig.Server closed = McpConfig.Server.stdio("s", "node", List.of("a.js"), Map.of(), false);
        if (McpSandbox.networkIsolationAvailable()) {
            List<String> cmd = McpSandbox.command(closed);
            assertEquals("unshare", cmd.getFirst());
            assertEquals(List.of("--", "node", "a.js"), cmd.subList(cmd.size() - 3, cmd.size()));
        } else {
            PonderException e = assertThrows(PonderException.class, () -> McpSandbox.command(closed));
            assertTrue(e.getMessage().contains("set \"network\": true"), e.getMessage());
        }
        Map<String, String> env = McpSandbox.environment(Map.of("K", "v"));
        assertEquals("v", env.get("K"));
        for (String k : env.keySet()) assertTrue(k.equals("K") || McpSandbox.PASSED.contains(k), k);
    }
}
