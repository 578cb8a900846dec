package dev.ponder.chat;

import dev.ponder.engine.PonderException;

/**
 * A chat template could not be rendered. The message is one line saying what the template raised, in the
 * words Jinja2 would use (for example {@code chat template raised: System role not supported} or
 * {@code chat template failed: TypeError: 'NoneType' object is not iterable}); {@link #kind()} says which
 * kind of error it was, so callers can tell a template's deliberate refusal from a broken template.
 */
public final class ChatTemplateException extends PonderException {
    /** The kind of failure, named after the Jinja2 exception class that Hugging Face's renderer raises. */
    public enum Kind {
        /** The template called {@code raise_exception(message)} (Jinja2 {@code TemplateError}). */
        RAISED("TemplateError"),
        /** An undefined name or attribute was used where a value is needed (Jinja2 {@code UndefinedError}). */
        UNDEFINED("UndefinedError"),
        /** An operation on a value of the wrong type, e.g. iterating None (Python {@code TypeError}). */
        TYPE("TypeError"),
        /** A wrong value, e.g. unpacking a pair from a triple (Python {@code ValueError}). */
        VALUE("ValueError"),
        /** The sandbox refused an operation, e.g. mutating a list (Jinja2 {@code SecurityError}). */
        SECURITY("SecurityError"),
        /** The template source does not parse (Jinja2 {@code TemplateSyntaxError}). */
        SYNTAX("TemplateSyntaxError"),
        /** Any other failure reported by the template engine. */
        OTHER("TemplateError");

        private final String pythonName;

        Kind(String pythonName) {
            this.pythonName = pythonName;
        }

        /** The Python/Jinja2 exception class name this kind corresponds to. */
        public String pythonName() {
            return pythonName;
        }
    }

    private final Kind kind;
    private final String detail;

    ChatTemplateException(Kind kind, String detail) {
        super(headline(kind, detail));
        this.kind = kind;
        this.detail = detail;
    }

    private static String headline(Kind kind, String detail) {
        String oneLine = detail.replace('\n', ' ').strip();
        return kind == Kind.RAISED
                ? "chat template raised: " + oneLine
                : "chat template failed: " + kind.pythonName() + ": " + oneLine;
    }

    /** Which kind of failure this is. */
    public Kind kind() {
        return kind;
    }

    /** The bare error text (for {@link Kind#RAISED}, exactly the template's message). */
    public String detail() {
        return detail;
    }
}
