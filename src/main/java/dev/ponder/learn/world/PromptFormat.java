package dev.ponder.learn.world;

/**
 * The one prompt format used in the training corpus, the eval sets and by the runtime.
 *
 * <pre>
 * Question: Where was Mira Kavelo born?
 * Answer: Sorvaton
 * </pre>
 * and, with a supplied text (reading comprehension, or a retrieved library document):
 * <pre>
 * Passage: Mira Kavelo was born in Sorvaton in 1961. ...
 * Question: Where was Mira Kavelo born?
 * Answer: Sorvaton
 * </pre>
 * A prompt ends with {@code "Answer:"}; the model continues with one space, the short answer, and a
 * newline, which ends the answer. Arithmetic answers are calculator calls ({@link CalcTool}):
 * {@code Answer: <<calc 2031-1987>>44}. When a passage does not contain the answer, the answer is
 * {@value #UNKNOWN}.
 */
public final class PromptFormat {
    public static final String PASSAGE = "Passage: ";
    public static final String QUESTION = "Question: ";
    public static final String ANSWER = "Answer:";
    /** The answer to a question nothing supports. */
    public static final String UNKNOWN = "unknown";

    private PromptFormat() {}

    /** {@code Question: Q\nAnswer:} — what the model is given. */
    public static String prompt(String question) {
        return QUESTION + question + "\n" + ANSWER;
    }

    /** {@code Passage: P\nQuestion: Q\nAnswer:}. */
    public static String prompt(String passage, String question) {
        return PASSAGE + passage + "\n" + prompt(question);
    }

    /** A complete training example: the prompt, a space, the answer and a newline. */
    public static String example(String question, String answer) {
        return prompt(question) + " " + answer + "\n";
    }

    /** A complete training example with a passage. */
    public static String example(String passage, String question, String answer) {
        return prompt(passage, question) + " " + answer + "\n";
    }

    /** The answer in a model's continuation of a prompt: the text up to the first newline, stripped. */
    public static String answerOf(String continuation) {
        int nl = continuation.indexOf('\n');
        return (nl < 0 ? continuation : continuation.substring(0, nl)).strip();
    }
}
