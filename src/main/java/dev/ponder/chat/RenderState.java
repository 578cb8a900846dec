package dev.ponder.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.time.Clock;

/**
 * What one render needs beyond the template's variables: the clock behind {@code strftime_now} and the first
 * error raised. Jinjava calls filters, tests and functions by reflection and records whatever they throw as
 * a template error rather than letting it through, so the error that Jinja2 would have stopped at is also
 * kept here, and {@link ChatTemplate} reports it however jinjava carried on.
 */
final class RenderState {
    /** The context key under which the state sits in the interpreter's root scope. */
    static final String KEY = "__ponder_render_state__";

    final Clock clock;
    private TemplateAbort firstError;

    RenderState(Clock clock) {
        this.clock = clock;
    }

    /** The state of the render under way on this thread, or null outside a render. */
    static RenderState current() {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        return interpreter == null ? null : (RenderState) interpreter.getContext().get(KEY);
    }

    void record(TemplateAbort error) {
        if (firstError == null) firstError = error;
    }

    TemplateAbort firstError() {
        return firstError;
    }
}
