package dev.ponder.learn.distill;

import java.util.List;

/**
 * A problem slow thinking may solve and the model may then learn: a question in a training phrasing about one
 * entity's fact, its gold answers (the world's checker), and the entity it is about.
 *
 * @param question the question text (never an eval question's text)
 * @param answers accepted answers
 * @param entityId the entity the question is about (its library document)
 * @param distilled true if this fact belongs to the distilled half; false: held out (never trained on)
 */
public record Problem(String question, List<String> answers, String entityId, boolean distilled) {
    public Problem {
        answers = List.copyOf(answers);
    }
}
