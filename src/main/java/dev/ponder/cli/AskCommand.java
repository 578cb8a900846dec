package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.eval.CountdownVerifier;
import dev.ponder.eval.SearchEval;
import dev.ponder.eval.WorldFormat;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.think.FastMethod;
import dev.ponder.think.Method;
import dev.ponder.think.Ponder;
import dev.ponder.think.Result;
import dev.ponder.think.TraceRenderer;
import dev.ponder.think.search.BeamSearch;
import dev.ponder.think.search.EngineSearchModel;
import dev.ponder.think.search.Mcts;
import dev.ponder.think.search.Search;
import dev.ponder.think.search.SearchBudget;
import dev.ponder.think.search.SearchMethod;
import dev.ponder.think.search.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ponder ask}: answers one question with slow thinking and shows how: the draft, every pause (why, the
 * query, the passages, the rollback), the answer and its confidence — or an honest "I don't know". A question
 * that can be checked (a countdown puzzle in the world's phrasing) is answered by {@link SearchMethod}: when the
 * draft does not verify, the pause searches continuations of the answer for one the puzzle's checker accepts.
 */
@Command(name = "ask", mixinStandardHelpOptions = true, description = "Answer a question, pausing to read where the model is unsure.")
public final class AskCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, defaultValue = "models/ponder-nano.gguf", description = "GGUF model (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--library", description = "Documents directory or index to read from (without it: no pauses, fast answer only).")
    Path library;

    @Option(names = "--calibration", description = "Calibration file (default: MODEL.calibration.json).")
    Path calibration;

    @Option(names = "--answer-when-unsure", description = "Answer with the stated confidence instead of abstaining.")
    boolean answerWhenUnsure;

    @Option(names = "--pauses", defaultValue = "3", description = "Pauses at most (default: ${DEFAULT-VALUE}).")
    int pauses;

    @Option(names = "--reading-consult", paramLabel = "N", defaultValue = "16", description = "Answers sampled when a name drafted after "
            + "reading is not in the passages, taking the most common name they hold; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int readingConsult;

    @Option(names = "--trace", description = "Also write the trace as JSON lines to this file.")
    Path traceFile;

    @Option(names = "--json", description = "Print the trace as JSON lines instead of text.")
    boolean json;

    @Option(names = "--search", defaultValue = "mcts", description = "On a checkable question (a countdown puzzle) whose draft does not verify: search with mcts, beam, or none (default: ${DEFAULT-VALUE}).")
    String search;

    @Option(names = "--search-budget", defaultValue = "256", description = "Nodes one search may expand (default: ${DEFAULT-VALUE}; it also stops after 10 s).")
    int searchBudget;

    @Parameters(index = "0", paramLabel = "QUESTION", description = "The question.")
    String question;

    @Override
    public Integer call() throws Exception {
        if (question.isBlank()) throw new PonderException("the question is empty");
        if (readingConsult < 0) throw new PonderException("--reading-consult must be 0 or more (got " + readingConsult + ")");
        Path calFile = calibration != null ? calibration : Slow.defaultCalibration(model);
        Calibration cal;
        if (Files.exists(calFile)) cal = Calibration.load(calFile);
        else if (calibration != null) throw new PonderException("calibration file not found: " + calFile);
        else {
            System.err.println("ponder: no calibration beside the model (" + calFile + "); confidence is the lowest token probability");
            cal = Calibration.fallback();
        }
        String name = model.getFileName().toString().replaceFirst("\\.gguf$", "");
        try (Model m = Model.load(model); EmbeddedBackend backend = new EmbeddedBackend(m, name)) {
            Drafter drafter = new Drafter(backend, new WorldFormat(), cal, Budget.defaults().withMaxPauses(pauses).withConsultSamples(readingConsult))
                    .withTools(new dev.ponder.knowledge.tools.InlineTools(dev.ponder.knowledge.tools.ToolRegistry.withBuiltins()));
            Result r;
            Optional<CountdownVerifier> checkable = search.equals("none") ? Optional.empty() : CountdownVerifier.forQuestion(question);
            if (checkable.isPresent()) {
                r = answer(new SearchMethod(drafter, searcher(new EngineSearchModel(m)), q -> checkable.map(v -> (Verifier) v),
                        SearchBudget.nodes(searchBudget).withMaxNanos(Budget.defaults().maxNanos()), answerWhenUnsure));
            } else if (library == null) {
                r = answer(new FastMethod(drafter));
            } else {
                try (LibraryIndex index = Slow.openLibrary(library)) {
                    r = answer(new Ponder(drafter, index, answerWhenUnsure ? Ponder.Mode.ANSWER : Ponder.Mode.ABSTAIN));
                }
            }
            if (json) System.out.print(r.trace().toJsonLines());
            else System.out.print(TraceRenderer.render(r.trace()));
            if (traceFile != null) Files.writeString(traceFile, r.trace().toJsonLines());
            if (!json) System.out.printf(Locale.ROOT, "%n%s%n", r.abstained() ? r.answer()
                    : r.answer() + String.format(Locale.ROOT, "  (confidence %.0f%%)", 100 * r.confidence()));
        }
        return 0;
    }

    private Search searcher(EngineSearchModel sm) {
        if (searchBudget < 1) throw new PonderException("--search-budget must be at least 1");
        return switch (search) {
            case "mcts" -> new Mcts(sm, Mcts.Settings.defaults());
            case "beam" -> new BeamSearch(sm, BeamSearch.Settings.defaults().withWidth(SearchEval.beamWidth(searchBudget, 12)));
            default -> throw new PonderException("unknown --search " + search + " (mcts, beam or none)");
        };
    }

    private Result answer(Method m) {
        return m.answer(question.strip());
    }
}
