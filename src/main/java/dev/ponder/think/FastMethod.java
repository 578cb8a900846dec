package dev.ponder.think;

import java.util.List;

/** Plain greedy decoding, no exploration: the baseline every pause must beat. */
public final class FastMethod implements Method {
    private final Drafter drafter;

    public FastMethod(Drafter drafter) {
        this.drafter = drafter;
    }

    @Override
    public String name() {
        return "fast";
    }

    @Override
    public Result answer(String question) {
        long t0 = System.nanoTime();
        Trace trace = new Trace();
        trace.add(new TraceEvent.Start(question, name(), drafter.backend().name()));
        Drafter.Drafted d = drafter.draft(question, List.of(), "", 0, trace);
        long nanos = System.nanoTime() - t0;
        trace.add(new TraceEvent.Outcome(d.answer(), d.unknown(), d.confidence(), d.unknown() ? "the model says it does not know" : "answered",
                0, 0, 0, d.generation().tokens().size(), nanos));
        return new Result(question, d.answer(), d.unknown(), d.confidence(), trace, 0, 0, 0, d.generation().tokens().size(), nanos);
    }
}
