package dev.ponder.think;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** One step of the controller, as recorded in a {@link Trace} and written as one JSON line. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TraceEvent.Start.class, name = "start"),
    @JsonSubTypes.Type(value = TraceEvent.Draft.class, name = "draft"),
    @JsonSubTypes.Type(value = TraceEvent.Trigger.class, name = "trigger"),
    @JsonSubTypes.Type(value = TraceEvent.Retrieve.class, name = "retrieve"),
    @JsonSubTypes.Type(value = TraceEvent.Rollback.class, name = "rollback"),
    @JsonSubTypes.Type(value = TraceEvent.Inject.class, name = "inject"),
    @JsonSubTypes.Type(value = TraceEvent.ToolCall.class, name = "tool_call"),
    @JsonSubTypes.Type(value = TraceEvent.Search.class, name = "search"),
    @JsonSubTypes.Type(value = TraceEvent.Consult.class, name = "consult"),
    @JsonSubTypes.Type(value = TraceEvent.SubQuestion.class, name = "sub_question"),
    @JsonSubTypes.Type(value = TraceEvent.Outcome.class, name = "outcome")
})
public sealed interface TraceEvent {
    /** A token as the trace shows it: text, probability, and the distribution's signals. */
    record Token(String text, double prob, double entropy, double varentropy, double margin, List<Alt> top) {
        static Token of(TokenSignal s) {
            return new Token(s.text(), s.prob(), s.entropy(), s.varentropy(), s.margin(),
                    s.top().stream().map(t -> new Alt(t.text(), t.prob())).toList());
        }
    }

    /** An alternative token and its probability. */
    record Alt(String text, double prob) {}

    /** The question, the method and the backend. */
    record Start(String question, String method, String backend) implements TraceEvent {}

    /** An answer drafted at some stage ({@code fast}, or after pause n), with its tokens and confidence. */
    record Draft(int pause, String answer, List<Token> tokens, double confidence, double[] features,
                 int contextTokensReused, int contextTokensComputed) implements TraceEvent {}

    /** Why the controller paused: the signal, its value and the threshold, and the weakest token. */
    record Trigger(int pause, String reason, double confidence, double threshold, String weakestToken,
                   double weakestProb, String strategy, String strategyReason) implements TraceEvent {
        /** A trigger whose strategy needs no explanation. */
        public Trigger(int pause, String reason, double confidence, double threshold, String weakestToken, double weakestProb, String strategy) {
            this(pause, reason, confidence, threshold, weakestToken, weakestProb, strategy, "");
        }
    }

    /** A retrieval: the query and the passages found (those taken into the context are marked used). */
    record Retrieve(int pause, String query, List<Hit> hits) implements TraceEvent {}

    /** A retrieved passage. */
    record Hit(String docId, String title, double score, String text, boolean used) {}

    /**
     * The uncertain span is taken back: the answer text before {@code fromToken} is kept, the rest discarded
     * and decoded again after the evidence.
     */
    record Rollback(int pause, int fromToken, String kept, String discarded) implements TraceEvent {}

    /** Evidence placed in the context ({@code text} is what the model reads before the question). */
    record Inject(int pause, List<String> docIds, String text) implements TraceEvent {}

    /**
     * A tool the model called inline during pause {@code pause} ({@code <<tool arguments>>}): the arguments as
     * written, the result (or error message) and how long the call took.
     */
    record ToolCall(int pause, String tool, String arguments, String result, boolean isError, long nanos) implements TraceEvent {}

    /**
     * A search over continuations of the answer ({@code mcts} or {@code beam}, see
     * {@code dev.ponder.think.search}): the nodes expanded and tokens decoded, the best answer found, and
     * whether the verifier accepted it.
     */
    record Search(int pause, String algorithm, int nodes, int tokens, String best, boolean verified, long nanos) implements TraceEvent {}

    /**
     * A consultation during pause {@code pause}: why, how many answers were sampled and the tokens they took, the
     * votes of those counted (each answer once, with how many samples gave it), and the answer taken (null: none
     * counted, the draft stays).
     */
    record Consult(int pause, String reason, int samples, int tokens, List<Vote> votes, String chosen) implements TraceEvent {}

    /** An answer and how many samples of a consultation gave it. */
    record Vote(String answer, int count) {}

    /**
     * A sub-question of a decomposed question ({@code role} {@code inner}: about the named entity; {@code outer}:
     * the question again with the inner answer in place), answered by the same loop: its answer, confidence,
     * and the documents it read.
     */
    record SubQuestion(int pause, String role, String question, String answer, double confidence, boolean abstained,
                       int pauses, List<String> docIds) implements TraceEvent {}

    /** The end: the answer (or abstention), its confidence and what was spent. */
    record Outcome(String answer, boolean abstained, double confidence, String reason, int pauses, int retrievals,
                   int retrievedTokens, int generatedTokens, long nanos) implements TraceEvent {}
}
