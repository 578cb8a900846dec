package dev.ponder.engine;

/**
 * The project's own error: its message is one clear line meant for a user (what went wrong and, where it
 * helps, what to do). The CLI prints the message alone and exits non-zero; it never shows a stack trace.
 */
public class PonderException extends RuntimeException {
    public PonderException(String message) {
        super(message);
    }

    public PonderException(String message, Throwable cause) {
        super(message, cause);
    }
}
