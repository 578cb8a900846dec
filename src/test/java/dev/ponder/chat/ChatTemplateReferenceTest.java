package dev.ponder.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.testutil.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code ../shared/reference/chat-templates/expected.json}: 18 real templates, each rendered by
 * Hugging Face's Jinja2 renderer on three conversations; we must produce the same text, or fail with an
 * error of the same kind and message.
 */
class ChatTemplateReferenceTest {
    /** The date HF's {@code strftime_now} was fixed to when the reference was made: 26 Jul 2024. */
    static final Clock REFERENCE_DAY = Clock.fixed(Instant.parse("2024-07-26T12:00:00Z"), ZoneOffset.UTC);

    static Stream<Arguments> cases() throws IOException {
        Path expected = Reference.file("chat-templates/expected.json");
        Map<String, Object> root = new ObjectMapper().readValue(expected.toFile(), new TypeReference<>() {});
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) root.get("cases");
        return cases.stream().map(c -> Arguments.of(c.get("template") + " / " + c.get("conversation"), c));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersLikeHuggingFace(String name, Map<String, Object> c) throws IOException {
        Path file = Reference.file("chat-templates/" + c.get("template"));
        ChatTemplate template = new ChatTemplate(Files.readString(file), (String) c.get("bos_token"),
                (String) c.get("eos_token"), REFERENCE_DAY);
        List<Map<String, Object>> messages = (List<Map<String, Object>>) c.get("messages");
        List<Map<String, Object>> tools = (List<Map<String, Object>>) c.get("tools");
        Map<String, Object> extra = new HashMap<>();
        extra.put("documents", c.get("documents"));
        boolean generationPrompt = (Boolean) c.get("add_generation_prompt");
        if (c.containsKey("expected")) {
            assertEquals(c.get("expected"), template.render(messages, tools, generationPrompt, extra));
        } else {
            String error = (String) c.get("error");
            int colon = error.indexOf(": ");
            String pythonClass = error.substring(0, colon);
            String message = error.substring(colon + 2);
            ChatTemplateException e = assertThrows(ChatTemplateException.class,
                    () -> template.render(messages, tools, generationPrompt, extra));
            assertEquals(pythonClass, e.kind().pythonName(), e.getMessage());
            assertEquals(message, e.detail());
            assertTrue(e.getMessage().lines().count() == 1, "one-line message");
        }
    }
}
