package dev.ponder.serve;

import dev.ponder.chat.ChatTemplate;
import dev.ponder.think.Passage;
import dev.ponder.think.QuestionFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Slow thinking for a model with a chat template: the evidence goes into a system message (one line per
 * passage), the question is the user message, and the answer is the assistant's turn, which ends at the
 * model's end-of-turn token (so {@link #stop()} is null). An answer that says it does not know ("unknown",
 * "I don't know", "I do not know") counts as the model not knowing.
 */
public final class ChatFormat implements QuestionFormat {
    /** The system message placed before the passages. */
    public static final String INSTRUCTION = "Answer the question in a few words using these passages. "
            + "If they do not give the answer, say unknown.";

    private final ChatTemplate template;

    public ChatFormat(ChatTemplate template) {
        this.template = template;
    }

    @Override
    public String prompt(String question, List<Passage> evidence, String answerPrefix) {
        List<Map<String, Object>> messages = new ArrayList<>();
        if (!evidence.isEmpty()) {
            StringBuilder sb = new StringBuilder(INSTRUCTION);
            for (Passage p : evidence) sb.append("\nPassage: ").append(p.text().strip().replace('\n', ' '));
            messages.add(Map.of("role", "system", "content", sb.toString()));
        }
        messages.add(Map.of("role", "user", "content", question));
        return template.render(messages, null, true, Map.of()) + answerPrefix;
    }

    @Override
    public String stop() {
        return null;
    }

    @Override
    public String answerOf(String continuation) {
        return continuation.strip();
    }

    @Override
    public boolean isUnknown(String answer) {
        String a = answer.strip().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        while (a.endsWith(".") || a.endsWith("!")) a = a.substring(0, a.length() - 1);
        return a.equals("unknown") || a.startsWith("i don't know") || a.startsWith("i do not know");
    }
}
