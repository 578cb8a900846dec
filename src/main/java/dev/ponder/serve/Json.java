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
     * Completions logprobs: {@code {tokens, token_logprobs, top_logprobs:[{text: logprob}], text_offset}}, first for
     * the echoed {@code prompt} tokens (the first of them, which nothing predicts, with a null logprob and null
     * alternatives), then for the generated {@code tokens}. A token's text is the text it added, so the tokens join
     * to the choice's text; {@code text_offset} counts characters (code points, as the OpenAI API's Python strings
     * do) from the start of that text, the generated tokens from {@code offset0} (the echoed prompt's length).
     * Beyond the OpenAI shape, {@code ponder_entropy} and {@code ponder_varentropy} give each generated token's
     * distribution's entropy and varentropy (null for prompt tokens): a client shown only the top alternatives cannot
     * compute them, and Ponder's remote backend reads them to decide as the embedded engine does.
     */
    static ObjectNode completionLogprobs(List<PromptToken> prompt, List<TokenSignal> tokens, int top, int offset0) {
        ObjectNode o = object();
        ArrayNode texts = o.putArray("tokens"), lps = o.putArray("token_logprobs"), tops = o.putArray("top_logprobs"),
                offs = o.putArray("text_offset"), entropy = o.putArray("ponder_entropy"), varentropy = o.putArray("ponder_varentropy");
        int off = 0;
        for (PromptToken p : prompt) {
            texts.add(p.text());
            if (p.scored()) {
                lps.add(p.logprob());
                ObjectNode m = tops.addObject();
                for (int i = 0; i < Math.min(top, p.top().size()); i++) m.put(p.top().get(i).text(), p.top().get(i).logprob());
            } else {
                lps.addNull();
                tops.addNull();
            }
            offs.add(off);
            off += p.text().codePointCount(0, p.text().length());
            entropy.addNull();
            varentropy.addNull();
        }
        off = offset0;
        for (TokenSignal s : tokens) {
            texts.add(s.text());
            lps.add(s.logprob());
            ObjectNode m = tops.addObject();
            for (int i = 0; i < Math.min(top, s.top().size()); i++) m.put(s.top().get(i).text(), s.top().get(i).logprob());
            offs.add(off);
            off += s.text().codePointCount(0, s.text().length());
            entropy.add(s.entropy());
            varentropy.add(s.varentropy());
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
