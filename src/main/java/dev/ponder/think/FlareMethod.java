package dev.ponder.think;

import java.util.ArrayList;
import java.util.List;

/**
 * FLARE-style active retrieval (Jiang et al., 2023, "direct" variant): draft the answer; if any token's
 * probability is below {@code theta}, retrieve with the question plus the draft with its unsure tokens masked
 * out, and regenerate; repeat while unsure and within the budget. Uncalibrated token threshold, no abstention
 * beyond the model's own "unknown".
 */
public final class FlareMethod implements Method {
    private final Drafter drafter;
    private final Retriever retriever;
    private final double theta;

    public FlareMethod(Drafter drafter, Retriever retriever, double theta) {
        this.drafter = drafter;
        this.retriever = retriever;
        this.theta = theta;
    }

    @Override
    public String name() {
        return "flare";
    }

    @Override
    public Result answer(String question) {
        long t0 = System.nanoTime();
        Trace trace = new Trace();
        trace.add(new TraceEvent.Start(question, name(), drafter.backend().name()));
        List<Passage> evidence = new ArrayList<>();
        int[] evTokens = {0};
        Drafter.Drafted d = drafter.draft(question, evidence, "", 0, trace);
        int generated = d.generation().tokens().size(), pauses = 0;
        while (pauses < drafter.budget().maxPauses() && d.generation().minProb() < theta
                && System.nanoTime() - t0 < drafter.budget().maxNanos()) {
            pauses++;
            int weak = d.generation().weakestToken();
            trace.add(new TraceEvent.Trigger(pauses, "a token below probability " + theta, d.confidence(), theta,
                    weak < 0 ? "" : d.generation().tokens().get(weak).text(), d.generation().minProb(), "retrieve"));
            StringBuilder query = new StringBuilder(question);
            for (TokenSignal s : d.generation().tokens()) if (s.prob() >= theta) query.append(s.text());
            List<Passage> hits = retriever.search(query.toString(), drafter.budget().passagesPerPause() + evidence.size() + 2);
            List<Passage> taken = drafter.take(hits, evidence, evTokens);
            trace.add(new TraceEvent.Retrieve(pauses, query.toString(), Drafter.hits(hits, taken)));
            if (taken.isEmpty()) break;
            trace.add(new TraceEvent.Rollback(pauses, 0, "", d.generation().text()));
            trace.add(new TraceEvent.Inject(pauses, taken.stream().map(Passage::docId).toList(), Drafter.injected(evidence)));
            d = drafter.draft(question, evidence, "", pauses, trace);
            generated += d.generation().tokens().size();
        }
        long nanos = System.nanoTime() - t0;
        trace.add(new TraceEvent.Outcome(d.answer(), d.unknown(), d.confidence(),
                d.unknown() ? "the model says it does not know" : "answered", pauses, pauses, evTokens[0], generated, nanos));
        return new Result(question, d.answer(), d.unknown(), d.confidence(), trace, pauses, pauses, evTokens[0], generated, nanos);
    }
}
