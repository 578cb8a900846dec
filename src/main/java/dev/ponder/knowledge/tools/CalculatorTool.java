package dev.ponder.knowledge.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ponder.engine.PonderException;

/**
 * {@code calc}: exact rational arithmetic ({@link Calculator}; grammar on {@link Expr}: integers, decimals,
 * {@code + - * /}, parentheses). The result is an integer ({@code 44}) or a reduced fraction ({@code 7/3});
 * an expression that does not parse or divides by zero is an error. Plain form: {@code <<calc 2031-1987>>};
 * JSON form: {@code <<calc {"expression":"2031-1987"}>>}. Inline, an error reads {@code error}, exactly as the
 * world's calculator call that ponder-nano was trained on.
 */
public final class CalculatorTool implements Tool {
    /** The tool's name. */
    public static final String NAME = "calc";

    private static final JsonNode SCHEMA = Json.parse("""
            {"type":"object",
             "properties":{"expression":{"type":"string",
               "description":"integers, decimals, + - * / and parentheses, e.g. (2031-1987)*3/4"}},
             "required":["expression"]}""");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Exact arithmetic on integers, decimals and fractions: + - * / and parentheses; the result is an integer or a reduced fraction.";
    }

    @Override
    public JsonNode inputSchema() {
        return SCHEMA;
    }

    @Override
    public String usage() {
        return "<<calc EXPRESSION>>";
    }

    @Override
    public JsonNode plainArguments(String text) {
        return JsonNodeFactory.instance.objectNode().put("expression", text);
    }

    @Override
    public ToolResult call(JsonNode arguments) {
        JsonNode e = arguments.path("expression");
        if (!e.isTextual()) return ToolResult.error("calc needs {\"expression\": \"...\"}");
        try {
            return ToolResult.ok(Calculator.evaluate(e.asText().strip()).toString());
        } catch (PonderException ex) {
            return ToolResult.error(ex.getMessage());
        }
    }
}
