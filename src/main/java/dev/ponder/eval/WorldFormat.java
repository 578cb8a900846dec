package dev.ponder.eval;

import dev.ponder.learn.world.PromptFormat;
import dev.ponder.think.Passage;
import dev.ponder.think.QuestionFormat;
import java.util.List;
import java.util.Locale;

/**
 * The world's prompt format as a {@link QuestionFormat}: {@code Passage: …\nQuestion: …\nAnswer:}, the
 * passages joined in retrieval order; an answer ends at the newline; {@code unknown} means the model says the
 * passage does not give the fact (what ponder-nano was trained to say).
 */
public final class WorldFormat implements QuestionFormat {
    @Override
    public String prompt(String question, List<Passage> evidence, String answerPrefix) {
        if (evidence.isEmpty()) return PromptFormat.prompt(question) + answerPrefix;
        StringBuilder sb = new StringBuilder();
        for (Passage p : evidence) sb.append(sb.isEmpty() ? "" : " ").append(p.text().strip().replace('\n', ' '));
        return PromptFormat.prompt(sb.toString(), question) + answerPrefix;
    }

    @Override
    public String stop() {
        return "\n";
    }

    @Override
    public String answerOf(String continuation) {
        return PromptFormat.answerOf(continuation);
    }

    @Override
    public boolean isUnknown(String answer) {
        return answer.strip().toLowerCase(Locale.ROOT).equals(PromptFormat.UNKNOWN);
    }
}
