package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.knowledge.Document;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.think.Backend;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.Method;
import dev.ponder.think.Ponder;
import dev.ponder.think.Result;
import dev.ponder.think.ScriptedBackendAccess;
import dev.ponder.think.TraceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue acceptance: a pause's injected passage comes from the index, rollback re-decodes only the uncertain span, traces are saved. */
class PonderTraceTest {
    @TempDir
    Path dir;

    @Test
    void injectedPassagesComeFromTheIndexAndTracesAreSaved() throws Exception {
        try (LibraryIndex index = LibraryIndex.open(dir.resolve("index"))) {
            index.add(new Document("person-1", "Ada Lovo", "Ada Lovo is a baker who works at Rive Foods. Lovo was born in 1950 in Gamma City."));
            index.add(new Document("city-1", "Gamma City", "Gamma City is a city in Deltaland, founded in 1200."));
            index.add(new Document("person-2", "Bob Rev", "Bob Rev is a nurse who works at Zeta Mills. Rev was born in 1971 in Omicron."));
            Backend b = ScriptedBackendAccess.backend(
                    new String[] {"P: Ada Lovo is a baker", "Q:"},
                    new String[] {" Gamma City", " Omicron"},
                    new double[] {0.97, 0.2});
            Drafter d = new Drafter(b, ScriptedBackendAccess.format(), Calibration.fallback(), new Budget(2, 1, 200, 10_000_000_000L, 16));
            Ponder p = new Ponder(d, index, Ponder.Mode.ABSTAIN);
            Result r = p.answer("Where was Ada Lovo born?");
            assertEquals("Gamma City", r.answer());
            for (TraceEvent.Inject inj : r.trace().of(TraceEvent.Inject.class)) {
                for (String id : inj.docIds()) {
                    Document doc = index.get(id).orElseThrow(() -> new AssertionError(id + " is not in the index"));
                    assertTrue(inj.text().contains(doc.text()), "injected text is the indexed document's text");
                }
            }
            TraceEvent.Retrieve ret = r.trace().of(TraceEvent.Retrieve.class).getFirst();
            assertEquals("person-1", ret.hits().getFirst().docId());
            assertTrue(ret.hits().getFirst().used());
            List<TraceEvent.Draft> drafts = r.trace().of(TraceEvent.Draft.class);
            assertEquals(2, drafts.size());
            TraceEvent.Rollback rb = r.trace().of(TraceEvent.Rollback.class).getFirst();
            assertEquals(" Omicron", rb.discarded(), "only the uncertain span is discarded");

            EvalQuestion q = new EvalQuestion("dev-U-0001", Category.U, "Where was Ada Lovo born?", List.of("Gamma City"),
                    List.of("person-1"), null, null, null);
            EvalQuestion n = new EvalQuestion("dev-N-0001", Category.N, "Who is the spouse of Ada Lovo?", List.of("unknown"),
                    List.of(), null, null, null);
            Map<String, Method> methods = new LinkedHashMap<>();
            methods.put("ponder", p);
            Map<String, List<Outcome>> out = SlowEval.run(List.of(q, n), methods, dir.resolve("traces"), null);
            assertTrue(out.get("ponder").get(0).correct());
            assertEquals(1, out.get("ponder").get(0).retrievals());
            List<String> lines = Files.readAllLines(dir.resolve("traces/ponder.jsonl"));
            assertEquals(2, lines.size(), "one trace line per evaluated question");
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            assertEquals("dev-U-0001", first.get("id").asText());
            assertEquals("start", first.get("events").get(0).get("type").asText());
            assertFalse(out.get("ponder").get(1).abstained() && !out.get("ponder").get(1).correct(), "an abstention on N is right");
        }
    }
}
