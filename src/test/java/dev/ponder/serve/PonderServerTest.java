package dev.ponder.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.SamplerSettings;
import dev.ponder.eval.WorldFormat;
import dev.ponder.knowledge.Document;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.think.Backend;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.think.OpenAIBackend;
import dev.ponder.think.Ponder;
import dev.ponder.think.Result;
import dev.ponder.think.TraceEvent;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ponder serve in-process on an ephemeral port, driven over HTTP by the JDK client. */
class PonderServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "test-key";
    static final String Q = "Question: Where was Lurku Pikirken born?\nAnswer:";
    static final List<String> QUESTIONS = List.of("Where was Lurku Pikirken born?", "Which city is Zuru Voto originally from?",
            "Who is the spouse of Zuru Voto?", "Where does Ada Lovo work?");

    /** An A question: ponder-nano drafts {@code <<calc 2052-1982>>} and the tool's result. */
    static final String AGE = "By 2052, Dofi Rabule had lived for how many years?";
    static final String COUNTDOWN = "Combine 4, 8, 75, 100 with + - * / (each at most once) to get 150.";
    /** Small, so a search in a test stays quick. */
    static final int SEARCH_NODES = 8;

    @TempDir static Path dir;
    static Model model;
    /** A second instance for the embedded backend: a Model serves one thread at a time, the scheduler owns the first. */
    static Model own;
    static LibraryIndex library;
    static BatchingBackend batching;
    static PonderServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        model = Model.load(Path.of("models/ponder-nano.gguf"));
        own = Model.load(Path.of("models/ponder-nano.gguf"));
        library = LibraryIndex.open(dir.resolve("index"));
        library.add(new Document("person-1", "Zuru Voto", "Zuru Voto is a nurse who works at Fedu Group. Voto was born in 1971 in Nanurford."));
        library.add(new Document("person-2", "Ada Lovo", "Ada Lovo is a baker who works at Rive Foods. Lovo was born in 1950 in Gamma City."));
        library.add(new Document("city-1", "Gamma City", "Gamma City is a city in Deltaland, founded in 1200."));
        library.commit();
        batching = new BatchingBackend(model, "nano", 2, 16);
        server = new PonderServer(batching, library, new PonderServer.Options("ponder-nano", KEY, 4096, 300, 3,
                Calibration.fallback(), Budget.defaults()).withSearchNodes(SEARCH_NODES)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        batching.close();
        library.close();
        model.close();
        own.close();
    }

    static HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String param) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertNotNull(e, r.body());
        assertTrue(e.get("message").isTextual() && e.has("type") && e.has("param") && e.has("code"), r.body());
        if (param != null) assertEquals(param, e.get("param").asText(), r.body());
    }

    /** The data payloads of an SSE body, and its comment lines. */
    record Sse(List<JsonNode> chunks, List<String> comments, boolean done) {
        static Sse parse(String body) throws Exception {
            List<JsonNode> chunks = new ArrayList<>();
            List<String> comments = new ArrayList<>();
            boolean done = false;
            for (String block : body.split("\n\n")) {
                for (String line : block.split("\n")) {
                    if (line.startsWith(":")) comments.add(line.substring(1).strip());
                    else if (line.equals("data: [DONE]")) done = true;
                    else if (line.startsWith("data: ")) chunks.add(JSON.readTree(line.substring(6)));
                    else if (!line.isEmpty()) fail("unexpected SSE line " + line);
                }
            }
            return new Sse(chunks, comments, done);
        }
    }

    @Test
    void healthModelsAndThePage() throws Exception {
        HttpResponse<String> h = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("ok", ok(h).get("status").asText());
        HttpResponse<String> m = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("ponder-nano", ok(m).get("data").get(0).get("id").asText());
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertError(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/nothing")).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString()), 404, null);
    }

    @Test
    void completionWithLogprobsIsTheEnginesGreedyText() throws Exception {
        JsonNode r = ok(post("/v1/completions", "{\"model\":\"x\",\"prompt\":" + JSON.writeValueAsString(Q)
                + ",\"max_tokens\":8,\"temperature\":0,\"logprobs\":3,\"stop\":[\"\\n\"]}", KEY));
        assertEquals("text_completion", r.get("object").asText());
        JsonNode c = r.get("choices").get(0);
        try (EmbeddedBackend eb = new EmbeddedBackend(own, "nano")) {
            assertEquals(eb.generate(Q, 8, "\n").text(), c.get("text").asText());
        }
        assertEquals("stop", c.get("finish_reason").asText());
        JsonNode lp = c.get("logprobs");
        int n = lp.get("tokens").size();
        assertTrue(n >= 1);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < n; i++) {
            assertEquals(joined.length(), lp.get("text_offset").get(i).asInt());
            joined.append(lp.get("tokens").get(i).asText());
            assertTrue(lp.get("token_logprobs").get(i).asDouble() <= 0);
            assertEquals(3, lp.get("top_logprobs").get(i).size());
        }
        assertEquals(c.get("text").asText(), joined.toString());
        assertEquals(11, r.get("usage").get("prompt_tokens").asInt());
        assertEquals(r.get("usage").get("prompt_tokens").asInt() + r.get("usage").get("completion_tokens").asInt(), r.get("usage").get("total_tokens").asInt());
    }

    @Test
    void chatLogprobsAndStreamingPlainChat() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Where was Lurku Pikirken born?\"}],\"ponder\":{\"enabled\":false},"
                + "\"logprobs\":true,\"top_logprobs\":2,\"max_tokens\":8,\"temperature\":0";
        JsonNode r = ok(post("/v1/chat/completions", body + "}", KEY));
        assertEquals("chat.completion", r.get("object").asText());
        JsonNode c = r.get("choices").get(0);
        assertEquals("assistant", c.get("message").get("role").asText());
        JsonNode first = c.get("logprobs").get("content").get(0);
        assertTrue(first.get("token").isTextual() && first.get("logprob").isNumber() && first.get("bytes").isArray());
        assertEquals(2, first.get("top_logprobs").size());
        assertFalse(r.has("ponder"));
        Sse s = Sse.parse(ok2(post("/v1/chat/completions", body + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}", KEY)));
        assertTrue(s.done());
        StringBuilder text = new StringBuilder();
        for (JsonNode ch : s.chunks()) {
            assertEquals("chat.completion.chunk", ch.get("object").asText());
            for (JsonNode choice : ch.get("choices")) text.append(choice.get("delta").path("content").asText(""));
        }
        assertEquals(c.get("message").get("content").asText(), text.toString());
        assertEquals("assistant", s.chunks().getFirst().get("choices").get(0).get("delta").get("role").asText());
        JsonNode usage = s.chunks().getLast();
        assertEquals(0, usage.get("choices").size());
        assertTrue(usage.get("usage").get("total_tokens").asInt() > 0);
    }

    static String ok2(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return r.body();
    }

    @Test
    void slowThinkingChatCarriesTheTraceAndStreamsItAsComments() throws Exception {
        String q = "{\"messages\":[{\"role\":\"user\",\"content\":\"Which city is Zuru Voto originally from?\"}],\"ponder\":{\"pauses\":2,\"mode\":\"abstain\"}";
        JsonNode r = ok(post("/v1/chat/completions", q + "}", KEY));
        JsonNode p = r.get("ponder");
        assertTrue(p.get("confidence").isNumber() && p.get("abstained").isBoolean());
        assertEquals("start", p.get("trace").get(0).get("type").asText());
        assertEquals("outcome", p.get("trace").get(p.get("trace").size() - 1).get("type").asText());
        assertEquals(p.get("trace").get(p.get("trace").size() - 1).get("answer").asText(), r.get("choices").get(0).get("message").get("content").asText());
        assertTrue(p.get("pauses").asInt() <= 2);

        Sse s = Sse.parse(ok2(post("/v1/chat/completions", q + ",\"stream\":true}", KEY)));
        assertTrue(s.done());
        assertTrue(s.comments().getFirst().startsWith("ponder {\"type\":\"start\""), s.comments().getFirst());
        assertTrue(s.comments().getLast().startsWith("ponder {\"type\":\"outcome\""));
        JsonNode last = s.chunks().getLast();
        assertEquals("stop", last.get("choices").get(0).get("finish_reason").asText());
        assertEquals(p.get("trace").size(), last.get("ponder").get("trace").size());
        StringBuilder text = new StringBuilder();
        for (JsonNode ch : s.chunks()) text.append(ch.get("choices").get(0).get("delta").path("content").asText(""));
        assertEquals(r.get("choices").get(0).get("message").get("content").asText(), text.toString(), "the same answer streamed");
    }

    static String chat(String question, String ponder) throws Exception {
        return "{\"messages\":[{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(question) + "}],\"ponder\":" + ponder;
    }

    static List<JsonNode> events(JsonNode trace, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : trace) if (e.get("type").asText().equals(type)) out.add(e);
        return out;
    }

    @Test
    void aDraftThatCallsTheCalculatorCarriesTheExactResultInItsTrace() throws Exception {
        JsonNode r = ok(post("/v1/chat/completions", chat(AGE, "{\"pauses\":1}") + "}", KEY));
        JsonNode trace = r.get("ponder").get("trace");
        List<JsonNode> calls = events(trace, "tool_call");
        assertFalse(calls.isEmpty(), "the draft called a tool: " + trace);
        JsonNode call = calls.getFirst();
        assertEquals(0, call.get("pause").asInt(), call.toString());
        assertEquals("calc", call.get("tool").asText(), call.toString());
        assertEquals("2052-1982", call.get("arguments").asText().strip(), call.toString());
        assertEquals("70", call.get("result").asText(), "the calculator's exact result: " + call);
        assertFalse(call.get("isError").asBoolean(), call.toString());
        assertTrue(call.get("nanos").asLong() >= 0, call.toString());
        // the event reads back as the controller's record
        TraceEvent.ToolCall back = (TraceEvent.ToolCall) dev.ponder.think.Trace.parse(call.toString()).events().getFirst();
        assertEquals(new TraceEvent.ToolCall(0, "calc", call.get("arguments").asText(), "70", false, call.get("nanos").asLong()), back);
        String draft = events(trace, "draft").getFirst().get("answer").asText();
        assertTrue(draft.contains("70"), "the result is in the draft: " + draft);
        for (JsonNode t : events(trace, "trigger")) {
            assertTrue(t.get("strategy").isTextual() && t.get("strategyReason").isTextual(), t.toString());
        }

        Sse s = Sse.parse(ok2(post("/v1/chat/completions", chat(AGE, "{\"pauses\":1}") + ",\"stream\":true}", KEY)));
        List<String> streamed = s.comments().stream().filter(c -> c.startsWith("ponder {\"type\":\"tool_call\"")).toList();
        assertEquals(calls.size(), streamed.size(), s.comments().toString());
        assertEquals(call.get("result").asText(), JSON.readTree(streamed.getFirst().substring("ponder ".length())).get("result").asText());

        JsonNode off = ok(post("/v1/chat/completions", chat(AGE, "{\"pauses\":1,\"tools\":false}") + "}", KEY));
        assertTrue(events(off.get("ponder").get("trace"), "tool_call").isEmpty(), "tools: false runs no tool: " + off);
    }

    @Test
    void aCountdownIsSearchedWhenItsDraftDoesNotVerify() throws Exception {
        dev.ponder.eval.CountdownVerifier v = dev.ponder.eval.CountdownVerifier.forQuestion(COUNTDOWN).orElseThrow();
        for (String algorithm : List.of("mcts", "beam")) {
            JsonNode r = ok(post("/v1/chat/completions", chat(COUNTDOWN, "{\"search\":\"" + algorithm + "\",\"mode\":\"answer\"}") + "}", KEY));
            JsonNode p = r.get("ponder");
            JsonNode trace = p.get("trace");
            assertEquals("search:" + algorithm, trace.get(0).get("method").asText(), trace.toString());
            String draft = events(trace, "draft").getFirst().get("answer").asText();
            List<JsonNode> searches = events(trace, "search");
            if (v.score(draft).valid()) {
                assertTrue(searches.isEmpty(), "a verified draft is not searched: " + trace);
                continue;
            }
            assertEquals(1, searches.size(), trace.toString());
            JsonNode e = searches.getFirst();
            assertEquals(algorithm, e.get("algorithm").asText(), e.toString());
            assertTrue(e.get("nodes").asInt() >= 1 && e.get("nodes").asInt() <= SEARCH_NODES, e.toString());
            assertTrue(e.get("tokens").asInt() >= 1 && e.get("best").isTextual() && e.get("nanos").asLong() > 0, e.toString());
            assertEquals(v.score(e.get("best").asText()).valid(), e.get("verified").asBoolean(), "verified only if the puzzle's check accepts it: " + e);
            assertEquals("search", events(trace, "trigger").getFirst().get("strategy").asText());
            TraceEvent.Search back = (TraceEvent.Search) dev.ponder.think.Trace.parse(e.toString()).events().getFirst();
            assertEquals(e.get("best").asText(), back.best());
            assertEquals(1, p.get("pauses").asInt());
        }
        JsonNode none = ok(post("/v1/chat/completions", chat(COUNTDOWN, "{\"search\":\"none\",\"pauses\":0}") + "}", KEY));
        assertEquals("ponder", none.get("ponder").get("trace").get(0).get("method").asText());
        assertTrue(events(none.get("ponder").get("trace"), "search").isEmpty());
        assertError(post("/v1/chat/completions", chat(COUNTDOWN, "{\"search\":\"dfs\"}") + "}", KEY), 400, "ponder.search");
        assertError(post("/v1/chat/completions", chat(AGE, "{\"tools\":\"yes\"}") + "}", KEY), 400, "ponder.tools");
    }

    @Test
    void aSearchSharesTheModelWithTheSchedulerWithoutDisturbingEither() throws Exception {
        dev.ponder.eval.CountdownVerifier v = dev.ponder.eval.CountdownVerifier.forQuestion(COUNTDOWN).orElseThrow();
        String prompt = new WorldFormat().prompt(COUNTDOWN, List.of(), "");
        var budget = dev.ponder.think.search.SearchBudget.nodes(12);
        // alone, on the second instance
        dev.ponder.think.search.SearchResult alone = new dev.ponder.think.search.Mcts(new dev.ponder.think.search.EngineSearchModel(own),
                dev.ponder.think.search.Mcts.Settings.defaults()).run(prompt, v, budget);
        String expected;
        try (EmbeddedBackend eb = new EmbeddedBackend(own, "nano")) {
            expected = eb.generate(Q, 40, null).text();
        }
        // on the served model while the scheduler decodes a generation
        Job j = batching.submit(batching.encodePrompt(Q), SamplerSettings.GREEDY, 40, List.of(), 0, new CancelToken());
        dev.ponder.think.search.SearchResult shared = new dev.ponder.think.search.Mcts(new SharedSearchModel(batching, new CancelToken()),
                dev.ponder.think.search.Mcts.Settings.defaults()).run(prompt, v, budget);
        StringBuilder text = new StringBuilder();
        for (Job.Event e = j.take(); ; e = j.take()) {
            if (e instanceof Job.Token t) text.append(t.text());
            else if (e instanceof Job.Done d) { text.append(d.tail()); break; }
            else fail("generation failed: " + e);
        }
        assertEquals(expected, text.toString(), "the generation is as if alone");
        assertEquals(alone.best(), shared.best(), "the search is as if alone");
        assertEquals(alone.nodes(), shared.nodes());
        assertEquals(alone.tokens(), shared.tokens());

        CancelToken gone = new CancelToken();
        gone.cancel();
        assertThrows(CancelledException.class, () -> new dev.ponder.think.search.Mcts(new SharedSearchModel(batching, gone),
                dev.ponder.think.search.Mcts.Settings.defaults()).run(prompt, v, budget), "a cancelled request's search stops");
    }

    @Test
    void badRequestsAreAnsweredWithOpenAIErrors() throws Exception {
        assertError(post("/v1/completions", "{\"prompt\":\"x\"}", null), 401, null);
        assertError(post("/v1/completions", "{\"prompt\":\"x\"}", "wrong"), 401, null);
        assertError(post("/v1/completions", "{\"prompt\":\"" + "x".repeat(5000) + "\"}", KEY), 413, null);
        assertError(post("/v1/completions", "{\"prompt\": \"x\",", KEY), 400, null);
        assertError(post("/v1/completions", "[1]", KEY), 400, null);
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":301}", KEY), 400, "max_tokens");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":\"8\"}", KEY), 400, "max_tokens");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":0}", KEY), 400, "max_tokens");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"temperature\":3}", KEY), 400, "temperature");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"top_p\":\"a\"}", KEY), 400, "top_p");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"logprobs\":6}", KEY), 400, "logprobs");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"stop\":[1]}", KEY), 400, "stop");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"seed\":1.5}", KEY), 400, "seed");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"stream\":\"yes\"}", KEY), 400, "stream");
        assertError(post("/v1/completions", "{}", KEY), 400, "prompt");
        assertError(post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":300}", KEY), 400, "max_tokens"); // over the 256 context
        assertError(post("/v1/chat/completions", "{\"messages\":[]}", KEY), 400, "messages");
        assertError(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", KEY), 400, "messages[0].role");
        assertError(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":2}", KEY), 400, "top_logprobs");
        assertError(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"ponder\":{\"mode\":\"maybe\"}}", KEY), 400, "ponder.mode");
    }

    /** Occupies the scheduler's whole batch with generations that run until cancelled. */
    static List<CancelToken> occupy() {
        List<CancelToken> tokens = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CancelToken t = new CancelToken();
            Job j = batching.submit(batching.encodePrompt("The"), SamplerSettings.GREEDY, 1_000_000, List.of(), 0, true, t);
            j.take();
            tokens.add(t);
        }
        return tokens;
    }

    @Test
    void aFullQueueAnswers429AndBadRequestsDoNotDisturbAStreamingOne() throws Exception {
        List<CancelToken> hold = occupy();
        String good = "{\"prompt\":" + JSON.writeValueAsString(Q) + ",\"max_tokens\":8,\"temperature\":0,\"stream\":true}";
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                waiting.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/completions")).header("Authorization", "Bearer " + KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(good)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            long t0 = System.nanoTime();
            while (batching.stats().waiting() < 3 && System.nanoTime() - t0 < 10_000_000_000L) Thread.sleep(10);
            assertEquals(3, batching.stats().waiting(), "three requests admitted and waiting for the batch");
            assertError(post("/v1/completions", "{\"prompt\":\"x\"}", KEY), 429, null);
            assertError(post("/v1/completions", "{\"prompt\":\"x\"}", null), 401, null);
            assertError(post("/v1/completions", "not json", KEY), 400, null);
            assertError(post("/v1/completions", "x".repeat(5000), KEY), 413, null);
        } finally {
            for (CancelToken t : hold) t.cancel();
        }
        String expected;
        try (EmbeddedBackend eb = new EmbeddedBackend(own, "nano")) {
            expected = eb.generate(Q, 8, null).text();
        }
        for (var f : waiting) {
            Sse s = Sse.parse(ok2(f.get()));
            assertTrue(s.done());
            StringBuilder text = new StringBuilder();
            for (JsonNode ch : s.chunks()) text.append(ch.get("choices").get(0).get("text").asText());
            assertEquals(expected, text.toString());
        }
    }

    @Test
    void aClientThatDisconnectsCancelsItsGeneration() throws Exception {
        long cancelled = batching.stats().cancelled();
        String body = "{\"prompt\":\"The\",\"max_tokens\":250,\"ignore_eos\":true,\"stream\":true}";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: ")) { /* headers */ }
            assertNotNull(line, "a first chunk arrives");
        }
        long t0 = System.nanoTime();
        while (batching.stats().cancelled() == cancelled && System.nanoTime() - t0 < 10_000_000_000L) Thread.sleep(10);
        assertEquals(cancelled + 1, batching.stats().cancelled(), "the generation was cancelled, not run to the end");
    }

    /** A prompt with characters split over several tokens (ü, ☃, an emoji outside the BMP), so pieces and code points matter. */
    static final String ECHO = "Question: What kind of work does Vume Sesri do in Zürich ☃ 😀?\nAnswer:";

    static String completion(String prompt, String rest) throws Exception {
        return "{\"model\":\"x\",\"prompt\":" + JSON.writeValueAsString(prompt) + (rest.isEmpty() ? "" : "," + rest) + "}";
    }

    /** The reference: each token's logprob given those before it, one decode step per token on a fresh sequence of the second instance. */
    static double[] tokenByToken(int[] ids) {
        double[] ref = new double[ids.length];
        try (var seq = own.newSequence()) {
            var d = own.prefill(seq, new int[] {ids[0]});
            for (int i = 1; i < ids.length; i++) {
                ref[i] = d.logprob(ids[i]);
                if (i + 1 < ids.length) d = own.decode(seq, ids[i]);
            }
        }
        return ref;
    }

    /** Checks that a completions logprobs object's tokens join to {@code text} at their {@code text_offset} (code points). */
    static void assertJoinsTo(String text, JsonNode lp) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < lp.get("tokens").size(); i++) {
            assertEquals(joined.codePointCount(0, joined.length()), lp.get("text_offset").get(i).asInt(), "text_offset of token " + i + " in " + lp);
            joined.append(lp.get("tokens").get(i).asText());
        }
        assertEquals(text, joined.toString());
    }

    @Test
    void echoReturnsThePromptAndItsLogprobsBeforeTheCompletion() throws Exception {
        int[] ids = batching.encodePrompt(ECHO);
        double[] ref = tokenByToken(ids);
        JsonNode plain = ok(post("/v1/completions", completion(ECHO, "\"max_tokens\":4,\"temperature\":0,\"logprobs\":2"), KEY));
        JsonNode r = ok(post("/v1/completions", completion(ECHO, "\"max_tokens\":4,\"temperature\":0,\"logprobs\":2,\"echo\":true"), KEY));
        JsonNode c = r.get("choices").get(0), pc = plain.get("choices").get(0);
        assertEquals(ECHO + pc.get("text").asText(), c.get("text").asText(), "the prompt, then the same completion");
        assertEquals(pc.get("finish_reason").asText(), c.get("finish_reason").asText());
        assertEquals(ids.length, r.get("usage").get("prompt_tokens").asInt());
        assertEquals(plain.get("usage"), r.get("usage"));
        JsonNode lp = c.get("logprobs"), plp = pc.get("logprobs");
        int promptTokens = ids.length, generated = plp.get("tokens").size();
        assertEquals(promptTokens + generated, lp.get("tokens").size(), lp.toString());
        assertJoinsTo(c.get("text").asText(), lp);
        assertEquals("", lp.get("tokens").get(0).asText(), "the BOS the server adds stands for no text");
        assertTrue(lp.get("token_logprobs").get(0).isNull() && lp.get("top_logprobs").get(0).isNull(), "nothing predicts the first token");
        for (int i = 1; i < promptTokens; i++) {
            double got = lp.get("token_logprobs").get(i).asDouble();
            assertEquals(ref[i], got, 1e-4, "prompt token " + i);
            JsonNode top = lp.get("top_logprobs").get(i);
            assertEquals(2, top.size(), top.toString());
            double best = Double.NEGATIVE_INFINITY;
            for (JsonNode v : top) best = Math.max(best, v.asDouble());
            assertTrue(best >= got - 1e-9, "the best alternative is at least as likely as the token " + i);
        }
        for (int j = 0; j < generated; j++) {
            assertEquals(plp.get("tokens").get(j), lp.get("tokens").get(promptTokens + j));
            assertEquals(plp.get("token_logprobs").get(j).asDouble(), lp.get("token_logprobs").get(promptTokens + j).asDouble(), 1e-9);
            assertEquals(plp.get("ponder_entropy").get(j).asDouble(), lp.get("ponder_entropy").get(promptTokens + j).asDouble(), 1e-9);
        }

        // max_tokens 0: the prompt alone, scored
        JsonNode z = ok(post("/v1/completions", completion(ECHO, "\"max_tokens\":0,\"logprobs\":0,\"echo\":true"), KEY));
        JsonNode zc = z.get("choices").get(0);
        assertEquals(ECHO, zc.get("text").asText());
        assertEquals("length", zc.get("finish_reason").asText());
        assertEquals(0, z.get("usage").get("completion_tokens").asInt());
        assertEquals(promptTokens, zc.get("logprobs").get("tokens").size());
        assertJoinsTo(ECHO, zc.get("logprobs"));
        for (int i = 1; i < promptTokens; i++) {
            assertEquals(lp.get("token_logprobs").get(i).asDouble(), zc.get("logprobs").get("token_logprobs").get(i).asDouble(), 1e-9);
            assertEquals(0, zc.get("logprobs").get("top_logprobs").get(i).size(), "logprobs 0: no alternatives");
        }

        // echo without logprobs: the text only
        JsonNode t = ok(post("/v1/completions", completion(ECHO, "\"max_tokens\":4,\"temperature\":0,\"echo\":true"), KEY));
        assertEquals(c.get("text").asText(), t.get("choices").get(0).get("text").asText());
        assertTrue(t.get("choices").get(0).get("logprobs").isNull());

        // streamed: the prompt (with its logprobs) is the first chunk, the generated tokens follow
        Sse s = Sse.parse(ok2(post("/v1/completions", completion(ECHO, "\"max_tokens\":4,\"temperature\":0,\"logprobs\":2,\"echo\":true,\"stream\":true"), KEY)));
        assertTrue(s.done());
        JsonNode first = s.chunks().getFirst().get("choices").get(0);
        assertEquals(ECHO, first.get("text").asText());
        assertEquals(promptTokens, first.get("logprobs").get("tokens").size());
        StringBuilder text = new StringBuilder();
        List<JsonNode> offsets = new ArrayList<>();
        for (JsonNode ch : s.chunks()) {
            JsonNode choice = ch.get("choices").get(0);
            text.append(choice.get("text").asText());
            if (!choice.get("logprobs").isNull()) choice.get("logprobs").get("text_offset").forEach(offsets::add);
        }
        assertEquals(c.get("text").asText(), text.toString());
        assertEquals(JSON.valueToTree(offsets), lp.get("text_offset"), "the same offsets, streamed");
        assertEquals(pc.get("finish_reason").asText(), s.chunks().getLast().get("choices").get(0).get("finish_reason").asText());
        Sse s0 = Sse.parse(ok2(post("/v1/completions", completion(ECHO, "\"max_tokens\":0,\"echo\":true,\"stream\":true"), KEY)));
        assertTrue(s0.done());
        assertEquals(ECHO, s0.chunks().getFirst().get("choices").get(0).get("text").asText());
        assertEquals("length", s0.chunks().getLast().get("choices").get(0).get("finish_reason").asText());
    }

    @Test
    void theServedModelScoresAPromptAsTheEmbeddedBackendDoes() {
        String q = new WorldFormat().prompt("What kind of work does Vume Sesri do?", List.of(), "");
        // a prompt over several scoring turns (64 tokens each), scored from its start and from near its end
        String longer = "Zuru Voto is a nurse who works at Fedu Group. Voto was born in 1971 in Nanurford. ".repeat(5) + q;
        assertTrue(batching.encodePrompt(longer).length > 2 * BatchingBackend.SCORE_CHUNK);
        for (String text : List.of(q, longer)) {
            for (int from : new int[] {0, text.indexOf("Vume")}) {
                List<Backend.ScoredToken> want;
                try (EmbeddedBackend eb = new EmbeddedBackend(own, "nano")) {
                    want = eb.score(text, from);
                }
                List<Backend.ScoredToken> got = batching.score(text, from);
                assertEquals(want.size(), got.size(), "tokens scored from " + from);
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(want.get(i).start(), got.get(i).start());
                    assertEquals(want.get(i).end(), got.get(i).end());
                    assertEquals(want.get(i).logprob(), got.get(i).logprob(), 1e-4, "token " + i + " from " + from);
                }
            }
        }
        CancelToken gone = new CancelToken();
        gone.cancel();
        assertThrows(CancelledException.class, () -> batching.scorePrompt(q, 0, 0, gone), "a cancelled request's scoring stops");
    }

    @Test
    void echoRequestsThatCannotBeServedAreOpenAIErrors() throws Exception {
        assertError(post("/v1/completions", completion("x", "\"echo\":\"yes\""), KEY), 400, "echo");
        assertError(post("/v1/completions", completion("x", "\"echo\":true,\"max_tokens\":-1"), KEY), 400, "max_tokens");
        assertError(post("/v1/completions", completion("x", "\"echo\":false,\"max_tokens\":0"), KEY), 400, "max_tokens");
        assertError(post("/v1/completions", completion("x", "\"echo\":true,\"logprobs\":6"), KEY), 400, "logprobs");
        assertError(post("/v1/completions", completion("x", "\"echo\":true,\"suffix\":\"y\""), KEY), 400, "suffix");
        assertError(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"echo\":true,\"max_tokens\":0}", KEY), 400, "max_tokens");
        HttpResponse<String> tooLong = post("/v1/completions", completion("a ".repeat(400), "\"echo\":true,\"max_tokens\":0,\"logprobs\":1"), KEY);
        assertError(tooLong, 400, "max_tokens");
        assertEquals("context_length_exceeded", JSON.readTree(tooLong.body()).get("error").get("code").asText());
        assertError(post("/v1/completions", completion("a".repeat(5000), "\"echo\":true,\"max_tokens\":0"), KEY), 413, null);
        // a server over a remote backend echoes the text, but has no prompt logprobs to give
        try (PonderServer relay = new PonderServer(new OpenAIBackend(base, "ponder-nano", KEY), null, PonderServer.Options.defaults("relay"))
                .start("127.0.0.1", 0)) {
            String url = "http://127.0.0.1:" + relay.port() + "/v1/completions";
            HttpResponse<String> lp = HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(
                    completion(Q, "\"echo\":true,\"max_tokens\":0,\"logprobs\":0"))).build(), HttpResponse.BodyHandlers.ofString());
            assertError(lp, 400, "echo");
            JsonNode text = ok(HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(
                    completion(Q, "\"echo\":true,\"max_tokens\":0"))).build(), HttpResponse.BodyHandlers.ofString()));
            assertEquals(Q, text.get("choices").get(0).get("text").asText());
            assertEquals("length", text.get("choices").get(0).get("finish_reason").asText());
        }
    }

    /** Questions for the parity test: ones the committed calibration pauses on (unknown names, a read), and known ones. */
    static final List<String> PARITY = List.of("What kind of work does Vume Sesri do?", "Which city is Zuru Voto originally from?",
            "Where does Ada Lovo work?", "Where was Lurku Pikirken born?", "Who is the spouse of Zuru Voto?");

    @Test
    void theRemoteBackendDecidesAsTheEmbeddedOne() throws Exception {
        Calibration cal = Calibration.load(Path.of("models/ponder-nano.calibration.json")); // as ponder serve and ask load it
        Budget d = Budget.defaults();
        // no time limit that matters: on a busy machine the time a pause may start would decide, not the model
        Budget budget = new Budget(2, d.passagesPerPause(), d.maxEvidenceTokens(), 600_000_000_000L, d.maxAnswerTokens());
        int nameLp = dev.ponder.think.AnswerFeatures.NAMES.indexOf("name_logprob"), nameTokens = dev.ponder.think.AnswerFeatures.NAMES.indexOf("name_tokens");
        int paused = 0, familiar = 0;
        try (EmbeddedBackend eb = new EmbeddedBackend(own, "nano"); Backend remote = new OpenAIBackend(base + "/v1", "ponder-nano", KEY)) {
            assertEquals(eb.countTokens("Lurku Pikirken is a baker."), remote.countTokens("Lurku Pikirken is a baker."), "tokens counted by the server");
            for (String q : PARITY) {
                Result a = new Ponder(new Drafter(eb, new WorldFormat(), cal, budget), library, Ponder.Mode.ABSTAIN).answer(q);
                Result b = new Ponder(new Drafter(remote, new WorldFormat(), cal, budget), library, Ponder.Mode.ABSTAIN).answer(q);
                assertEquals(a.answer(), b.answer(), q);
                assertEquals(a.abstained(), b.abstained(), q);
                assertEquals(a.pauses(), b.pauses(), q);
                assertEquals(a.confidence(), b.confidence(), 1e-3, q);
                assertEquals(decisions(a), decisions(b), q);
                List<TraceEvent.Draft> da = a.trace().of(TraceEvent.Draft.class), db = b.trace().of(TraceEvent.Draft.class);
                for (int i = 0; i < da.size(); i++) {
                    assertEquals(da.get(i).features()[nameTokens], db.get(i).features()[nameTokens], q + ": names' tokens scored");
                    assertEquals(da.get(i).features()[nameLp], db.get(i).features()[nameLp], 1e-3, q + ": names' mean logprob");
                }
                if (a.pauses() > 0) paused++;
                if (da.getFirst().features()[nameTokens] > 0) familiar++;
            }
        }
        assertTrue(paused >= 1, "some question paused");
        assertEquals(PARITY.size(), familiar, "every question's names were scored, remotely too");
    }

    /**
     * What the controller decided, step by step: each draft's answer, each trigger's pause, kind of reason (its
     * numbers left out) and strategy, each retrieval's query and the documents it found and took, each rollback, each
     * injection's documents, the outcome's answer, abstention, reason and counts.
     */
    static List<String> decisions(Result r) {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : r.trace().events()) {
            switch (e) {
                case TraceEvent.Draft d -> out.add("draft " + d.pause() + " " + d.answer());
                case TraceEvent.Trigger t -> out.add("trigger " + t.pause() + " " + t.reason().replaceAll("[0-9.]+", "#") + " -> " + t.strategy()
                        + " (weakest " + t.weakestToken() + ")");
                case TraceEvent.Retrieve q -> out.add("retrieve " + q.pause() + " " + q.query() + " "
                        + q.hits().stream().map(h -> h.docId() + (h.used() ? "*" : "")).toList());
                case TraceEvent.Rollback b -> out.add("rollback " + b.pause() + " " + b.fromToken() + " " + b.kept());
                case TraceEvent.Inject i -> out.add("inject " + i.pause() + " " + i.docIds());
                case TraceEvent.Outcome o -> out.add("outcome " + o.answer().replaceAll("[0-9]\\.[0-9]+", "#") + " abstained=" + o.abstained() + " "
                        + o.reason().replaceAll("[0-9]\\.[0-9]+", "#") + " pauses=" + o.pauses() + " retrievals=" + o.retrievals());
                default -> { }
            }
        }
        return out;
    }
}
