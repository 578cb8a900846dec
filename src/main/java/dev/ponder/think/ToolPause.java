package dev.ponder.think;

import java.util.Optional;

/**
 * One tool step of a pause: find the first complete inline call in text the model generated, run it through a
 * {@link ToolRunner}, record a {@link TraceEvent.ToolCall} and give the text to continue from. The controller
 * then decodes again after {@link Step#text()}.
 *
 * <p>Safety: pass only text the model generated (never the prompt, the question or injected evidence), and
 * only from where the last step left off; only tools the runner {@linkplain ToolRunner#has(String) has} are
 * called; the inserted result is {@linkplain ToolCallParser#neutralise(String) neutralised} so it cannot itself
 * read as a call.
 */
public final class ToolPause {
    /**
     * A call that ran.
     *
     * @param call where the call is in the generated text, the tool and its arguments
     * @param kept the generated text up to and including {@code >>} (anything the model wrote past it is dropped)
     * @param inserted the result text placed right after {@code >>}
     * @param event the trace event recorded
     */
    public record Step(ToolCallParser.Call call, String kept, String inserted, TraceEvent.ToolCall event) {
        /** The text to continue decoding from: {@code kept + inserted}. */
        public String text() {
            return kept + inserted;
        }
    }

    private final ToolRunner runner;

    public ToolPause(ToolRunner runner) {
        this.runner = runner;
    }

    /** The first call in the generation's text, run (see {@link #run(int, String, int, Trace)}). */
    public Optional<Step> run(int pause, Generation generated, Trace trace) {
        return run(pause, generated.text(), 0, trace);
    }

    /**
     * Runs the first complete call to a known tool in {@code generated} at or after {@code from} and adds its
     * {@link TraceEvent.ToolCall} to {@code trace}; empty (and nothing recorded) when there is none.
     *
     * @param pause the pause the call belongs to (0 while drafting)
     * @param generated text the model generated, and only that
     * @param from where to start looking: the end of the previous step's {@link Step#text()}, or 0
     */
    public Optional<Step> run(int pause, String generated, int from, Trace trace) {
        Optional<ToolCallParser.Call> found = ToolCallParser.firstCall(generated, from, runner::has);
        if (found.isEmpty()) return Optional.empty();
        ToolCallParser.Call call = found.get();
        long t0 = System.nanoTime();
        ToolRunner.Output r;
        try {
            r = runner.run(call.tool(), call.arguments());
        } catch (RuntimeException e) {
            r = new ToolRunner.Output("error", true, "tool failed: " + e.getMessage());
        }
        long nanos = System.nanoTime() - t0;
        String inserted = ToolCallParser.neutralise(r.text());
        TraceEvent.ToolCall event = new TraceEvent.ToolCall(pause, call.tool(), call.arguments(), r.detail(), r.isError(), nanos);
        trace.add(event);
        return Optional.of(new Step(call, generated.substring(0, call.end()), inserted, event));
    }
}
