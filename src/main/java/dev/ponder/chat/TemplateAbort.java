package dev.ponder.chat;

/**
 * Carries a template error out of jinjava. Jinjava records every {@link Exception} thrown while it evaluates
 * an expression as a warning and keeps rendering, whereas Jinja2 stops at the first error; throwing an
 * {@link Error} (which jinjava does not catch) is the only way to stop it at once. {@link ChatTemplate}
 * catches it at the render boundary and turns it into a {@link ChatTemplateException}. Where jinjava does
 * intercept it (it calls filters, tests and functions by reflection, which wraps what they throw), the
 * {@link RenderState} it registers itself with still holds it. No stack trace is recorded: it is control
 * flow, not a bug report.
 */
final class TemplateAbort extends Error {
    final ChatTemplateException.Kind kind;
    final String detail;

    TemplateAbort(ChatTemplateException.Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.detail = detail;
        RenderState state = RenderState.current();
        if (state != null) state.record(this);
    }

    static TemplateAbort typeError(String detail) {
        return new TemplateAbort(ChatTemplateException.Kind.TYPE, detail);
    }

    static TemplateAbort raised(String detail) {
        return new TemplateAbort(ChatTemplateException.Kind.RAISED, detail);
    }

    static TemplateAbort valueError(String detail) {
        return new TemplateAbort(ChatTemplateException.Kind.VALUE, detail);
    }

    static TemplateAbort security(String detail) {
        return new TemplateAbort(ChatTemplateException.Kind.SECURITY, detail);
    }

    static TemplateAbort undefined(String detail) {
        return new TemplateAbort(ChatTemplateException.Kind.UNDEFINED, detail);
    }

    ChatTemplateException toException() {
        return new ChatTemplateException(kind, detail);
    }
}
