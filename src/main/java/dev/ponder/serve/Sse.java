package dev.ponder.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events and notices when the client has gone: the first failed write marks the stream
 * broken and cancels the request's generations.
 */
final class Sse {
    private final OutputStream out;
    private final CancelToken cancel;
    private final Runnable beforeDone;
    private boolean broken;
    private long lastWrite = System.nanoTime();

    /** {@code beforeDone} (may be null) runs just before the {@code [DONE]} marker is written. */
    Sse(OutputStream out, CancelToken cancel, Runnable beforeDone) {
        this.out = out;
        this.cancel = cancel;
        this.beforeDone = beforeDone;
    }

    /** {@code data: JSON} and a blank line. */
    boolean data(String json) {
        return write("data: " + json + "\n\n");
    }

    /**
     * An SSE comment ({@code : text}): standard clients drop it (the openai npm package's decoder skips lines
     * that start with a colon), so it can carry extra information or keep the connection checked.
     */
    boolean comment(String text) {
        return write(": " + text.replace("\n", " ").replace("\r", " ") + "\n\n");
    }

    /** The end marker OpenAI clients wait for. */
    boolean done() {
        if (beforeDone != null) beforeDone.run();
        return write("data: [DONE]\n\n");
    }

    /** A keep-alive comment if nothing was written for {@code millis}: a closed connection is found this way. */
    boolean ping(long millis) {
        if (System.nanoTime() - lastWrite < millis * 1_000_000L) return !broken;
        return comment("keep-alive");
    }

    boolean broken() {
        return broken;
    }

    private boolean write(String s) {
        if (broken) return false;
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWrite = System.nanoTime();
            return true;
        } catch (IOException | RuntimeException e) {
            broken = true;
            cancel.cancel();
            return false;
        }
    }
}
