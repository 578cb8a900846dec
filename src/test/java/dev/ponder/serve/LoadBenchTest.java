package dev.ponder.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import dev.ponder.cli.PonderCli;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The load generator behind {@code ponder bench --serve}: a tiny run, and that it notices lost streams. */
class LoadBenchTest {
    @Test
    void concurrentStreamsAgainstTheRealServerLoseNothing() throws Exception {
        try (Model m = Model.load(Path.of("models/ponder-nano.gguf")); BatchingBackend b = new BatchingBackend(m, "nano", 4, 8);
             PonderServer s = new PonderServer(b, null, new PonderServer.Options("ponder-nano", "k", 1 << 20, 64, 16,
                     Calibration.fallback(), Budget.defaults())).start("127.0.0.1", 0)) {
            LoadBench bench = new LoadBench(s.url("127.0.0.1") + "/v1", "k", "ponder-nano", 8);
            bench.prepare(0);
            LoadBench.Result r = bench.run(3, 2);
            assertEquals(6, r.requests());
            assertEquals(0, r.lost() + r.failed(), r.firstError());
            assertEquals(6 * 8, r.tokens());
            assertEquals(6, r.latencyMs().length);
            assertTrue(r.tokensPerSecond() > 0 && r.requestsPerSecond() > 0);
            for (int i = 0; i < 6; i++) assertTrue(r.firstTokenMs()[i] <= r.latencyMs()[i], "order statistics of first token <= latency");
            assertTrue(LoadBench.percentile(r.firstTokenMs(), 50) <= LoadBench.percentile(r.latencyMs(), 50));
            assertTrue(r.summary().startsWith("C=3 "), r.summary());

            LoadBench wrongKey = new LoadBench(s.url("127.0.0.1") + "/v1", "wrong", "ponder-nano", 8);
            PonderException e = assertThrows(PonderException.class, () -> wrongKey.prepare(0));
            assertTrue(e.getMessage().contains("401"), e.getMessage());
        }
    }

    @Test
    void aClientThatStartsItsNextRequestOnDoneIsNotRefused() throws Exception {
        // queue 1: the admission permit must be free once [DONE] is sent, even if the handler has not returned yet
        try (Model m = Model.load(Path.of("models/ponder-nano.gguf")); BatchingBackend b = new BatchingBackend(m, "nano", 1, 8);
             PonderServer s = new PonderServer(b, null, new PonderServer.Options("ponder-nano", null, 1 << 20, 64, 1,
                     Calibration.fallback(), Budget.defaults())).start("127.0.0.1", 0)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create(s.url("127.0.0.1") + "/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Question: Where was Lurku Pikirken born?\\nAnswer:\",\"max_tokens\":1,\"stream\":true}"))
                    .header("Content-Type", "application/json").build();
            for (int i = 0; i < 60; i++) {
                HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    int request = i;
                    assertEquals(200, r.statusCode(), () -> "request " + request + ": " + in.lines().reduce("", String::concat));
                    StringBuilder seen = new StringBuilder();
                    String line;
                    while ((line = in.readLine()) != null && !line.equals("data: [DONE]")) {
                        seen.append(line).append('\n'); // the next request goes out as soon as [DONE] is read, as an impatient client does
                    }
                    assertEquals("data: [DONE]", line, "request " + i + " got:\n" + seen);
                }
            }
        }
    }

    @Test
    void streamsWithoutDoneOrWithOtherTextAreCountedLost() throws Exception {
        String text = " one two";
        String whole = "{\"choices\":[{\"text\":\"" + text + "\"}],\"usage\":{\"completion_tokens\":2}}";
        int[] calls = {0};
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/v1/completions", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String out;
            if (!body.contains("\"stream\":true")) out = whole;
            else {
                int n;
                synchronized (calls) {
                    n = calls[0]++;
                }
                String usage = "data: {\"choices\":[],\"usage\":{\"completion_tokens\":2}}\n\n";
                out = switch (n) {
                    case 0 -> "data: {\"choices\":[{\"text\":\" one\"}]}\n\n: a comment\n\ndata: {\"choices\":[{\"text\":\" two\"}]}\n\n" + usage + "data: [DONE]\n\n";
                    case 1 -> "data: {\"choices\":[{\"text\":\" one\"}]}\n\n" + usage; // no [DONE]
                    default -> "data: {\"choices\":[{\"text\":\" one\"}]}\n\ndata: {\"choices\":[{\"text\":\" too\"}]}\n\n" + usage + "data: [DONE]\n\n";
                };
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        });
        fake.start();
        try {
            LoadBench bench = new LoadBench("http://127.0.0.1:" + fake.getAddress().getPort() + "/v1/", null, "m", 2);
            bench.prepare(0);
            LoadBench.Result r = bench.run(1, 3);
            assertEquals(3, r.requests());
            assertEquals(2, r.lost(), r.summary());
            assertEquals(0, r.failed());
            assertEquals(2, r.tokens());
            assertTrue(r.firstError().contains("[DONE]"), r.firstError());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void nearestRankPercentiles() {
        double[] xs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, LoadBench.percentile(xs, 50));
        assertEquals(10, LoadBench.percentile(xs, 99));
        assertEquals(1, LoadBench.percentile(xs, 0));
        assertEquals(7, LoadBench.percentile(new double[] {7}, 99));
        assertTrue(Double.isNaN(LoadBench.percentile(new double[0], 50)));
    }

    @Test
    void benchServeCommandRunsAndRejectsBadOptions() {
        assertEquals(0, PonderCli.execute("bench", "--serve", "--clients", "1,2", "--requests", "1", "--max-tokens", "4"));
        assertEquals(1, PonderCli.execute("bench", "--serve", "--clients", "0"));
    }
}
