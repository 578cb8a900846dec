package dev.ponder.serve;

import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.sampling.Sampler;
import dev.ponder.engine.tokenizer.StreamDecoder;
import dev.ponder.think.TokenSignal;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One generation submitted to a {@link BatchingBackend}: the prompt, how to choose tokens and when to stop.
 * The scheduler thread advances it; the request thread reads its {@link Event}s as they come, so a slow
 * client never holds up the shared decode loop.
 */
public final class Job {
    /** What a job reports, in order: tokens, then exactly one {@link Done} or {@link Failed}. */
    public sealed interface Event {}

    /**
     * A generated token.
     *
     * @param signal the token and its distribution's signals (with {@code top} holding at least the requested
     *     number of alternatives)
     * @param included false for the token that ran into a stop string (it is not part of the output)
     * @param text output text released at this step (text held back while it might start a stop string comes
     *     out later; may be empty)
     */
    public record Token(TokenSignal signal, boolean included, String text) implements Event {}

    /**
     * The end of a job.
     *
     * @param finishReason {@code stop} (end-of-generation token or a stop string) or {@code length}
     * @param promptTokens prompt tokens
     * @param reusedTokens prompt tokens whose KV cache came from the prefix cache
     * @param generated tokens generated (the one that hit a stop string included)
     * @param tail text released at the end (held back until then)
     */
    public record Done(String finishReason, int promptTokens, int reusedTokens, int generated, String tail) implements Event {}

    /** The job failed or was cancelled ({@link CancelledException}). */
    public record Failed(RuntimeException error) implements Event {}

    final int[] prompt;
    final Sampler sampler;
    final int maxTokens;
    final int topLogprobs;
    final CancelToken cancel;
    final StopMatcher stops;
    final boolean ignoreEos;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    // scheduler state (touched only by the scheduler thread)
    Sequence seq;
    Distribution next;
    StreamDecoder stream;
    int generated;
    int reused;

    Job(int[] prompt, Sampler sampler, int maxTokens, List<String> stops, int topLogprobs, boolean ignoreEos, CancelToken cancel) {
        this.prompt = prompt;
        this.ignoreEos = ignoreEos;
        this.sampler = sampler;
        this.maxTokens = maxTokens;
        this.stops = new StopMatcher(stops);
        this.topLogprobs = topLogprobs;
        this.cancel = cancel;
    }

    /** A job whose events are already known (a backend that is not batched answered it). */
    static Job completed(List<Event> events) {
        Job j = new Job(new int[0], null, 0, List.of(), 0, false, CancelToken.NEVER);
        for (Event e : events) j.emit(e);
        return j;
    }

    /** Number of prompt tokens. */
    public int promptTokens() {
        return prompt.length;
    }

    /** The next event, waiting for it. */
    public Event take() {
        try {
            return events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel.cancel();
            throw new CancelledException();
        }
    }

    /** The next event, or null if none arrives within {@code millis}. */
    public Event poll(long millis) {
        try {
            return events.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel.cancel();
            throw new CancelledException();
        }
    }

    void emit(Event e) {
        events.add(e);
    }
}
