package dev.ponder.serve;

/**
 * Set once when the client of a request goes away (or the request is abandoned); every generation job
 * submitted under it is then stopped by the scheduler at its next step and its sequence freed.
 */
public final class CancelToken {
    /** A token that is never cancelled. */
    public static final CancelToken NEVER = new CancelToken();

    private volatile boolean cancelled;

    /** Marks the request cancelled (idempotent). */
    public void cancel() {
        if (this != NEVER) cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
