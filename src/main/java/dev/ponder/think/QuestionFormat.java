package dev.ponder.think;

import java.util.List;

/**
 * How questions and evidence are laid out for a particular model: the prompt for a question with the
 * passages found so far and an answer prefix already kept, where an answer ends, and which answer means the
 * model itself does not know.
 */
public interface QuestionFormat {
    /**
     * The text the model continues: {@code evidence} (possibly empty), the question, and the start of the
     * answer the controller kept ({@code answerPrefix}, usually empty).
     */
    String prompt(String question, List<Passage> evidence, String answerPrefix);

    /** The string that ends an answer (e.g. a newline). */
    String stop();

    /** The answer in a continuation: trimmed, without format decoration. */
    String answerOf(String continuation);

    /** True if the answer says the model does not know (e.g. {@code unknown}). */
    boolean isUnknown(String answer);
}
