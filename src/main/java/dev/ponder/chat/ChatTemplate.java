package dev.ponder.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model's chat template ({@code tokenizer.chat_template}, a Jinja2 string) and the tokens it refers to.
 * {@link #render} produces the text Hugging Face's {@code apply_chat_template(..., tokenize=False)} produces:
 * same Jinja2 semantics (trim_blocks, lstrip_blocks, Python methods and operators, None versus undefined,
 * {@code tojson} as {@code json.dumps}), same globals ({@code raise_exception}, {@code strftime_now}), same
 * variables ({@code messages}, {@code tools}, {@code documents}, {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token}, plus any extra ones).
 *
 * <pre>{@code
 * ChatTemplate t = new ChatTemplate(source, "<s>", "</s>");
 * String prompt = t.render(List.of(Map.of("role", "user", "content", "Hi!")), null, true, Map.of());
 * }</pre>
 *
 * Instances are immutable and may render from several threads at once.
 */
public final class ChatTemplate {
    private static final Set<String> RESERVED = Set.of("messages", "tools", "add_generation_prompt");

    private final String source;
    private final String jinjaSource;
    private final String bosToken;
    private final String eosToken;
    private final Clock clock;

    /**
     * @param source   the Jinja2 template text
     * @param bosToken the value of {@code bos_token}, or null if the model has none (then it is undefined)
     * @param eosToken the value of {@code eos_token}, or null if the model has none
     * @throws ChatTemplateException if the template does not parse
     */
    public ChatTemplate(String source, String bosToken, String eosToken) {
        this(source, bosToken, eosToken, Clock.systemDefaultZone());
    }

    /**
     * Like {@link #ChatTemplate(String, String, String)}, with the clock {@code strftime_now} reads (templates
     * such as Llama 3.2's put today's date in the system prompt; tests fix it).
     */
    public ChatTemplate(String source, String bosToken, String eosToken, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.jinjaSource = JinjaSource.prepare(source);
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.clock = Objects.requireNonNull(clock, "clock");
        checkSyntax();
    }

    /** The template text. */
    public String source() {
        return source;
    }

    /**
     * Renders a conversation.
     *
     * @param messages            the conversation: maps with at least {@code role} and {@code content}
     *                            (values are JSON-like: String, Number, Boolean, null, List, Map)
     * @param tools               tool schemas (OpenAI function format), or null for none; as in Hugging Face,
     *                            null still defines {@code tools} (as None)
     * @param addGenerationPrompt whether to end with the header that starts the assistant's turn
     * @param extra               more template variables ({@code documents}, {@code date_string},
     *                            {@code enable_citations}, ...), may be null; may override the special tokens
     * @return the prompt text
     * @throws ChatTemplateException if the template raises (e.g. refuses a system role) or fails
     */
    public String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                         boolean addGenerationPrompt, Map<String, Object> extra) {
        Objects.requireNonNull(messages, "messages");
        Map<String, Object> variables = new LinkedHashMap<>();
        if (bosToken != null) variables.put("bos_token", bosToken);
        if (eosToken != null) variables.put("eos_token", eosToken);
        if (extra != null) {
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                if (RESERVED.contains(e.getKey())) {
                    throw new IllegalArgumentException("'" + e.getKey() + "' is a render() argument, not an extra variable");
                }
                variables.put(e.getKey(), PyValues.fromJava(e.getValue()));
            }
        }
        variables.putIfAbsent("documents", PyNone.NONE);
        variables.put("messages", PyValues.fromJava(messages));
        variables.put("tools", PyValues.fromJava(tools));
        variables.put("add_generation_prompt", addGenerationPrompt);
        return renderWith(variables);
    }

    private String renderWith(Map<String, Object> variables) {
        RenderState state = new RenderState(clock);
        JinjavaInterpreter interpreter = JinjaEngine.INSTANCE.newInterpreter(state);
        interpreter.getContext().putAll(variables);
        JinjavaInterpreter.pushCurrent(interpreter);
        String output;
        try {
            output = interpreter.render(jinjaSource);
        } catch (TemplateAbort abort) {
            throw first(state, abort).toException();
        } catch (RuntimeException e) {
            if (state.firstError() != null) throw state.firstError().toException();
            throw new ChatTemplateException(ChatTemplateException.Kind.OTHER, String.valueOf(e.getMessage()));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        if (state.firstError() != null) throw state.firstError().toException();
        for (TemplateError error : interpreter.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException(ChatTemplateException.Kind.OTHER, error.getMessage());
            }
        }
        return output;
    }

    private static TemplateAbort first(RenderState state, TemplateAbort thrown) {
        return state.firstError() != null ? state.firstError() : thrown;
    }

    private void checkSyntax() {
        JinjavaInterpreter interpreter = JinjaEngine.INSTANCE.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            interpreter.parse(jinjaSource);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        for (TemplateError error : interpreter.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException(ChatTemplateException.Kind.SYNTAX,
                        "line " + error.getLineno() + ": " + error.getMessage());
            }
        }
    }
}
