package dev.ponder.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.model.Model;
import dev.ponder.learn.world.PromptFormat;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.think.Result;
import dev.ponder.think.Trace;
import dev.ponder.think.TraceEvent;
import dev.ponder.think.TraceRenderer;
import dev.ponder.think.search.BeamSearch;
import dev.ponder.think.search.EngineSearchModel;
import dev.ponder.think.search.Mcts;
import dev.ponder.think.search.Search;
import dev.ponder.think.search.SearchBudget;
import dev.ponder.think.search.SearchMethod;
import dev.ponder.think.search.SearchResult;
import dev.ponder.think.search.Verifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search on the default model with tiny budgets. The model may be retrained, so this checks only that results
 * are well formed: budgets kept, the prompt prefilled once, the KV cache given back, and an answer reported as
 * verified only if the puzzle's own check accepts it.
 */
class SearchNanoTest {
    static final String QUESTION = "Combine 4, 8, 75, 100 with + - * / (each at most once) to get 150.";
    static Model model;

    @BeforeAll
    static void load() {
        model = Model.load(Path.of("models/ponder-nano.gguf"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void mctsAndBeamStayInBudgetAndReuseThePrompt() {
        CountdownVerifier v = CountdownVerifier.forQuestion(QUESTION).orElseThrow();
        String prompt = PromptFormat.prompt(QUESTION);
        int promptTokens = model.tokenizer().encode(prompt, model.tokenizer().addsBos(), false).length;
        EngineSearchModel sm = new EngineSearchModel(model);
        int blocks = model.cache().blocksInUse();
        for (Search s : List.of(new Mcts(sm, Mcts.Settings.defaults()), new BeamSearch(sm, BeamSearch.Settings.defaults().withWidth(3)))) {
            long decoded = sm.decodedTokens();
            SearchResult r = s.run(prompt, v, SearchBudget.nodes(10).withMaxTokens(60));
            assertTrue(r.nodes() >= 1 && r.nodes() <= 10, s.name() + ": " + r);
            assertTrue(r.tokens() <= 60, s.name() + ": " + r);
            assertEquals(sm.decodedTokens() - decoded, r.tokens());
            assertEquals(promptTokens, r.prefilledTokens(), s.name() + " prefills the prompt once");
            assertEquals(blocks, model.cache().blocksInUse(), s.name() + " gives every KV block back");
            assertEquals(r.verified(), v.puzzle().check(r.best()).valid(), s.name() + ": " + r);
            if (!r.best().isEmpty()) assertTrue(v.allowsEnd(r.best()), "constrained answers are well formed: " + r.best());
            assertTrue(r.best().chars().allMatch(c -> CountdownVerifier.ALPHABET.indexOf(c) >= 0), r.best());
        }
    }

    @Test
    void aPauseThatSearchedIsInTheTrace() throws Exception {
        try (EmbeddedBackend backend = new EmbeddedBackend(model, "nano")) {
            Drafter drafter = new Drafter(backend, new WorldFormat(), Calibration.fallback(), Budget.defaults());
            SearchMethod method = new SearchMethod(drafter, new Mcts(new EngineSearchModel(model), Mcts.Settings.defaults()),
                    q -> CountdownVerifier.forQuestion(q).map(v -> (Verifier) v), SearchBudget.nodes(6), false);
            Result r = method.answer(QUESTION);
            Trace t = r.trace();
            TraceEvent.Outcome end = t.of(TraceEvent.Outcome.class).getFirst();
            Optional<TraceEvent.Search> search = t.of(TraceEvent.Search.class).stream().findFirst();
            if (search.isPresent()) { // the draft did not verify
                assertEquals(1, r.pauses());
                assertEquals("search", t.of(TraceEvent.Trigger.class).getFirst().strategy());
                assertTrue(search.get().nodes() <= 6);
                assertEquals(search.get().verified(), !end.abstained());
                assertTrue(TraceRenderer.render(t).contains("search (mcts)"));
            }
            if (!end.abstained()) assertTrue(CountdownVerifier.forQuestion(QUESTION).orElseThrow().puzzle().check(r.answer()).valid(), r.answer());
            Trace back = Trace.parse(t.toJsonLines());
            assertEquals(t.events().size(), back.events().size());
            assertEquals(search, back.of(TraceEvent.Search.class).stream().findFirst(), "the search event survives JSON");

            Result other = method.answer("Where was Lurku Pikirken born?");
            assertTrue(other.trace().of(TraceEvent.Search.class).isEmpty(), "no verifier, no search");
        }
    }
}
