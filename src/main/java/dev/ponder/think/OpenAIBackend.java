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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A remote OpenAI-compatible server as a {@link Backend}, over {@code POST {base}/v1/completions} with
 * {@code logprobs: 5} (JDK HTTP client and Jackson only).
 *
 * <p>What the remote side shows is less than the embedded engine's full distribution, so the signals are
 * approximations: each token's log-probability, top probability and margin are the server's, but entropy and
 * varentropy are computed from the <em>renormalised top-5</em> alternatives (the tail mass is unknown and
 * ignored), unless the server gives them ({@code ponder serve} adds {@code ponder_entropy} and
 * {@code ponder_varentropy} beside {@code token_logprobs}: then they are exact); token ids are unknown (-1). {@link #countTokens} asks the server's {@code POST /tokenize}
 * (llama.cpp's and {@code ponder serve}'s) and, if the server has none, estimates one token per four
 * characters. {@link #score} reads the prompt's logprobs from an echoed completion ({@code echo: true}), which
 * {@code ponder serve} and vLLM answer (llama.cpp's server does not: the score is then absent).
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
    /** The server refused an echo with {@code max_tokens: 0} (or gave no prompt logprobs) and answered one with 1. */
    private volatile boolean echoNeedsAToken;
    /** Set when a failed {@link #score} has been logged: once per backend. */
    private final AtomicBoolean scoreFailureLogged = new AtomicBoolean();
    private static final System.Logger LOG = System.getLogger(OpenAIBackend.class.getName());

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
        JsonNode entropy = lp.path("ponder_entropy"), varentropy = lp.path("ponder_varentropy");
        for (int i = 0; i < tokens.size(); i++) {
            List<TokenProb> top = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = tops.path(i).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                top.add(new TokenProb(-1, e.getKey(), e.getValue().asDouble()));
            }
            top.sort(Comparator.comparingDouble(TokenProb::logprob).reversed());
            TokenSignal s = signal(tokens.get(i).asText(), lps.path(i).asDouble(), top);
            if (entropy.path(i).isNumber() && varentropy.path(i).isNumber()) {
                s = new TokenSignal(s.id(), s.text(), s.logprob(), entropy.get(i).asDouble(), varentropy.get(i).asDouble(), s.topProb(), s.margin(), s.top());
            }
            signals.add(s);
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

    /**
     * {@inheritDoc}
     *
     * <p>One {@code POST /v1/completions} with {@code prompt: context, echo: true, max_tokens: 0, logprobs: 0,
     * temperature: 0}. What is assumed of the answer (the OpenAI legacy API's shape, which {@code ponder serve} and
     * vLLM share): {@code choices[0].text} starts with {@code context}; {@code choices[0].logprobs} lists the prompt's
     * tokens first and in order, with {@code tokens} (each token's text), {@code token_logprobs} (null for the first
     * token, which nothing predicts; a number for every other prompt token) and {@code text_offset}. Character spans
     * come from {@code text_offset} (in code points) when the offsets put every token's text exactly where the echoed
     * text has it, one after the other from 0 (OpenAI, {@code ponder serve}). Otherwise (vLLM adds the tokens' lengths
     * from 0, counting a BOS such as {@code <s>} that is not in the text; its older versions show raw pieces such as
     * {@code ▁Hello} or {@code ĠHello}) each token's text is matched against the echoed text in order
     * ({@link EchoSpans}). If the server refuses the request (some vLLM versions reject or crash on
     * {@code max_tokens: 0}) or answers without the prompt's logprobs (some treat {@code logprobs: 0} as none), it is
     * asked once more with {@code max_tokens: 1, logprobs: 1}, the generated token is dropped (the last
     * {@code usage.completion_tokens} tokens, and any token placed at or after the end of {@code context}), and later
     * calls ask that way at once. A vLLM with prefix caching may leave out the logprobs of cached prompt tokens: the
     * score is then absent.
     *
     * @return the scored tokens, or null when the server cannot score prompts (logged once per backend, not per call)
     */
    @Override
    public List<ScoredToken> score(String context, int from) {
        PonderException first = null;
        if (!echoNeedsAToken) {
            try {
                return echoScore(context, from, 0);
            } catch (PonderException e) {
                first = e;
            }
        }
        try {
            List<ScoredToken> out = echoScore(context, from, 1);
            echoNeedsAToken = true;
            return out;
        } catch (PonderException e) {
            if (scoreFailureLogged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, name() + ": cannot score prompts, the name-familiarity features are absent ("
                        + (first != null ? first.getMessage() + "; asked again with max_tokens 1: " : "") + e.getMessage() + ")");
            }
            return null;
        }
    }

    /** One echoed completion of {@code context} generating {@code maxTokens} (0 or 1), read as scored prompt tokens. */
    private List<ScoredToken> echoScore(String context, int from, int maxTokens) {
        ObjectNode req = JSON.createObjectNode();
        req.put("model", model);
        req.put("prompt", context);
        req.put("echo", true);
        req.put("max_tokens", maxTokens);
        req.put("logprobs", maxTokens);
        req.put("temperature", 0);
        JsonNode res = post("/v1/completions", req);
        JsonNode choice = res.path("choices").path(0);
        JsonNode text = choice.path("text");
        if (!text.isTextual() || !text.asText().startsWith(context)) throw new PonderException("the answer does not echo the prompt");
        JsonNode lp = choice.path("logprobs"), tokens = lp.path("tokens"), lps = lp.path("token_logprobs");
        if (!tokens.isArray() || !lps.isArray() || lps.size() != tokens.size() || tokens.isEmpty()) {
            throw new PonderException("the answer has no logprobs of the prompt's tokens");
        }
        int n = tokens.size();
        if (maxTokens > 0) n -= Math.min(n, Math.max(0, res.path("usage").path("completion_tokens").asInt(0)));
        String[] texts = new String[n];
        for (int i = 0; i < n; i++) texts[i] = tokens.get(i).asText("");
        int[][] spans = EchoSpans.fromOffsets(text.asText(), texts, lp.path("text_offset"));
        if (spans == null) spans = EchoSpans.byMatching(text.asText(), texts);
        List<ScoredToken> out = new ArrayList<>();
        int covered = 0;
        for (int i = 0; i < n; i++) {
            int start = spans[i][0], end = spans[i][1];
            if (start >= context.length() && !(start == 0 && end == 0)) continue; // generated (max_tokens 1)
            end = Math.min(end, context.length());
            covered = Math.max(covered, end);
            JsonNode l = lps.get(i);
            if (!l.isNumber()) {
                if (i == 0) continue; // the first token: nothing before it
                throw new PonderException("prompt token " + i + " has no logprob");
            }
            if (end > from) out.add(new ScoredToken(start, end, l.asDouble()));
        }
        if (covered != context.length()) throw new PonderException("the echoed tokens cover " + covered + " of the prompt's " + context.length() + " characters");
        return out;
    }

    /**
     * Character spans of echoed prompt tokens within the echoed text ({@code [start, end)}, UTF-16 indices): from the
     * server's {@code text_offset} when they are exact, else by matching each token's text in order.
     */
    static final class EchoSpans {
        /** Characters a token that matches nothing may stand for, at most, before the next token matches. */
        static final int RESYNC = 8;

        private EchoSpans() {}

        /**
         * The spans {@code text_offset} gives (code points from the start of {@code text}), or null unless they put
         * the tokens one after the other from 0, each token's text exactly where {@code text} has it.
         */
        static int[][] fromOffsets(String text, String[] tokens, JsonNode offsets) {
            if (!offsets.isArray() || offsets.size() < tokens.length) return null;
            int[][] spans = new int[tokens.length][];
            int at = 0, atCodePoint = 0;
            for (int i = 0; i < tokens.length; i++) {
                JsonNode o = offsets.get(i);
                if (!o.canConvertToInt() || o.asInt() != atCodePoint || !text.startsWith(tokens[i], at)) return null;
                spans[i] = new int[] {at, at + tokens[i].length()};
                at += tokens[i].length();
                atCodePoint += tokens[i].codePointCount(0, tokens[i].length());
            }
            return spans;
        }

        /**
         * Spans found by reading the tokens' texts along {@code text} in order. A token matches where {@code text}
         * continues with its text, or with that text read as SentencePiece ({@code ▁} is a space), as GPT-2 byte-level
         * characters, or as a byte token {@code <0xNN>} (at the start of the text, also without the space SentencePiece
         * puts before it). A token that matches nothing (a BOS that is not in the text,
         * a piece of a character shown as U+FFFD or as bytes) gets an empty span; when the next token matches only
         * further on (at most {@value #RESYNC} characters), the last such token stands for the characters skipped.
         * Tokens after a point where nothing matches get empty spans there (the caller sees that the prompt is not covered).
         */
        static int[][] byMatching(String text, String[] tokens) {
            int[][] spans = new int[tokens.length][];
            int pos = 0, lastUnmatched = -1;
            for (int i = 0; i < tokens.length; i++) {
                List<String> forms = forms(tokens[i]);
                String m = matchAt(text, pos, forms);
                if (m == null && lastUnmatched >= 0) {
                    for (int skip = 1; skip <= RESYNC && pos + skip <= text.length() && m == null; skip++) {
                        m = matchAt(text, pos + skip, forms);
                        if (m != null) {
                            spans[lastUnmatched][1] = pos + skip;
                            pos += skip;
                        }
                    }
                }
                if (m == null) {
                    spans[i] = new int[] {pos, pos};
                    lastUnmatched = i;
                    continue;
                }
                spans[i] = new int[] {pos, pos + m.length()};
                pos += m.length();
                lastUnmatched = -1;
            }
            if (lastUnmatched >= 0 && text.length() - pos <= RESYNC) spans[lastUnmatched][1] = text.length();
            return spans;
        }

        /** The form of a token that {@code text} continues with at {@code pos}; at 0 also one without its leading space (SentencePiece's). */
        private static String matchAt(String text, int pos, List<String> forms) {
            for (String f : forms) if (text.startsWith(f, pos)) return f;
            if (pos == 0) for (String f : forms) if (f.length() > 1 && f.charAt(0) == ' ' && text.startsWith(f.substring(1))) return f.substring(1);
            return null;
        }

        /** The texts a token may stand for: as given, SentencePiece's, GPT-2 byte-level's, a byte token's. */
        static List<String> forms(String token) {
            List<String> out = new ArrayList<>(3);
            out.add(token);
            if (token.indexOf('\u2581') >= 0) out.add(token.replace('\u2581', ' '));
            String bytes = byteLevel(token);
            if (bytes != null && !bytes.equals(token)) out.add(bytes);
            if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) {
                try {
                    int b = Integer.parseInt(token.substring(3, 5), 16);
                    if (b < 0x80) out.add(String.valueOf((char) b));
                } catch (NumberFormatException e) {
                    // not a byte token
                }
            }
            return out;
        }

        /** GPT-2's byte-level alphabet: the byte each of its 256 characters stands for (-1: not one of them). */
        private static final int[] BYTE_OF = new int[324];

        static {
            java.util.Arrays.fill(BYTE_OF, -1);
            int extra = 0;
            for (int b = 0; b < 256; b++) {
                boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
                BYTE_OF[printable ? b : 256 + extra++] = b;
            }
        }

        /** {@code token} read as GPT-2 byte-level characters and decoded as UTF-8, or null if it is not such text. */
        static String byteLevel(String token) {
            byte[] b = new byte[token.length()];
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c >= BYTE_OF.length || BYTE_OF[c] < 0) return null;
                b[i] = (byte) BYTE_OF[c];
            }
            try {
                return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                return null; // a piece of a character
            }
        }
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
