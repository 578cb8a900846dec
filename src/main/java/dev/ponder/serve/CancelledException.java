package dev.ponder.serve;

/** Thrown to a request thread whose generation was cancelled (its client disconnected). */
public final class CancelledException extends RuntimeException {
    public CancelledException() {
        super("generation cancelled", null, false, false);
    }
}
