package dev.ponder.think;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.sampling.TokenProb;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A remote OpenAI-compatible server as a {@link Backend}, over {@code POST {base}/v1/completions} with
 * {@code logprobs: 5} (JDK HTTP client and Jackson only).
 *
 * <p>What the remote side shows is less than the embedded engine's full distribution, so the signals are
 * approximations: each token's log-probability is the server's, but entropy, varentropy, top probability and
 * margin are computed from the <em>renormalised top-5</em> alternatives (the tail mass is unknown and
 * ignored), and token ids are unknown (-1). {@link #countTokens} asks the server's {@code POST /tokenize}
 * (llama.cpp's and {@code ponder serve}'s) and, if the server has none, estimates one token per four
 * characters.
 */
public final class OpenAIBackend implements Backend {
    /** Alternatives asked for per token (the OpenAI completions API allows at most 5). */
    public static final int TOP = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final String model;
    private final String apiKey;
    private final HttpClient http;
    private volatile Boolean canTokenize;

    /**
     * @param baseUrl the server, e.g. {@code http://127.0.0.1:8080} (a trailing {@code /v1} is accepted)
     * @param model the model id to request
     * @param apiKey sent as {@code Authorization: Bearer}, or null
     */
    public OpenAIBackend(String baseUrl, String model, String apiKey) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = b.endsWith("/v1") ? b.substring(0, b.length() - 3) : b;
        this.model = model;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public String name() {
        return "openai:" + base;
    }

    @Override
    public Generation generate(String context, int maxTokens, String stop) {
        return complete(context, maxTokens, stop, 0, null);
    }

    @Override
    public List<Generation> sample(String context, int n, double temperature, int maxTokens, String stop, long seed) {
        List<Generation> out = new ArrayList<>();
        for (int b = 0; b < n; b++) out.add(complete(context, maxTokens, stop, temperature, seed + b));
        return out;
    }

    private Generation complete(String context, int maxTokens, String stop, double temperature, Long seed) {
        long t0 = System.nanoTime();
        ObjectNode req = JSON.createObjectNode();
        req.put("model", model);
        req.put("prompt", context);
        req.put("max_tokens", maxTokens);
        req.put("temperature", temperature);
        if (seed != null) req.put("seed", seed);
        if (stop != null) req.putArray("stop").add(stop);
        req.put("logprobs", TOP);
        JsonNode res = post("/v1/completions", req);
        JsonNode choice = res.path("choices").path(0);
        if (choice.isMissingNode()) throw new PonderException(name() + ": the response has no choices");
        String text = choice.path("text").asText("");
        List<TokenSignal> signals = new ArrayList<>();
        JsonNode lp = choice.path("logprobs");
        JsonNode tokens = lp.path("tokens"), lps = lp.path("token_logprobs"), tops = lp.path("top_logprobs");
        for (int i = 0; i < tokens.size(); i++) {
            List<TokenProb> top = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = tops.path(i).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                top.add(new TokenProb(-1, e.getKey(), e.getValue().asDouble()));
            }
            top.sort(Comparator.comparingDouble(TokenProb::logprob).reversed());
            signals.add(signal(tokens.get(i).asText(), lps.path(i).asDouble(), top));
        }
        int prompt = res.path("usage").path("prompt_tokens").asInt(0);
        return new Generation(text, signals, 0, prompt, System.nanoTime() - t0);
    }

    /** A token's signals from its log-probability and the renormalised top-k alternatives. */
    static TokenSignal signal(String text, double logprob, List<TokenProb> top) {
        double z = 0;
        for (TokenProb t : top) z += Math.exp(t.logprob());
        double h = 0, h2 = 0;
        for (TokenProb t : top) {
            double p = Math.exp(t.logprob()) / z, l = Math.log(p);
            h -= p * l;
            h2 += p * l * l;
        }
        double p0 = top.isEmpty() ? Math.exp(logprob) : Math.exp(top.get(0).logprob());
        double p1 = top.size() < 2 ? 0 : Math.exp(top.get(1).logprob());
        return new TokenSignal(-1, text, logprob, top.isEmpty() ? 0 : h, top.isEmpty() ? 0 : Math.max(0, h2 - h * h), p0, p0 - p1, top);
    }

    @Override
    public int countTokens(String text) {
        if (!Boolean.FALSE.equals(canTokenize)) {
            try {
                ObjectNode req = JSON.createObjectNode().put("content", text);
                JsonNode res = post("/tokenize", req);
                if (res.path("tokens").isArray()) {
                    canTokenize = true;
                    return res.get("tokens").size();
                }
            } catch (PonderException e) {
                if (Boolean.TRUE.equals(canTokenize)) throw e;
            }
            canTokenize = false;
        }
        return (text.length() + 3) / 4;
    }

    private JsonNode post(String path, ObjectNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        HttpResponse<String> res;
        try {
            res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PonderException(name() + ": cannot reach the server: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PonderException(name() + ": interrupted");
        }
        JsonNode json;
        try {
            json = JSON.readTree(res.body());
        } catch (IOException e) {
            throw new PonderException(name() + path + ": HTTP " + res.statusCode() + ", not JSON");
        }
        if (res.statusCode() != 200) {
            throw new PonderException(name() + path + ": HTTP " + res.statusCode() + ": " + json.path("error").path("message").asText(""));
        }
        return json;
    }
}
