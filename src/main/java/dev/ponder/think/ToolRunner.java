package dev.ponder.think;

/**
 * Runs a tool the model called inline ({@code <<NAME ARGS>>}, see {@link ToolCallParser}). The controller
 * knows only this interface; {@code dev.ponder.knowledge.tools.InlineTools} implements it over a registry of
 * built-in and MCP tools, so {@code think} depends on no tool.
 */
public interface ToolRunner {
    /**
     * What a call produced.
     *
     * @param text the text to insert after the call (for an error, a short message such as {@code error})
     * @param isError whether the call failed (unknown arguments, tool error, time or size limit)
     * @param detail the full result or error message for the trace (may equal {@code text})
     */
    record Output(String text, boolean isError, String detail) {}

    /** A runner with no tools: nothing the model writes is ever a call. */
    ToolRunner NONE = new ToolRunner() {
        @Override
        public boolean has(String tool) {
            return false;
        }

        @Override
        public Output run(String tool, String arguments) {
            return new Output("error", true, "no tool named " + tool);
        }
    };

    /** Whether {@code tool} is a registered tool; text naming any other tool is not a call. */
    boolean has(String tool);

    /**
     * Runs {@code tool} on {@code arguments} (the text between the name and {@code >>}: the tool's plain form
     * or a JSON object). Never throws for a bad call: failures are error results.
     */
    Output run(String tool, String arguments);
}
