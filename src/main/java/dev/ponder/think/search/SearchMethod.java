package dev.ponder.think.search;

import dev.ponder.think.Drafter;
import dev.ponder.think.Generation;
import dev.ponder.think.Method;
import dev.ponder.think.Result;
import dev.ponder.think.Trace;
import dev.ponder.think.TraceEvent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Thinking slowly on a checkable question: draft the answer greedily; if a verifier exists for the question
 * and rejects the draft, pause and search continuations of the answer ({@link Mcts} or {@link BeamSearch})
 * for one it accepts. A verified answer has confidence 1; when the search finds none, the method abstains
 * with what it tried (or, when asked to answer anyway, gives the best-scoring attempt with confidence 0).
 * Questions without a verifier get the draft, as fast mode would.
 */
public final class SearchMethod implements Method {
    private final Drafter drafter;
    private final Search search;
    private final Function<String, Optional<Verifier>> verifiers;
    private final SearchBudget budget;
    private final boolean answerWhenUnsure;

    /**
     * @param drafter drafts the first answer (its format gives the prompt the search continues)
     * @param search the search to run when the draft does not verify
     * @param verifiers the verifier of a question, or empty when the question cannot be checked
     * @param budget what one search may spend
     * @param answerWhenUnsure give the best unverified attempt instead of abstaining
     */
    public SearchMethod(Drafter drafter, Search search, Function<String, Optional<Verifier>> verifiers, SearchBudget budget,
                        boolean answerWhenUnsure) {
        this.drafter = drafter;
        this.search = search;
        this.verifiers = verifiers;
        this.budget = budget;
        this.answerWhenUnsure = answerWhenUnsure;
    }

    @Override
    public String name() {
        return "search:" + search.name();
    }

    @Override
    public Result answer(String question) {
        long t0 = System.nanoTime();
        Trace trace = new Trace();
        trace.add(new TraceEvent.Start(question, name(), drafter.backend().name()));
        Drafter.Drafted d = drafter.draft(question, List.of(), "", 0, trace);
        Generation g = d.generation();
        int generated = g.tokens().size();
        Optional<Verifier> verifier = verifiers.apply(question);
        if (verifier.isEmpty()) {
            return end(question, trace, d.answer(), false, d.confidence(), "no verifier for this question: the draft stands", 0, generated, t0);
        }
        Verifier.Score draftScore = d.answer().isBlank() ? Verifier.Score.rejected(0, "empty answer") : verifier.get().score(d.answer());
        if (draftScore.valid()) return end(question, trace, d.answer(), false, 1, "verified without a pause", 0, generated, t0);

        int weak = g.weakestToken();
        trace.add(new TraceEvent.Trigger(1, "the answer does not verify: " + draftScore.reason(), d.confidence(), 1,
                weak < 0 ? "" : g.tokens().get(weak).text(), g.minProb(), "search"));
        String prompt = drafter.format().prompt(question, List.of(), "");
        SearchResult r = search.run(prompt, verifier.get(), budget);
        trace.add(r.event(1));
        generated += r.tokens();
        if (r.verified()) return end(question, trace, r.best(), false, 1, "verified after a " + search.name() + " search", 1, generated, t0);
        String tried = String.format(Locale.ROOT, "no verified answer after %d nodes and %d tokens of %s search%s", r.nodes(), r.tokens(),
                search.name(), r.best().isEmpty() ? "" : "; best try: " + r.best());
        if (answerWhenUnsure && !r.best().isEmpty()) return end(question, trace, r.best(), false, 0, tried, 1, generated, t0);
        return end(question, trace, "I don't know (" + tried + ")", true, 0, tried, 1, generated, t0);
    }

    private Result end(String question, Trace trace, String answer, boolean abstained, double confidence, String reason, int pauses,
                       int generated, long t0) {
        long nanos = System.nanoTime() - t0;
        trace.add(new TraceEvent.Outcome(answer, abstained, confidence, reason, pauses, 0, 0, generated, nanos));
        return new Result(question, answer, abstained, confidence, trace, pauses, 0, 0, generated, nanos);
    }
}
