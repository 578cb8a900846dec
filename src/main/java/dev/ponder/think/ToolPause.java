package dev.ponder.think;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * A continuation decoded with tools.
     *
     * @param text what follows the context: the model's text with every call's result inserted after its {@code >>}
     * @param generations the backend's generations in order (each continues the context plus the text so far;
     *                    the tokens of a generation may run past a call's {@code >>}, which {@code text} drops)
     * @param steps the calls run, in order
     */
    public record Decoded(String text, List<Generation> generations, List<Step> steps) {}

    private final ToolRunner runner;

    /**
     * True if text starting with {@code c} would extend a number a tool has just inserted (a digit, {@code .} or
     * {@code /}): the result is exact and complete, so such a continuation (the model guessing at the number it was
     * trained to predict) is not taken.
     */
    public static boolean extendsResult(char c) {
        return Character.isDigit(c) || c == '.' || c == '/';
    }

    public ToolPause(ToolRunner runner) {
        this.runner = runner;
    }

    /**
     * Decodes a continuation of {@code context} that may call tools: generate; if the text holds a complete
     * call, run it, cut after {@code >>}, insert the result and generate again from there; stop when a
     * generation has no call, after {@code maxCalls} calls, or when {@code maxTokens} generated tokens are spent.
     * Only the generated text is scanned, each part only from where the last result ended.
     */
    public Decoded decode(Backend backend, String context, int maxTokens, String stop, int maxCalls, int pause, Trace trace) {
        List<Generation> generations = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        String text = "";
        int left = maxTokens;
        while (true) {
            Generation g = backend.generate(context + text, left, stop);
            generations.add(g);
            left -= g.tokens().size();
            int from = text.length();
            text += g.text();
            if (steps.size() == maxCalls) break;
            Optional<Step> step = run(pause, text, from, trace);
            if (step.isEmpty()) break;
            steps.add(step.get());
            text = step.get().text();
            if (left <= 0) break;
        }
        return new Decoded(text, generations, steps);
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
