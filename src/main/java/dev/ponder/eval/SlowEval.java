package dev.ponder.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.Method;
import dev.ponder.think.Result;
import dev.ponder.think.Trace;
import dev.ponder.think.TraceEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs several answering methods on the same questions and scores them. Every method answers a question before
 * the next question starts, so their latencies are measured under the same conditions in one run. An
 * abstention is right only on N (unanswerable) questions; an answer is right when the question's checker accepts
 * it. Each method's traces are written to {@code traces/METHOD.jsonl}, one question per line.
 */
public final class SlowEval {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlowEval() {}

    /** Scores {@code r} on {@code q}. */
    public static Outcome outcome(EvalQuestion q, Result r) {
        boolean correct = r.abstained() ? q.category() == Category.N : CalibrationFitter.isRight(q, r.answer());
        List<TraceEvent.Draft> drafts = r.trace() == null ? List.of() : r.trace().of(TraceEvent.Draft.class);
        boolean draftCorrect = drafts.isEmpty() ? correct : CalibrationFitter.isRight(q, drafts.getLast().answer());
        return new Outcome(q.id(), q.category().name(), r.answer(), r.abstained(), correct, r.confidence(), r.retrievals(),
                r.retrievedTokens(), r.generatedTokens(), r.pauses(), r.nanos(), draftCorrect);
    }

    /** Questions every method answers, unrecorded, before the measured run (JIT warm-up). */
    static final int WARM_UP = 25;

    /** Runs every method on every question (after a warm-up); traces go to {@code tracesDir} if not null. */
    public static Map<String, List<Outcome>> run(List<EvalQuestion> questions, Map<String, Method> methods, Path tracesDir,
                                                 Consumer<EvalQuestion> onEach) throws IOException {
        Map<String, List<Outcome>> out = new LinkedHashMap<>();
        Map<String, BufferedWriter> traces = new LinkedHashMap<>();
        for (String m : methods.keySet()) out.put(m, new ArrayList<>());
        if (tracesDir != null) {
            Files.createDirectories(tracesDir);
            for (String m : methods.keySet()) traces.put(m, Files.newBufferedWriter(tracesDir.resolve(m + ".jsonl")));
        }
        try {
            // warm-up, not recorded: every method on a spread of the questions, so that latencies compare methods in
            // a compiled JVM instead of charging the JIT's first minutes to whichever method runs first
            for (int i = 0, step = Math.max(1, questions.size() / WARM_UP); i < questions.size(); i += step)
                for (Method m : methods.values()) m.answer(questions.get(i).question());
            for (EvalQuestion q : questions) {
                for (Map.Entry<String, Method> e : methods.entrySet()) {
                    Result r = e.getValue().answer(q.question());
                    out.get(e.getKey()).add(outcome(q, r));
                    BufferedWriter w = traces.get(e.getKey());
                    if (w != null) w.write(traceLine(q, r.trace()) + "\n");
                }
                if (onEach != null) onEach.accept(q);
            }
        } finally {
            for (BufferedWriter w : traces.values()) w.close();
        }
        return out;
    }

    /** One question's trace as one JSON line: {@code {"id":…,"category":…,"events":[…]}}. */
    public static String traceLine(EvalQuestion q, Trace trace) throws IOException {
        StringBuilder sb = new StringBuilder("{\"id\":").append(JSON.writeValueAsString(q.id()))
                .append(",\"category\":\"").append(q.category().name()).append("\",\"events\":[");
        boolean first = true;
        for (TraceEvent e : trace.events()) {
            sb.append(first ? "" : ",").append(Trace.toJson(e));
            first = false;
        }
        return sb.append("]}").toString();
    }
}
