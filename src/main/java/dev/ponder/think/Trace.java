package dev.ponder.think;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The events of one answer, in order; written as JSON lines. */
public final class Trace {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<TraceEvent> events = new ArrayList<>();
    private final Consumer<TraceEvent> listener;

    /** An empty trace. */
    public Trace() {
        this(e -> {});
    }

    /** An empty trace that also hands every event to {@code listener} as it is added (e.g. to stream it). */
    public Trace(Consumer<TraceEvent> listener) {
        this.listener = listener;
    }

    public void add(TraceEvent e) {
        events.add(e);
        listener.accept(e);
    }

    public List<TraceEvent> events() {
        return List.copyOf(events);
    }

    /** The events of type {@code type}, in order. */
    public <T extends TraceEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (TraceEvent e : events) if (type.isInstance(e)) out.add(type.cast(e));
        return out;
    }

    /** One JSON object per event and line (each with {@code "type"}). */
    public String toJsonLines() {
        StringBuilder sb = new StringBuilder();
        for (TraceEvent e : events) sb.append(toJson(e)).append('\n');
        return sb.toString();
    }

    /** One event as a JSON object. */
    public static String toJson(TraceEvent e) {
        try {
            return JSON.writerFor(TraceEvent.class).writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Parses JSON lines written by {@link #toJsonLines()}. */
    public static Trace parse(String jsonLines) throws JsonProcessingException {
        Trace t = new Trace();
        for (String line : jsonLines.split("\n")) if (!line.isBlank()) t.add(JSON.readValue(line, TraceEvent.class));
        return t;
    }
}
