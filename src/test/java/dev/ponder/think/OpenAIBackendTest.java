package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAIBackend#score} against small fake servers answering in the shapes real ones use (the end-to-end run
 * against {@code ponder serve} is in {@code PonderServerTest}).
 */
class OpenAIBackendTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROMPT = "Question: Who is Zoë Sesri?\nAnswer:";

    HttpServer server;
    /** The bodies the fake server received. */
    final List<JsonNode> requests = new ArrayList<>();

    /** A fake server answering {@code POST /v1/completions} with {@code answer} (status, body) for each request body. */
    OpenAIBackend serve(Function<JsonNode, Object[]> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/completions", ex -> {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            synchronized (requests) {
                requests.add(body);
            }
            Object[] r = answer.apply(body);
            byte[] out = r[1].toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders((Integer) r[0], out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        return new OpenAIBackend("http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "m", null);
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    /** A completions answer: {@code text}, and logprobs of {@code tokens} (null logprob where NaN) with {@code offsets} (null: none). */
    static ObjectNode completion(String text, String[] tokens, double[] logprobs, int[] offsets, int completionTokens) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", 0);
        c.put("text", text);
        ObjectNode lp = c.putObject("logprobs");
        ArrayNode t = lp.putArray("tokens"), l = lp.putArray("token_logprobs"), top = lp.putArray("top_logprobs");
        for (int i = 0; i < tokens.length; i++) {
            t.add(tokens[i]);
            if (Double.isNaN(logprobs[i])) {
                l.addNull();
                top.addNull();
            } else {
                l.add(logprobs[i]);
                top.addObject().put(tokens[i], logprobs[i]);
            }
        }
        if (offsets != null) {
            ArrayNode off = lp.putArray("text_offset");
            for (int x : offsets) off.add(x);
        }
        c.put("finish_reason", "length");
        o.putObject("usage").put("prompt_tokens", tokens.length - completionTokens).put("completion_tokens", completionTokens);
        return o;
    }

    static double[] logprobs(int n) {
        double[] l = new double[n];
        l[0] = Double.NaN;
        for (int i = 1; i < n; i++) l[i] = -0.1 * i;
        return l;
    }

    /** Span and logprob of each scored token, as {@code "text@start:logprob"}. */
    static List<String> show(String context, List<Backend.ScoredToken> scored) {
        List<String> out = new ArrayList<>();
        for (Backend.ScoredToken t : scored) out.add(context.substring(t.start(), t.end()) + "@" + t.start() + ":" + Math.round(-10 * t.logprob()));
        return out;
    }

    @Test
    void vllmsShapeWithRawPiecesABosAndSplitCharactersAfterRefusingMaxTokensZero() throws Exception {
        // vLLM: a BOS that is not in the text, SentencePiece pieces, byte tokens for ë, offsets adding up the token texts
        // from 0; it refuses max_tokens 0, so the answer to max_tokens 1 ends with a generated token (" The")
        String[] tokens = {"<s>", "▁Question", ":", "▁Who", "▁is", "▁Zo", "<0xC3>", "<0xAB>", "▁Ses", "ri", "?", "<0x0A>", "Answer", ":", "▁The"};
        int[] offsets = new int[tokens.length];
        for (int i = 1; i < tokens.length; i++) offsets[i] = offsets[i - 1] + tokens[i - 1].length();
        OpenAIBackend b = serve(req -> req.get("max_tokens").asInt() == 0
                ? new Object[] {500, "{\"error\":{\"message\":\"Internal Server Error\"}}"}
                : new Object[] {200, completion(PROMPT + " The", tokens, logprobs(tokens.length), offsets, 1)});
        List<Backend.ScoredToken> all = b.score(PROMPT, 0);
        assertEquals(List.of("Question@0:1", ":@8:2", " Who@9:3", " is@13:4", " Zo@16:5", "@19:6", "ë@19:7", " Ses@20:8", "ri@24:9", "?@26:10",
                "\n@27:11", "Answer@28:12", ":@34:13"), show(PROMPT, all), "the BOS and the generated token are left out");
        assertEquals(2, requests.size());
        assertEquals(List.of(0, 1), requests.stream().map(r -> r.get("max_tokens").asInt()).toList());
        assertTrue(requests.getFirst().get("echo").asBoolean());
        assertEquals(0, requests.getFirst().get("logprobs").asInt());
        // later calls ask with max_tokens 1 at once; from: only the tokens that end after it
        List<Backend.ScoredToken> names = b.score(PROMPT, PROMPT.indexOf("Zo"));
        assertEquals(3, requests.size());
        assertEquals(1, requests.getLast().get("max_tokens").asInt());
        assertEquals(all.subList(4, all.size()), names);
    }

    @Test
    void gpt2ByteLevelPiecesWithoutOffsets() throws Exception {
        String[] tokens = {"Question", ":", "ĠWho", "Ġis", "ĠZo", "Ã«", "ĠSes", "ri", "?", "Ċ", "Answer", ":"};
        OpenAIBackend b = serve(req -> new Object[] {200, completion(PROMPT, tokens, logprobs(tokens.length), null, 0)});
        assertEquals(List.of(":@8:1", " Who@9:2", " is@13:3", " Zo@16:4", "ë@19:5", " Ses@20:6", "ri@24:7", "?@26:8", "\n@27:9", "Answer@28:10", ":@34:11"),
                show(PROMPT, b.score(PROMPT, 0)), "the first token has no logprob");
        assertEquals(1, requests.size(), "max_tokens 0 was accepted");
    }

    @Test
    void exactOffsetsCountCodePoints() throws Exception {
        String context = "Hi 😀 there";
        String[] tokens = {"", "Hi", " 😀", " there"};
        int[] offsets = {0, 0, 2, 4}; // code points: the emoji is one
        OpenAIBackend b = serve(req -> new Object[] {200, completion(context, tokens, logprobs(tokens.length), offsets, 0)});
        assertEquals(List.of("Hi@0:1", " 😀@2:2", " there@5:3"), show(context, b.score(context, 0)));
        assertEquals(List.of(" 😀@2:2", " there@5:3"), show(context, b.score(context, 2)));
    }

    @Test
    void aServerThatCannotScoreGivesNullAndIsLoggedOnce() throws Exception {
        List<LogRecord> logged = new ArrayList<>();
        Logger log = Logger.getLogger(OpenAIBackend.class.getName());
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) {
                logged.add(r);
            }
            @Override public void flush() {}
            @Override public void close() {}
        };
        log.addHandler(h);
        try {
            // ignores echo: the text and logprobs are the generated token's alone
            OpenAIBackend b = serve(req -> new Object[] {200, completion(" The", new String[] {" The"}, new double[] {-0.5}, new int[] {0}, 1)});
            for (int i = 0; i < 3; i++) assertNull(b.score(PROMPT, 0));
            assertEquals(1, logged.size(), "logged once per backend");
            assertTrue(logged.getFirst().getMessage().contains("cannot score prompts"), logged.getFirst().getMessage());
            assertEquals(List.of(0, 1, 0, 1, 0, 1), requests.stream().map(r -> r.get("max_tokens").asInt()).toList(),
                    "a retry with max_tokens 1 that fails too does not change how the next call asks");
            stop();
            // echoes, but a prompt token after the first has no logprob (vLLM with a cached prefix)
            requests.clear();
            double[] lp = {Double.NaN, -1, Double.NaN, -2};
            String[] tokens = {"Question", ":", " Who", " is"};
            OpenAIBackend c = serve(req -> new Object[] {200, completion("Question: Who is", tokens, lp, null, 0)});
            assertNull(c.score("Question: Who is", 0));
            assertEquals(2, logged.size(), "once for each backend");
        } finally {
            log.removeHandler(h);
        }
    }

    @Test
    void tokensAreMatchedInTheirTextsForms() {
        assertEquals(List.of("ĠZo", " Zo"), OpenAIBackend.EchoSpans.forms("ĠZo"));
        assertEquals(List.of("▁Zo", " Zo"), OpenAIBackend.EchoSpans.forms("▁Zo"));
        assertEquals(List.of("<0x0A>", "\n"), OpenAIBackend.EchoSpans.forms("<0x0A>"));
        assertEquals(List.of("Ã«", "ë"), OpenAIBackend.EchoSpans.forms("Ã«"));
        assertEquals(List.of("Ã"), OpenAIBackend.EchoSpans.forms("Ã"), "half a character: no text of its own");
        // a token that matches nothing, then a next one found further on: the unmatched one takes the skipped characters
        int[][] spans = OpenAIBackend.EchoSpans.byMatching("a☃b", new String[] {"a", "\ufffd", "\ufffd", "b"});
        assertArrayEquals(new int[][] {{0, 1}, {1, 1}, {1, 2}, {2, 3}}, spans);
        // nothing matches within reach: the rest is left uncovered
        spans = OpenAIBackend.EchoSpans.byMatching("abcdefghijklmnop", new String[] {"a", "?", "p"});
        assertArrayEquals(new int[] {1, 1}, spans[2]);
    }
}
