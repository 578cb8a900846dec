package dev.ponder.serve;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.chat.ChatTemplate;
import dev.ponder.think.Passage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slow thinking over a chat template: evidence in a system message, the question as the user turn. */
class ChatFormatTest {
    static final String TEMPLATE = "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
            + "{% if add_generation_prompt %}<|assistant|>{% endif %}";

    @Test
    void evidenceGoesIntoASystemMessage() {
        ChatFormat f = new ChatFormat(new ChatTemplate(TEMPLATE, "<s>", "</s>"));
        assertEquals("<|user|>Where?<|end|><|assistant|>", f.prompt("Where?", List.of(), ""));
        String p = f.prompt("Where?", List.of(new Passage("d1", "T", "Ada was born\nin Gamma.", 1)), " Gam");
        assertEquals("<|system|>" + ChatFormat.INSTRUCTION + "\nPassage: Ada was born in Gamma.<|end|><|user|>Where?<|end|><|assistant|> Gam", p);
        assertNull(f.stop());
        assertEquals("Gamma City", f.answerOf("  Gamma City \n"));
        assertTrue(f.isUnknown("Unknown."));
        assertTrue(f.isUnknown("I don\u2019t know"));
        assertFalse(f.isUnknown("Gamma"));
    }
}
