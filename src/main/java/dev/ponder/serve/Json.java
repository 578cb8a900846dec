package dev.ponder.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.sampling.TokenProb;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.think.TokenSignal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON shapes of the OpenAI API that the server writes: errors, logprobs, usage. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode error(ApiError e) {
        ObjectNode o = object();
        ObjectNode err = o.putObject("error");
        err.put("message", e.getMessage());
        err.put("type", e.type);
        err.put("param", e.param);
        err.put("code", e.code);
        return o;
    }

    static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = object();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }

    /** A chat logprob entry: {@code {token, logprob, bytes, top_logprobs:[{token, logprob, bytes}]}}. */
    static ObjectNode chatToken(Tokenizer tok, TokenSignal s, int top) {
        ObjectNode o = object();
        o.put("token", tokenText(tok, s.id(), s.text()));
        o.put("logprob", s.logprob());
        o.set("bytes", bytes(tok, s.id(), s.text()));
        ArrayNode alts = o.putArray("top_logprobs");
        List<TokenProb> t = s.top();
        for (int i = 0; i < Math.min(top, t.size()); i++) {
            ObjectNode a = alts.addObject();
            a.put("token", tokenText(tok, t.get(i).id(), t.get(i).text()));
            a.put("logprob", t.get(i).logprob());
            a.set("bytes", bytes(tok, t.get(i).id(), t.get(i).text()));
        }
        return o;
    }

    /**
     * Completions logprobs: {@code {tokens, token_logprobs, top_logprobs:[{text: logprob}], text_offset}}; a
     * token's text is the text it added to the completion, so the tokens join to the text.
     */
    static ObjectNode completionLogprobs(List<TokenSignal> tokens, int top, int offset0) {
        ObjectNode o = object();
        ArrayNode texts = o.putArray("tokens"), lps = o.putArray("token_logprobs"), tops = o.putArray("top_logprobs"),
                offs = o.putArray("text_offset");
        int off = offset0;
        for (TokenSignal s : tokens) {
            texts.add(s.text());
            lps.add(s.logprob());
            ObjectNode m = tops.addObject();
            for (int i = 0; i < Math.min(top, s.top().size()); i++) m.put(s.top().get(i).text(), s.top().get(i).logprob());
            offs.add(off);
            off += s.text().length();
        }
        return o;
    }

    private static String tokenText(Tokenizer tok, int id, String fallback) {
        return tok != null && id >= 0 && id < tok.vocabSize() ? tok.tokenText(id) : fallback;
    }

    private static ArrayNode bytes(Tokenizer tok, int id, String fallback) {
        byte[] b = tok != null && id >= 0 && id < tok.vocabSize() ? tok.tokenBytes(id) : fallback.getBytes(StandardCharsets.UTF_8);
        ArrayNode a = MAPPER.createArrayNode();
        for (byte x : b) a.add(x & 0xFF);
        return a;
    }
}
