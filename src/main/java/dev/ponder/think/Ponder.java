package dev.ponder.think;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ponder's controller: decode, detect, explore, re-check, continue.
 *
 * <ol>
 *   <li>Draft the answer greedily, reading every token's distribution; the calibrated confidence of the draft
 *       decides whether to pause (below {@link Calibration#pauseBelow()}).</li>
 *   <li>Pause: form a query from the question, the confident part of the draft and (after the first pause) the
 *       evidence read so far, so a second pause can look up the entity the first passage revealed
 *       (multi-hop); retrieve; place the new passages in the context.</li>
 *   <li>Roll back the uncertain span only: the draft up to the first unsure word is kept, the rest is decoded
 *       again after the evidence. The backend reuses the KV cache up to the first changed token.</li>
 *   <li>Re-check the new draft's calibrated confidence; stop when it reaches {@link Calibration#acceptAbove()}
 *       (and the model does not say it lacks the fact), or when the budget is spent.</li>
 *   <li>Be honest: below {@link Calibration#abstainBelow()}, or when the evidence does not say, abstain with what
 *       was tried ({@link Mode#ABSTAIN}) or answer with the stated confidence ({@link Mode#ANSWER}).</li>
 * </ol>
 */
public final class Ponder implements Method {
    /** What to do when still unsure after the budget. */
    public enum Mode { ABSTAIN, ANSWER }

    /** Probability below which a draft token starts the uncertain span. */
    public static final double SPAN_PROB = 0.5;

    private final Drafter drafter;
    private final Retriever retriever;
    private final Mode mode;
    private final StrategyChooser chooser;

    private final boolean decompose;
    /** 0 for a question asked by the user, 1 for a sub-question (an inner one may be split once more). */
    private final int depth;

    public Ponder(Drafter drafter, Retriever retriever, Mode mode) {
        this(drafter, retriever, mode, true);
    }

    /**
     * With {@code decompose} false, a question the first pause did not settle is never split. Sub-questions
     * are not split either, except an inner one, once.
     */
    public Ponder(Drafter drafter, Retriever retriever, Mode mode, boolean decompose) {
        this(drafter, retriever, mode, decompose, 0);
    }

    private Ponder(Drafter drafter, Retriever retriever, Mode mode, boolean decompose, int depth) {
        this.depth = depth;
        this.drafter = drafter;
        this.retriever = retriever;
        this.mode = mode;
        this.decompose = decompose && retriever != null;
        java.util.Set<Strategy> available = java.util.EnumSet.of(Strategy.CONSULT);
        if (retriever != null) available.add(Strategy.RETRIEVE);
        if (drafter.hasTools()) available.add(Strategy.TOOL);
        this.chooser = new StrategyChooser(available);
    }

    /** How this controller picks a pause's strategy. */
    public StrategyChooser chooser() {
        return chooser;
    }

    @Override
    public String name() {
        return "ponder";
    }

    @Override
    public Result answer(String question) {
        return answer(question, e -> {});
    }

    /** Like {@link #answer(String)}, handing each trace event to {@code onEvent} as it happens (for streaming). */
    public Result answer(String question, Consumer<TraceEvent> onEvent) {
        long t0 = System.nanoTime();
        Calibration cal = drafter.calibration();
        Budget budget = drafter.budget();
        Trace trace = new Trace(onEvent);
        trace.add(new TraceEvent.Start(question, name(), drafter.backend().name()));
        List<Passage> evidence = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        List<Passage> lastTaken = List.of();
        int[] evTokens = {0};
        Drafter.Drafted d = drafter.draft(question, evidence, "", 0, trace);
        int generated = d.generation().tokens().size(), pauses = 0;
        int subPauses = 0; // pauses of sub-questions
        Decomposed combined = null;
        // never withhold an answer without having looked: pause at least below the abstain threshold too
        double pauseBelow = Math.max(cal.pauseBelow(), cal.abstainBelow());
        boolean settled = d.confidence() >= pauseBelow && !d.unknown();
        Passage hop = null; // the unread document the last draft after reading names
        // why the last draft cannot be the answer (another class than asked, ...): a sure fast draft is checked too
        String rejected = settled ? rejection(question, d.answer(), List.of()) : null;
        // a sure computed answer whose recalled years the model's own plain answers contradict is not taken as it is
        java.util.Optional<OperandCheck.Conflict> operands = settled && rejected == null
                ? OperandCheck.check(drafter, retriever, question, d.answer()) : java.util.Optional.empty();
        String conflict = operands.map(OperandCheck.Conflict::reason).orElse(null);
        if (rejected != null || conflict != null) settled = false;
        String fastAnswer = d.answer();
        String corrected = decompose ? operands.map(c -> c.corrected(fastAnswer)).orElse(null) : null;
        if (corrected != null) { // computed again from the plain answers: the sub-questions of the calculation
            combined = recomputed(operands.get(), corrected, d, ++pauses, pauseBelow, trace);
            if (combined != null) settled = true;
        }
        boolean conflictPending = conflict != null; // the first reading pause is for it
        while (!settled && pauses < budget.maxPauses() && System.nanoTime() - t0 < budget.maxNanos()) {
            pauses++;
            Generation g = d.generation();
            int weak = g.weakestToken();
            String reason = d.unknown() ? "the model says the evidence does not give the answer"
                    : conflictPending ? conflict
                    : rejected != null ? rejected + (hop != null ? ": read its document (next hop)" : "")
                    : hop != null ? "confidence " + fmt(d.confidence()) + " below " + fmt(cal.abstainBelow()) + " and the draft names \""
                            + hop.title() + "\", which the library has a document about, not read yet: read it (next hop)"
                    : "confidence " + fmt(d.confidence()) + " below " + fmt(pauses == 1 ? pauseBelow : cal.acceptAbove());
            conflictPending = false;
            String weakest = weak < 0 ? "" : g.tokens().get(weak).text();
            StrategyChooser.Choice choice = chooser.choose(question, g.text(), weakest, false);
            trace.add(new TraceEvent.Trigger(pauses, reason, d.confidence(), pauses == 1 ? pauseBelow : cal.acceptAbove(),
                    weakest, g.minProb(), choice.strategy().label(), choice.reason()));
            // retrieve and tool both read: a number to compute needs its operands, which the library holds, and
            // every re-draft runs the model's tool calls; consult and search are not part of this loop yet
            if (retriever == null || choice.strategy() != Strategy.RETRIEVE && choice.strategy() != Strategy.TOOL) break;

            int from = beforeToolCall(g, spanStart(g));
            String before = textBefore(g, from);
            String kept = d.prefix() + before;
            // a next hop reads the document the draft named; otherwise the query is formed from what is known
            String query = hop != null ? hop.title() : query(question, kept, lastTaken, lastTaken.isEmpty() || d.unknown() ? "" : d.answer());
            queries.add(query);
            List<Passage> hits = retriever.search(query, budget.passagesPerPause() + evidence.size() + (lastTaken.isEmpty() ? 2 : 6));
            List<Passage> taken = drafter.takeCovering(question, hits, evidence, evTokens);
            // a later pause also follows the links of the passages read last (the entities they name)
            if (hop == null && !lastTaken.isEmpty()) taken.addAll(drafter.takeLinked(lastTaken, hits, evidence, evTokens));
            trace.add(new TraceEvent.Retrieve(pauses, query, Drafter.hits(hits, taken)));
            if (taken.isEmpty()) break;
            lastTaken = taken;
            trace.add(new TraceEvent.Rollback(pauses, from, kept, g.text().substring(Math.min(g.text().length(), before.length()))));
            trace.add(new TraceEvent.Inject(pauses, taken.stream().map(Passage::docId).toList(), Drafter.injected(evidence)));
            Drafter.Drafted next = drafter.draft(question, evidence, kept, pauses, trace);
            generated += next.generation().tokens().size();
            Drafter.Consultation consulted = drafter.consult(question, evidence, kept, next, budget.consultSamples(), pauses, trace);
            generated += consulted.sampledTokens();
            if (consulted.draft() != null) next = consulted.draft();
            d = next;
            hop = d.unknown() ? null : nextHop(retriever, d.answer(), evidence.stream().map(Passage::docId).toList()).orElse(null);
            rejected = d.unknown() ? null : rejection(question, d.answer(), evidence);
            settled = settled(d.confidence(), d.unknown(), hop != null, rejected != null, cal.acceptAbove(), cal.abstainBelow());
        }
        // a question about an entity described through another that reading left below the bar of a fast answer:
        // split it and answer the parts
        java.util.Optional<Decomposer.Plan> plan = decompose && combined == null && pauses >= 1 && (d.unknown() || rejected != null || d.confidence() < pauseBelow)
                && System.nanoTime() - t0 < budget.maxNanos() ? Decomposer.split(question) : java.util.Optional.empty();
        if (plan.isPresent()) {
            pauses++;
            Generation g = d.generation();
            int weak = g.weakestToken();
            String reason = d.unknown() ? "the model says the evidence does not give the answer"
                    : rejected != null ? rejected
                    : "confidence " + fmt(d.confidence()) + " below " + fmt(pauseBelow) + " after reading";
            trace.add(new TraceEvent.Trigger(pauses, reason, d.confidence(), pauseBelow, weak < 0 ? "" : g.tokens().get(weak).text(),
                    g.minProb(), Strategy.DECOMPOSE.label(), "reading did not settle a question about an entity described through "
                            + "another: answer \"" + plan.get().inner() + "\" first, then the question with that answer in place"));
            Decomposed sub = decomposed(plan.get(), pauses, trace);
            subPauses += sub.pauses;
            evTokens[0] += sub.retrievedTokens;
            generated += sub.generated;
            queries.addAll(sub.queries);
            if (sub.answer != null && (rejected != null || sub.confidence > d.confidence())) {
                combined = sub;
                // the answer now held: composed from the sub-answers, with no tokens of its own
                trace.add(new TraceEvent.Draft(pauses, sub.answer, List.of(), sub.confidence, null, 0, 0));
            }
        }
        long nanos = System.nanoTime() - t0;
        if (combined != null) { // the decomposition's answer replaces the last draft
            double c = combined.confidence;
            boolean unsure = c < cal.abstainBelow();
            boolean abstain = unsure && mode == Mode.ABSTAIN;
            String reason = abstain ? "confidence " + fmt(c) + " below " + fmt(cal.abstainBelow()) + " (decomposed)"
                    : unsure ? "answered with low confidence (decomposed)" : "confident after decomposing the question";
            String answer = abstain ? "I don't know (" + reason + (queries.isEmpty() ? "" : "; searched: " + String.join(" | ", shortQueries(queries))) + ")"
                    : combined.answer;
            int totalPauses = pauses + subPauses;
            double reported = reported(c);
            trace.add(new TraceEvent.Outcome(answer, abstain, reported, reason, totalPauses, queries.size(), evTokens[0], generated, nanos));
            return new Result(question, answer, abstain, reported, trace, totalPauses, queries.size(), evTokens[0], generated, nanos);
        }
        // an answer the library says cannot be the answer (another class, another event's year) is withheld like "unknown"
        boolean unsure = d.unknown() || rejected != null || d.confidence() < cal.abstainBelow();
        boolean abstain = unsure && (mode == Mode.ABSTAIN || d.unknown() || rejected != null);
        String reason;
        String answer;
        if (abstain) {
            reason = d.unknown() ? "the evidence found does not give the answer" : rejected != null ? rejected
                    : "confidence " + fmt(d.confidence()) + " below " + fmt(cal.abstainBelow());
            answer = "I don't know (" + reason + (queries.isEmpty() ? "" : "; searched: " + String.join(" | ", shortQueries(queries))) + ")";
        } else {
            reason = unsure ? "answered with low confidence" : pauses == 0 ? "confident without a pause" : "confident after " + pauses + " pause(s)";
            answer = d.answer();
        }
        // a rejected draft is not believed, however sure the model was of it (none of dev's was right)
        double confidence = rejected != null ? 0 : reported(d.confidence());
        trace.add(new TraceEvent.Outcome(answer, abstain, confidence, reason, pauses, queries.size(), evTokens[0], generated, nanos));
        return new Result(question, answer, abstain, confidence, trace, pauses, queries.size(), evTokens[0], generated, nanos);
    }

    /**
     * The confidence a question ends with, through the calibration's final map for a question asked by the user;
     * a sub-question keeps its own (the decomposed map is fit on the products of those).
     */
    private double reported(double confidence) {
        return depth == 0 ? drafter.calibration().reported(confidence) : confidence;
    }

    /**
     * The fast draft {@code d}'s calculation computed again as {@code corrected} (a recalled number replaced by
     * what the question or the model's plain answer gives, see {@link OperandCheck}), traced as a decomposition
     * with one {@code operand} sub-question per plain question; its confidence is the product of the plain
     * answers' confidences through the calibration's decomposed map. Null (the controller reads instead) when the
     * call does not run or its count of years comes out negative (a plain answer later than the question's year
     * is wrong).
     */
    private Decomposed recomputed(OperandCheck.Conflict c, String corrected, Drafter.Drafted d, int pause, double pauseBelow, Trace trace) {
        Generation g = d.generation();
        int weak = g.weakestToken();
        trace.add(new TraceEvent.Trigger(pause, c.reason(), d.confidence(), pauseBelow, weak < 0 ? "" : g.tokens().get(weak).text(),
                g.minProb(), Strategy.DECOMPOSE.label(), "a recalled number of the calculation: compute again with "
                        + c.replacement() + " (what the question or the model's plain answer gives)"));
        double product = 1;
        for (int i = 0; i < c.asked().size(); i++) {
            trace.add(new TraceEvent.SubQuestion(pause, "operand", c.asked().get(i), c.answers().get(i), c.confidences().get(i), false, 0, List.of()));
            product *= c.confidences().get(i);
        }
        String redone = drafter.recompute(corrected, pause, trace);
        if (redone == null || redone.matches(".*>>\\s*-\\d.*")) return null;
        Decomposed out = new Decomposed(redone, drafter.calibration().decomposed(product), 0, 0, 0, List.of());
        trace.add(new TraceEvent.Draft(pause, redone, List.of(), out.confidence, null, 0, 0));
        return out;
    }

    /**
     * Whether a draft after reading ends the loop: it is accepted (at least {@code acceptAbove}, not
     * {@code unknown}, not an entity of another class than the one asked: {@link AnswerType}) and is not a draft
     * that would be withheld (below {@code abstainBelow}) while naming a document not read yet. Such a draft usually names the bridge entity of a multi-hop question (the birth
     * city whose country is asked): reading that document is the next hop, and withholding the answer would
     * waste what the first hop found. {@link dev.ponder.eval.CalibrationFitter} replays the same rule.
     */
    public static boolean settled(double confidence, boolean unknown, boolean namesUnreadDocument, boolean rejected,
                                  double acceptAbove, double abstainBelow) {
        return confidence >= acceptAbove && !unknown && !rejected && !(confidence < abstainBelow && namesUnreadDocument);
    }

    /**
     * Why the controller does not take {@code answer} whatever its confidence (null: nothing against it): an entity
     * of another class than the question asks ({@link AnswerType}), or a year the evidence gives for another event
     * ({@link EventCheck}).
     */
    String rejection(String question, String answer, List<Passage> evidence) {
        java.util.Optional<String> type = AnswerType.mismatch(retriever, question, answer);
        if (type.isPresent()) return typeReason(question, answer, type.get());
        return EventCheck.unsupported(question, answer, Drafter.injected(evidence)).orElse(null);
    }

    /** Why a draft of the wrong class is not accepted. */
    private static String typeReason(String question, String answer, String type) {
        return "the draft \"" + answer.strip() + "\" is a" + (type.matches("[aeiou].*") ? "n " : " ") + type + " in the library, but the question "
                + AnswerType.asked(question).map(c -> "asks for a " + c).orElse("does not ask for one");
    }

    /**
     * The library document a drafted answer names, if it is not among the documents already read: the document
     * titled exactly so (case aside, {@link Retriever#titled}). Empty for answers that are not names (years,
     * numbers, tool calls, lower-case words) and without a retriever.
     */
    public static java.util.Optional<Passage> nextHop(Retriever retriever, String answer, java.util.Collection<String> readDocIds) {
        String a = answer == null ? "" : answer.strip();
        if (retriever == null || a.isEmpty() || !Character.isUpperCase(a.codePointAt(0)) || a.equalsIgnoreCase("unknown"))
            return java.util.Optional.empty();
        return retriever.titled(a).filter(p -> !readDocIds.contains(p.docId()));
    }

    /**
     * Index of the first token of the uncertain span: the first token below {@link #SPAN_PROB}, moved back to
     * the start of its word (a token whose text begins with a space, or the first token).
     */
    static int spanStart(Generation g) {
        List<TokenSignal> t = g.tokens();
        int i = 0;
        while (i < t.size() && t.get(i).prob() >= SPAN_PROB) i++;
        if (i == t.size()) i = Math.max(0, g.weakestToken());
        while (i > 0 && !t.get(i).text().startsWith(" ")) i--;
        return i;
    }

    /** What answering a decomposed question's parts gave: the outer answer (null: none) and the costs. */
    private record Decomposed(String answer, double confidence, int pauses, int retrievedTokens, int generated, List<String> queries) {}

    /**
     * Answers {@code plan}'s inner question with this loop (without splitting again), then, if it gave an answer,
     * the outer question with that answer in place. The combined confidence is the product of the two (the
     * answer is right only if both are), mapped to the rate of right decomposed answers on dev when the
     * calibration has that map. Each part runs with the whole budget of a question (it starts only while this
     * question's time budget lasts).
     */
    private Decomposed decomposed(Decomposer.Plan plan, int pause, Trace trace) {
        // the inner question may be a compound itself ("N's country of birth" inside "the capital of N's country
        // of birth") and is split once more if reading does not settle it; the outer one is asked whole
        Ponder sub = new Ponder(drafter, retriever, Mode.ABSTAIN, false, 1);
        Ponder innerSub = depth == 0 ? new Ponder(drafter, retriever, Mode.ABSTAIN, true, 1) : sub;
        Result inner = innerSub.answer(plan.inner());
        trace.add(subEvent(pause, "inner", inner));
        int pauses = inner.pauses(), tokens = inner.retrievedTokens(), generated = inner.generatedTokens();
        List<String> queries = new ArrayList<>(queriesOf(inner));
        if (inner.abstained()) return new Decomposed(null, 0, pauses, tokens, generated, queries);
        Result outer = sub.answer(plan.outer(inner.answer()));
        trace.add(subEvent(pause, "outer", outer));
        queries.addAll(queriesOf(outer));
        return new Decomposed(outer.abstained() ? null : outer.answer(), drafter.calibration().decomposed(inner.confidence() * outer.confidence()),
                pauses + outer.pauses(), tokens + outer.retrievedTokens(), generated + outer.generatedTokens(), queries);
    }

    private static TraceEvent.SubQuestion subEvent(int pause, String role, Result r) {
        List<String> docs = new ArrayList<>();
        for (TraceEvent e : r.trace().events()) if (e instanceof TraceEvent.Inject i) docs.addAll(i.docIds());
        return new TraceEvent.SubQuestion(pause, role, r.question(), r.abstained() ? "" : r.answer(), r.confidence(), r.abstained(), r.pauses(), docs);
    }

    private static List<String> queriesOf(Result r) {
        List<String> q = new ArrayList<>();
        for (TraceEvent e : r.trace().events()) if (e instanceof TraceEvent.Retrieve rt) q.add(rt.query());
        return q;
    }

    /**
     * {@code index}, moved back to the token where the draft's first tool call opens if that call starts before
     * it: a kept prefix never holds part of a call (nor a call whose result the re-draft could not see), so a
     * rolled-back call is written, and run, again as a whole.
     */
    static int beforeToolCall(Generation g, int index) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < index; i++) {
            int at = sb.length();
            sb.append(g.tokens().get(i).text());
            int open = sb.indexOf(ToolCallParser.OPEN, Math.max(0, at - ToolCallParser.OPEN.length() + 1));
            if (open >= 0) return open < at ? i - 1 : i; // the opening "<<" may straddle two tokens
        }
        return index;
    }

    private static String textBefore(Generation g, int index) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < index; i++) sb.append(g.tokens().get(i).text());
        return sb.toString();
    }

    /**
     * The query: the question and the confident part of the answer; after the first pause also the passages
     * the last pause took, whose entities lead to the next hop, and the answer drafted from them: a draft that
     * is still unsure after reading often names the bridge entity (the birth city whose country is asked), so,
     * as FLARE uses its tentative sentence, it steers the next hop to that entity's document.
     */
    static String query(String question, String kept, List<Passage> lastTaken, String draftAfterReading) {
        StringBuilder q = new StringBuilder(question);
        String keptWords = withoutToolMarkup(kept);
        if (!keptWords.isBlank()) q.append(' ').append(keptWords);
        for (Passage p : lastTaken) q.append(' ').append(p.text());
        String draftWords = withoutToolMarkup(draftAfterReading);
        if (!draftWords.isBlank()) q.append(' ').append(draftWords);
        return q.toString();
    }

    /** {@code text} without tool-call markup ({@code <<name}, {@code >>}): it is nothing to look up. */
    private static String withoutToolMarkup(String text) {
        return text.replaceAll("<<\\S*|>>", " ").strip();
    }

    private static List<String> shortQueries(List<String> qs) {
        return qs.stream().map(q -> q.length() > 60 ? q.substring(0, 57) + "..." : q).toList();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
