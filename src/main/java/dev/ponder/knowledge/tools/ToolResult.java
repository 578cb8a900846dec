package dev.ponder.knowledge.tools;

/**
 * What a tool call returned.
 *
 * @param text the result, or for an error a one-line message saying what went wrong
 * @param isError whether the call failed (bad arguments, tool error, time or size limit)
 */
public record ToolResult(String text, boolean isError) {
    public ToolResult {
        if (text == null) text = "";
    }

    /** A successful result. */
    public static ToolResult ok(String text) {
        return new ToolResult(text, false);
    }

    /** A failed call with a one-line message. */
    public static ToolResult error(String message) {
        return new ToolResult(message, true);
    }
}
