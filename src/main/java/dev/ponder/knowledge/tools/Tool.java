package dev.ponder.knowledge.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool the model can call: a name, a description, the JSON schema of its arguments, and the call itself.
 * Built-in tools compute in memory; {@link McpTools} wraps the tools of MCP servers. Call tools through a
 * {@link ToolRegistry}, which enforces the time and output limits.
 */
public interface Tool {
    /** The name the model calls it by ({@code calc}); letters, digits, {@code _ - .}, starting with a letter. */
    String name();

    /** One or two sentences for the prompt and for people. */
    String description();

    /** The JSON schema of the arguments object ({@code {"type":"object","properties":{…}}}). */
    JsonNode inputSchema();

    /** Runs the tool; failures are {@linkplain ToolResult#error(String) error results}, not exceptions. */
    ToolResult call(JsonNode arguments);

    /**
     * The arguments object for the plain-text form of an inline call ({@code <<calc 2031-1987>>} gives
     * {@code {"expression":"2031-1987"}}). The default maps the text to the schema's only string property
     * (or the only required one), and empty text to {@code {}}; throws {@link PonderException} saying the tool
     * takes a JSON object otherwise.
     */
    default JsonNode plainArguments(String text) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        if (text.isBlank()) return args;
        JsonNode props = inputSchema().path("properties");
        JsonNode required = inputSchema().path("required");
        List<String> candidates = new ArrayList<>();
        if (required.size() == 1) {
            candidates.add(required.get(0).asText());
        } else if (required.isEmpty()) {
            for (Map.Entry<String, JsonNode> p : props.properties()) candidates.add(p.getKey());
        }
        if (candidates.size() != 1 || !"string".equals(props.path(candidates.getFirst()).path("type").asText())) {
            throw new PonderException("tool " + name() + " takes a JSON object: <<" + name() + " {...}>>");
        }
        return args.put(candidates.getFirst(), text);
    }

    /** How the model writes a call, for the prompt ({@code <<calc EXPR>>}). */
    default String usage() {
        return "<<" + name() + " {JSON arguments}>>";
    }
}
