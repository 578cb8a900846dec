package dev.ponder.think;

/**
 * The kinds of exploration a pause can take, matched to the kind of doubt:
 * an entity fact → {@link #RETRIEVE}, a number to compute → {@link #TOOL}, disagreement with no source to
 * read → {@link #CONSULT}, a goal a verifier can check → {@link #SEARCH}, an entity only described through
 * another that one reading did not settle → {@link #DECOMPOSE}.
 */
public enum Strategy {
    /** Read: retrieve passages from the library and re-decode the uncertain span after them. */
    RETRIEVE,
    /** Compute: let the model call a tool (calculator, date arithmetic, MCP tools) and insert the exact result. */
    TOOL,
    /** Ask around: sample several answers from the same prefix in one batch and take the consensus. */
    CONSULT,
    /** Try possibilities: search over continuations with the task's verifier as the reward. */
    SEARCH,
    /** Split: answer the question about the named entity first, then the question with that answer in place. */
    DECOMPOSE;

    /** The name used in traces and options ({@code retrieve}, {@code tool}, …). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
