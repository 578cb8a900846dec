package dev.ponder.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public contract of {@link ChatTemplate} beyond Jinja2 semantics. */
class ChatTemplateApiTest {
    private static final List<Map<String, Object>> HI = List.of(Map.of("role", "user", "content", "Hi!"));

    @Test
    void brokenTemplateFailsAtConstructionAsSyntaxError() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> new ChatTemplate("{% for m in messages %}{{ m }}", "<s>", "</s>"));
        assertEquals(ChatTemplateException.Kind.SYNTAX, e.kind());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void raisedMessageIsOneLineNamingWhatTheTemplateSaid() {
        ChatTemplate t = new ChatTemplate("{{ raise_exception('System role not supported') }}", "<s>", "</s>");
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(HI, null, true, null));
        assertEquals("chat template raised: System role not supported", e.getMessage());
    }

    @Test
    void variablesFollowHuggingFace() {
        ChatTemplate t = new ChatTemplate(
                "{{ bos_token is defined }}|{{ tools is none }}|{{ documents is none }}|{{ add_generation_prompt }}|{{ extra }}",
                null, "</s>");
        assertEquals("False|True|True|True|x", t.render(HI, null, true, Map.of("extra", "x")));
    }

    @Test
    void renderArgumentsCannotBeSmuggledThroughExtra() {
        ChatTemplate t = new ChatTemplate("{{ messages|length }}", "<s>", "</s>");
        assertThrows(IllegalArgumentException.class, () -> t.render(HI, null, true, Map.of("messages", List.of())));
    }

    @Test
    void conversationValuesKeepJsonMeaning() {
        ChatTemplate t = new ChatTemplate(
                "{% for m in messages %}{{ m.content is none }},{{ m.n + 1 }},{{ m.flag }};{% endfor %}", "<s>", "</s>");
        java.util.HashMap<String, Object> m = new java.util.HashMap<>();
        m.put("content", null);
        m.put("n", 41);
        m.put("flag", false);
        assertEquals("True,42,False;", t.render(List.of(m), null, false, null));
    }
}
