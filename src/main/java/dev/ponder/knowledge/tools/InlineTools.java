package dev.ponder.knowledge.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.engine.PonderException;
import dev.ponder.think.ToolCallParser;
import dev.ponder.think.ToolRunner;
import java.util.Optional;

/**
 * Inline tool calls ({@code <<NAME ARGS>>}, syntax on {@link ToolCallParser}) run through a
 * {@link ToolRegistry}: the {@link ToolRunner} the controller's {@link dev.ponder.think.ToolPause} uses.
 *
 * <p>ARGS starting with <code>{</code> are a JSON object; anything else is the tool's plain form
 * ({@link Tool#plainArguments(String)}). The text inserted after {@code >>} is the result, or {@value #ERROR}
 * for any failure (the full message goes to the trace): for {@code calc} this is byte for byte what the world's
 * calculator call inserts.
 */
public final class InlineTools implements ToolRunner {
    /** Inserted after a call that failed. */
    public static final String ERROR = "error";

    /**
     * A call found in text and run.
     *
     * @param call the call's place, tool and arguments
     * @param result what it produced
     */
    public record Inline(ToolCallParser.Call call, Output result) {
        /** The text to insert right after the call. */
        public String insert() {
            return result.text();
        }
    }

    private final ToolRegistry registry;

    public InlineTools(ToolRegistry registry) {
        this.registry = registry;
    }

    public ToolRegistry registry() {
        return registry;
    }

    @Override
    public boolean has(String tool) {
        return registry.find(tool).isPresent();
    }

    @Override
    public Output run(String tool, String arguments) {
        Optional<Tool> t = registry.find(tool);
        if (t.isEmpty()) return new Output(ERROR, true, "no tool named '" + tool + "'");
        JsonNode args;
        try {
            args = parse(t.get(), arguments.strip());
        } catch (RuntimeException e) {
            return new Output(ERROR, true, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        ToolResult r = registry.call(tool, args);
        return r.isError() ? new Output(ERROR, true, r.text()) : new Output(r.text(), false, r.text());
    }

    /**
     * The first complete call to a registered tool in {@code text} at or after {@code from}, run; like the
     * world's {@code CalcTool.firstCall}, for any tool. Pass only text the model generated.
     */
    public Optional<Inline> firstCall(String text, int from) {
        return ToolCallParser.firstCall(text, from, this::has).map(c -> new Inline(c, run(c.tool(), c.arguments())));
    }

    private static JsonNode parse(Tool tool, String arguments) {
        if (!arguments.startsWith("{")) return tool.plainArguments(arguments);
        JsonNode node;
        try {
            node = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(arguments);
        } catch (JsonProcessingException e) {
            throw new PonderException("arguments of " + tool.name() + " are not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw new PonderException("arguments of " + tool.name() + " are not a JSON object");
        return node;
    }
}
