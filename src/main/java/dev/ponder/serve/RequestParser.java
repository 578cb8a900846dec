package dev.ponder.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and validates request bodies the way the OpenAI API defines the fields: a wrong type or a value out
 * of range is a 400 naming the field. Fields the server does not implement are refused when set to anything
 * but their neutral value, rather than silently ignored.
 */
final class RequestParser {
    static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final int serverMaxTokens;
    private final int contextLength;

    /**
     * @param serverMaxTokens the largest {@code max_tokens} the server accepts
     * @param contextLength the model's context length (prompt + max_tokens must fit; ≤ 0: unchecked)
     */
    RequestParser(int serverMaxTokens, int contextLength) {
        this.serverMaxTokens = serverMaxTokens;
        this.contextLength = contextLength;
    }

    ChatRequest parse(JsonNode body, boolean chat) {
        if (body == null || !body.isObject()) throw ApiError.invalid(null, "the request body must be a JSON object");
        optString(body, "model");
        List<String> prompts = List.of();
        List<ChatRequest.Message> messages = List.of();
        if (chat) messages = messages(body.get("messages"));
        else prompts = prompts(body.get("prompt"));
        boolean echo = !chat && orElse(optBool(body, "echo"), false);
        Integer max = optInt(body, "max_tokens", 0, Integer.MAX_VALUE);
        if (max != null && max == 0 && !echo) {
            throw ApiError.invalid("max_tokens", "max_tokens must be at least 1 (0 is allowed only with echo: true, to score the prompt)");
        }
        if (chat) {
            Integer mct = optInt(body, "max_completion_tokens", 1, Integer.MAX_VALUE);
            if (mct != null) max = mct;
        }
        String maxParam = chat && has(body, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        if (max != null && max > serverMaxTokens) {
            throw new ApiError(400, "invalid_request_error", maxParam, "max_tokens_exceeded",
                    maxParam + " is " + max + ", but this server allows at most " + serverMaxTokens);
        }
        int maxTokens = max != null ? max : chat ? serverMaxTokens : Math.min(16, serverMaxTokens);
        double temperature = optNumber(body, "temperature", 0, 2, 1.0);
        double topP = optNumber(body, "top_p", 0, 1, 1.0);
        if (has(body, "top_p") && topP == 0) throw ApiError.invalid("top_p", "top_p must be greater than 0");
        Long seed = optLong(body, "seed");
        int n = orElse(optInt(body, "n", 1, 8), 1);
        boolean stream = orElse(optBool(body, "stream"), false);
        boolean includeUsage = false;
        if (has(body, "stream_options")) {
            JsonNode so = body.get("stream_options");
            if (!so.isObject()) throw ApiError.invalid("stream_options", "stream_options must be an object");
            if (!stream) throw ApiError.invalid("stream_options", "stream_options is only allowed when stream is true");
            includeUsage = orElse(optBool(so, "include_usage", "stream_options.include_usage"), false);
        }
        List<String> stops = stops(body.get("stop"));
        int logprobs;
        if (chat) {
            boolean lp = orElse(optBool(body, "logprobs"), false);
            Integer top = optInt(body, "top_logprobs", 0, 20);
            if (top != null && !lp) throw ApiError.invalid("top_logprobs", "top_logprobs requires logprobs to be true");
            logprobs = lp ? orElse(top, 0) : -1;
        } else {
            Integer lp = optInt(body, "logprobs", 0, 5);
            logprobs = lp == null ? -1 : lp;
            if (has(body, "best_of") && orElse(optInt(body, "best_of", 1, 8), 1) != n) {
                throw ApiError.invalid("best_of", "best_of other than n is not supported by this server");
            }
            if (has(body, "suffix") && !body.get("suffix").isNull()) throw ApiError.invalid("suffix", "suffix is not supported by this server");
        }
        for (String p : List.of("presence_penalty", "frequency_penalty")) {
            if (optNumber(body, p, -2, 2, 0) != 0) throw ApiError.invalid(p, p + " is not supported by this server (only 0)");
        }
        if (has(body, "logit_bias") && !(body.get("logit_bias").isObject() && body.get("logit_bias").isEmpty())) {
            throw ApiError.invalid("logit_bias", "logit_bias is not supported by this server");
        }
        if (has(body, "tools") && !(body.get("tools").isArray() && body.get("tools").isEmpty())) {
            throw ApiError.invalid("tools", "tools are not supported by this server");
        }
        optString(body, "user");
        boolean ignoreEos = orElse(optBool(body, "ignore_eos"), false);
        ChatRequest.PonderOptions ponder = null;
        if (has(body, "ponder")) {
            if (!chat) throw ApiError.invalid("ponder", "ponder is only available on /v1/chat/completions");
            ponder = ponder(body.get("ponder"));
        }
        return new ChatRequest(chat, prompts, messages, maxTokens, temperature, topP,
                seed != null ? seed : ThreadLocalRandom.current().nextLong(), stops, n, stream, includeUsage, logprobs, ignoreEos, echo, ponder);
    }

    /** Checks that {@code promptTokens + maxTokens} fits the model's context. */
    void checkContext(int promptTokens, int maxTokens, String maxParam) {
        if (contextLength > 0 && promptTokens + maxTokens > contextLength) {
            throw new ApiError(400, "invalid_request_error", maxParam, "context_length_exceeded",
                    "this model's maximum context length is " + contextLength + " tokens; the request has " + promptTokens
                            + " prompt tokens and asks for up to " + maxTokens + " more");
        }
    }

    private static ChatRequest.PonderOptions ponder(JsonNode p) {
        if (!p.isObject()) throw ApiError.invalid("ponder", "ponder must be an object");
        Boolean enabled = optBool(p, "enabled", "ponder.enabled");
        Integer pauses = null;
        if (has(p, "pauses")) pauses = intIn(p.get("pauses"), "ponder.pauses", 0, 10);
        boolean answer = false;
        if (has(p, "mode")) {
            JsonNode m = p.get("mode");
            if (!m.isTextual() || !Set.of("abstain", "answer").contains(m.asText())) {
                throw ApiError.invalid("ponder.mode", "ponder.mode must be \"abstain\" or \"answer\"");
            }
            answer = m.asText().equals("answer");
        }
        boolean tools = orElse(optBool(p, "tools", "ponder.tools"), true);
        String search = null;
        if (has(p, "search")) {
            JsonNode m = p.get("search");
            if (!m.isTextual() || !Set.of("mcts", "beam", "none").contains(m.asText())) {
                throw ApiError.invalid("ponder.search", "ponder.search must be \"mcts\", \"beam\" or \"none\"");
            }
            search = m.asText();
        }
        return new ChatRequest.PonderOptions(enabled, pauses, answer, tools, search);
    }

    private static List<String> prompts(JsonNode p) {
        if (p == null || p.isNull()) throw ApiError.invalid("prompt", "prompt is required");
        if (p.isTextual()) return List.of(p.asText());
        if (p.isArray() && !p.isEmpty()) {
            List<String> out = new ArrayList<>();
            for (JsonNode e : p) {
                if (!e.isTextual()) throw ApiError.invalid("prompt", "prompt must be a string or an array of strings (token arrays are not supported)");
                out.add(e.asText());
            }
            return out;
        }
        throw ApiError.invalid("prompt", "prompt must be a string or a non-empty array of strings");
    }

    private static List<ChatRequest.Message> messages(JsonNode m) {
        if (m == null || m.isNull()) throw ApiError.invalid("messages", "messages is required");
        if (!m.isArray() || m.isEmpty()) throw ApiError.invalid("messages", "messages must be a non-empty array");
        List<ChatRequest.Message> out = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            JsonNode e = m.get(i);
            String at = "messages[" + i + "]";
            if (!e.isObject()) throw ApiError.invalid(at, at + " must be an object");
            JsonNode role = e.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiError.invalid(at + ".role", at + ".role must be one of system, developer, user, assistant, tool");
            }
            out.add(new ChatRequest.Message(role.asText(), content(e.get("content"), at + ".content", role.asText())));
        }
        return out;
    }

    private static String content(JsonNode c, String at, String role) {
        if (c == null || c.isNull()) {
            if (role.equals("assistant")) return "";
            throw ApiError.invalid(at, at + " is required");
        }
        if (c.isTextual()) return c.asText();
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiError.invalid(at, at + " parts must be {\"type\":\"text\",\"text\":...} (other content types are not supported)");
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw ApiError.invalid(at, at + " must be a string or an array of text parts");
    }

    private static List<String> stops(JsonNode s) {
        if (s == null || s.isNull()) return List.of();
        List<String> out = new ArrayList<>();
        if (s.isTextual()) out.add(s.asText());
        else if (s.isArray()) {
            if (s.size() > 4) throw ApiError.invalid("stop", "stop may hold at most 4 sequences");
            for (JsonNode e : s) {
                if (!e.isTextual()) throw ApiError.invalid("stop", "stop must be a string or an array of strings");
                out.add(e.asText());
            }
        } else throw ApiError.invalid("stop", "stop must be a string or an array of strings");
        for (String x : out) if (x.isEmpty()) throw ApiError.invalid("stop", "stop sequences must not be empty");
        return out;
    }

    // ---------------------------------------------------------------- typed fields

    static boolean has(JsonNode o, String f) {
        return o.has(f) && !o.get(f).isNull();
    }

    private static <T> T orElse(T v, T d) {
        return v != null ? v : d;
    }

    private static void optString(JsonNode o, String f) {
        if (has(o, f) && !o.get(f).isTextual()) throw ApiError.invalid(f, f + " must be a string");
    }

    private static Boolean optBool(JsonNode o, String f) {
        return optBool(o, f, f);
    }

    private static Boolean optBool(JsonNode o, String f, String param) {
        if (!has(o, f)) return null;
        if (!o.get(f).isBoolean()) throw ApiError.invalid(param, param + " must be a boolean");
        return o.get(f).asBoolean();
    }

    private static Integer optInt(JsonNode o, String f, int min, int max) {
        return has(o, f) ? intIn(o.get(f), f, min, max) : null;
    }

    private static int intIn(JsonNode v, String param, int min, int max) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw ApiError.invalid(param, param + " must be an integer");
        int x = v.asInt();
        if (x < min || x > max) {
            throw ApiError.invalid(param, param + " must be " + (max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max) + ", got " + x);
        }
        return x;
    }

    private static Long optLong(JsonNode o, String f) {
        if (!has(o, f)) return null;
        JsonNode v = o.get(f);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw ApiError.invalid(f, f + " must be an integer");
        return v.asLong();
    }

    private static double optNumber(JsonNode o, String f, double min, double max, double dflt) {
        if (!has(o, f)) return dflt;
        JsonNode v = o.get(f);
        if (!v.isNumber()) throw ApiError.invalid(f, f + " must be a number");
        double x = v.asDouble();
        if (!(x >= min && x <= max)) throw ApiError.invalid(f, f + " must be between " + fmt(min) + " and " + fmt(max) + ", got " + v.asText());
        return x;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
