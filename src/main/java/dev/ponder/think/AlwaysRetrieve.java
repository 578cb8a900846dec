package dev.ponder.think;

import java.util.ArrayList;
import java.util.List;

/** Retrieval-augmented generation as RAG platforms do it: retrieve for every question with the question as query, then answer. */
public final class AlwaysRetrieve implements Method {
    private final Drafter drafter;
    private final Retriever retriever;

    public AlwaysRetrieve(Drafter drafter, Retriever retriever) {
        this.drafter = drafter;
        this.retriever = retriever;
    }

    @Override
    public String name() {
        return "rag";
    }

    @Override
    public Result answer(String question) {
        long t0 = System.nanoTime();
        Trace trace = new Trace();
        trace.add(new TraceEvent.Start(question, name(), drafter.backend().name()));
        List<Passage> evidence = new ArrayList<>();
        int[] evTokens = {0};
        List<Passage> hits = retriever.search(question, drafter.budget().passagesPerPause() + 2);
        List<Passage> taken = drafter.take(hits, evidence, evTokens);
        trace.add(new TraceEvent.Retrieve(1, question, Drafter.hits(hits, taken)));
        trace.add(new TraceEvent.Inject(1, taken.stream().map(Passage::docId).toList(), Drafter.injected(evidence)));
        Drafter.Drafted d = drafter.draft(question, evidence, "", 1, trace);
        long nanos = System.nanoTime() - t0;
        int gen = d.generation().tokens().size();
        trace.add(new TraceEvent.Outcome(d.answer(), d.unknown(), d.confidence(), d.unknown() ? "the evidence does not say" : "answered",
                1, 1, evTokens[0], gen, nanos));
        return new Result(question, d.answer(), d.unknown(), d.confidence(), trace, 1, 1, evTokens[0], gen, nanos);
    }
}
