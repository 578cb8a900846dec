package dev.ponder.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A load generator for an OpenAI-compatible server: {@code C} concurrent clients, each sending {@code R}
 * streaming completions one after another (greedy, {@code ignore_eos}, a fixed {@code max_tokens}, so every
 * request costs the same), over the JDK's HTTP client reading the server-sent events as they arrive.
 *
 * <p>Nothing may be lost: every stream must end with {@code data: [DONE]}, report {@code max_tokens} completion
 * tokens in its usage chunk, and spell exactly the text the server gave for the same prompt without streaming
 * (fetched first, one request at a time). Streams that do not are counted as lost, HTTP errors as failed.
 */
public final class LoadBench {
    /** The prompts the clients cycle through (world-format questions the default model was trained on). */
    public static final List<String> PROMPTS = List.of(
            "Question: Where was Lurku Pikirken born?\nAnswer:",
            "Question: When was Lurku Pikirken born?\nAnswer:",
            "Question: Who employs Lurku Pikirken?\nAnswer:",
            "Question: What is the occupation of Lurku Pikirken?\nAnswer:");

    /**
     * The measurement at one concurrency.
     *
     * @param clients concurrent clients C
     * @param requests requests sent (C × R)
     * @param lost streams without [DONE], with the wrong token count, or with other text than the non-streamed one
     * @param failed requests answered with an HTTP error or a broken connection
     * @param seconds wall time from the first request to the last [DONE]
     * @param tokens completion tokens received in complete streams
     * @param latencyMs per-request latency (send to [DONE]), sorted ascending
     * @param firstTokenMs per-request time to the first non-empty text chunk, sorted ascending
     * @param firstError the first problem seen (null: none)
     */
    public record Result(int clients, int requests, int lost, int failed, double seconds, long tokens,
                         double[] latencyMs, double[] firstTokenMs, String firstError) {
        /** Complete requests per second of wall time. */
        public double requestsPerSecond() {
            return (requests - lost - failed) / seconds;
        }

        /** Completion tokens of complete streams per second of wall time. */
        public double tokensPerSecond() {
            return tokens / seconds;
        }

        /** One line for the report. */
        public String summary() {
            return String.format(Locale.ROOT,
                    "C=%-3d %4d requests in %6.2f s: %7.2f req/s, %8.1f tok/s; latency p50 %6.0f ms, p99 %6.0f ms; first token p50 %5.0f ms, p99 %5.0f ms; %d lost, %d failed",
                    clients, requests, seconds, requestsPerSecond(), tokensPerSecond(), percentile(latencyMs, 50), percentile(latencyMs, 99),
                    percentile(firstTokenMs, 50), percentile(firstTokenMs, 99), lost, failed);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final URI completions;
    private final String apiKey;
    private final String model;
    private final int maxTokens;
    private final List<String> expected = new ArrayList<>(); // non-streamed text per prompt

    /**
     * @param baseUrl the API root, e.g. {@code http://127.0.0.1:8080/v1}
     * @param apiKey bearer key (null: none)
     * @param model the model id to send
     * @param maxTokens tokens per request (the server must honour {@code ignore_eos})
     */
    public LoadBench(String baseUrl, String apiKey, String model, int maxTokens) {
        this.completions = URI.create(baseUrl.replaceAll("/+$", "") + "/completions");
        this.apiKey = apiKey;
        this.model = model;
        this.maxTokens = maxTokens;
    }

    /**
     * Fetches the expected text of every prompt without streaming (and warms the server up with {@code
     * warmupClients} concurrent streams, not measured).
     */
    public void prepare(int warmupClients) throws IOException, InterruptedException {
        expected.clear();
        for (String p : PROMPTS) {
            HttpResponse<String> r = http.send(request(p, false), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new PonderException("the server answered " + r.statusCode() + ": " + r.body().strip());
            JsonNode body = Json.MAPPER.readTree(r.body());
            int n = body.path("usage").path("completion_tokens").asInt(-1);
            if (n != maxTokens) {
                throw new PonderException("the server generated " + n + " tokens instead of max_tokens " + maxTokens + " (does it support ignore_eos?)");
            }
            expected.add(body.get("choices").get(0).get("text").asText());
        }
        if (warmupClients > 0) run(warmupClients, 1);
    }

    /** Runs {@code clients} concurrent clients sending {@code perClient} streaming requests each. */
    public Result run(int clients, int perClient) throws InterruptedException {
        if (expected.isEmpty()) throw new IllegalStateException("call prepare() first");
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    List<Outcome> out = new ArrayList<>();
                    for (int i = 0; i < perClient; i++) out.add(stream((client + i) % PROMPTS.size()));
                    return out;
                }));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Outcome> all = new ArrayList<>();
        for (Future<List<Outcome>> f : futures) {
            try {
                all.addAll(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        int lost = 0, failed = 0;
        long tokens = 0;
        String firstError = null;
        List<Double> lat = new ArrayList<>(), ttft = new ArrayList<>();
        for (Outcome o : all) {
            if (o.error != null) {
                if (o.failed) failed++;
                else lost++;
                if (firstError == null) firstError = o.error;
                continue;
            }
            tokens += o.tokens;
            lat.add(o.latencyMs);
            ttft.add(o.firstTokenMs);
        }
        return new Result(clients, all.size(), lost, failed, seconds, tokens, sorted(lat), sorted(ttft), firstError);
    }

    /** One streamed request: failed (HTTP error), lost (incomplete or wrong), or complete. */
    private record Outcome(String error, boolean failed, long tokens, double latencyMs, double firstTokenMs) {
        static Outcome failed(String why) {
            return new Outcome(why, true, 0, 0, 0);
        }

        static Outcome lost(String why) {
            return new Outcome(why, false, 0, 0, 0);
        }
    }

    private Outcome stream(int prompt) {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r;
        try {
            r = http.send(request(PROMPTS.get(prompt), true), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return Outcome.failed("connection: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted");
        }
        StringBuilder text = new StringBuilder();
        long first = -1;
        int usageTokens = -1;
        boolean done = false;
        long end = 0; // when [DONE] arrived
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            if (r.statusCode() != 200) {
                String body = in.lines().reduce("", String::concat);
                return Outcome.failed("HTTP " + r.statusCode() + ": " + body);
            }
            String line;
            while ((line = in.readLine()) != null) { // to the end of the body, so the connection returns to the pool whole
                if (!line.startsWith("data:")) continue; // blank separators and ": comments"
                String data = line.substring(5).strip();
                if (done) return Outcome.lost("data after [DONE]: " + data);
                if (data.equals("[DONE]")) {
                    done = true;
                    end = System.nanoTime();
                    continue;
                }
                JsonNode chunk = Json.MAPPER.readTree(data);
                if (chunk.has("error")) return Outcome.lost("error event: " + data);
                if (chunk.path("usage").isObject()) usageTokens = chunk.get("usage").path("completion_tokens").asInt(-1);
                for (JsonNode ch : chunk.path("choices")) {
                    String piece = ch.path("text").asText("");
                    if (!piece.isEmpty() && first < 0) first = System.nanoTime();
                    text.append(piece);
                }
            }
        } catch (IOException e) {
            return Outcome.lost("stream broke after " + text.length() + " chars: " + e);
        }
        if (!done) return Outcome.lost("the stream ended without [DONE] after " + text.length() + " chars");
        if (usageTokens != maxTokens) return Outcome.lost("usage says " + usageTokens + " completion tokens, expected " + maxTokens);
        if (!text.toString().equals(expected.get(prompt))) {
            return Outcome.lost("streamed text differs from the non-streamed text: " + Json.MAPPER.valueToTree(text.toString()) + " vs "
                    + Json.MAPPER.valueToTree(expected.get(prompt)));
        }
        return new Outcome(null, false, usageTokens, (end - t0) / 1e6, ((first < 0 ? end : first) - t0) / 1e6);
    }

    private HttpRequest request(String prompt, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("prompt", prompt);
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0);
        body.put("ignore_eos", true);
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(completions).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b.build();
    }

    private static double[] sorted(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** The nearest-rank percentile of an ascending array (NaN when empty). */
    public static double percentile(double[] sortedAscending, double p) {
        if (sortedAscending.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sortedAscending.length);
        return sortedAscending[Math.clamp(rank - 1, 0, sortedAscending.length - 1)];
    }
}
