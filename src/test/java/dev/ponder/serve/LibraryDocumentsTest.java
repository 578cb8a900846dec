package dev.ponder.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.knowledge.Document;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.think.Backend;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Generation;
import dev.ponder.think.Passage;
import dev.ponder.think.Retriever;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/library/documents}: adds to the index the next question searches; auth, 400s, 409 without a library. */
class LibraryDocumentsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String KEY = "k";

    /** The endpoint never generates: a backend that refuses to, so a call would show up as a failure. */
    static final class NoModel implements Backend {
        @Override public Generation generate(String context, int maxTokens, String stop) { throw new AssertionError("no generation expected"); }
        @Override public List<Generation> sample(String c, int n, double t, int m, String s, long seed) { throw new AssertionError("no generation expected"); }
        @Override public int countTokens(String text) { return text.length() / 4; }
        @Override public String name() { return "none"; }
    }

    static PonderServer server(Retriever library) {
        PonderServer.Options o = new PonderServer.Options("m", KEY, 4096, 16, 2, Calibration.fallback(), Budget.defaults());
        return new PonderServer(new NoModel(), library, o).start("127.0.0.1", 0);
    }

    static HttpResponse<String> post(PonderServer s, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/library/documents"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode status(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static void error(HttpResponse<String> r, int status, String param) throws Exception {
        JsonNode e = status(r, status).get("error");
        assertNotNull(e, r.body());
        assertTrue(e.get("message").asText().length() > 5, r.body());
        if (param != null) assertEquals(param, e.get("param").asText(), r.body());
    }

    @Test
    void addsReplacesAndTheNextSearchFindsIt(@TempDir Path dir) throws Exception {
        try (LibraryIndex index = LibraryIndex.open(dir.resolve("index")); PonderServer s = server(index)) {
            index.add(new Document("city-1", "Gamma City", "Gamma City is a city in Deltaland."));
            assertTrue(index.search("Mira Talo potter", 3).isEmpty());

            JsonNode added = status(post(s, "{\"id\":\"person-9\",\"title\":\"Mira Talo\",\"text\":\"Mira Talo is a potter born in Gamma City.\"}", KEY), 201);
            assertEquals("added", added.get("change").asText());
            assertEquals("person-9", added.get("id").asText());
            assertEquals(2, added.get("documents").asInt());
            List<Passage> hits = index.search("Where was Mira Talo born?", 3);
            assertEquals("person-9", hits.getFirst().docId());
            assertEquals("Mira Talo", hits.getFirst().title());

            JsonNode same = status(post(s, "{\"id\":\"person-9\",\"title\":\"Mira Talo\",\"text\":\"Mira Talo is a potter born in Gamma City.\"}", KEY), 200);
            assertEquals("unchanged", same.get("change").asText());
            JsonNode changed = status(post(s, "{\"id\":\"person-9\",\"text\":\"  Mira Talo is a weaver.  \"}", KEY), 200);
            assertEquals("changed", changed.get("change").asText());
            assertEquals("person-9", changed.get("title").asText(), "no title: the id, as a library file without a heading");
            assertEquals(new Document("person-9", "person-9", "Mira Talo is a weaver."), index.get("person-9").orElseThrow());
            assertEquals(2, index.size());
        }
    }

    @Test
    void needsTheKeyAndValidInput(@TempDir Path dir) throws Exception {
        try (LibraryIndex index = LibraryIndex.open(dir.resolve("index")); PonderServer s = server(index)) {
            error(post(s, "{\"id\":\"a\",\"text\":\"b\"}", null), 401, null);
            error(post(s, "{\"id\":\"a\",\"text\":\"b\"}", "wrong"), 401, null);
            error(post(s, "{\"id\":\"a\",\"text\":", KEY), 400, null);
            error(post(s, "[1,2]", KEY), 400, null);
            error(post(s, "{\"text\":\"b\"}", KEY), 400, "id");
            error(post(s, "{\"id\":\"  \",\"text\":\"b\"}", KEY), 400, "id");
            error(post(s, "{\"id\":\"../etc/passwd\",\"text\":\"b\"}", KEY), 400, "id");
            error(post(s, "{\"id\":\"" + "x".repeat(129) + "\",\"text\":\"b\"}", KEY), 400, "id");
            error(post(s, "{\"id\":7,\"text\":\"b\"}", KEY), 400, "id");
            error(post(s, "{\"id\":\"a\"}", KEY), 400, "text");
            error(post(s, "{\"id\":\"a\",\"text\":\" \\n \"}", KEY), 400, "text");
            error(post(s, "{\"id\":\"a\",\"title\":[],\"text\":\"b\"}", KEY), 400, "title");
            error(post(s, "{\"id\":\"a\",\"text\":\"" + "b".repeat(5000) + "\"}", KEY), 413, null);
            assertEquals(0, index.size(), "nothing refused was added");
        }
    }

    @Test
    void withoutALibraryIndexThereIsNothingToAddTo() throws Exception {
        try (PonderServer s = server(null)) {
            error(post(s, "{\"id\":\"a\",\"text\":\"b\"}", KEY), 409, null);
        }
        Retriever readOnly = (q, k) -> List.of();
        try (PonderServer s = server(readOnly)) {
            HttpResponse<String> r = post(s, "{\"id\":\"a\",\"text\":\"b\"}", KEY);
            error(r, 409, null);
            assertTrue(r.body().contains("cannot be changed"), r.body());
        }
    }
}
