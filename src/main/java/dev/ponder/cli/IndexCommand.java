package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.knowledge.Library;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.knowledge.RecallEval;
import dev.ponder.think.Passage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ponder index}: brings the retrieval index of a library directory up to date (only new and changed
 * documents are re-indexed), prints what changed, and optionally measures retrieval recall on an eval set
 * or shows the hits for one query. Exit code 0 on success, 1 on a {@link PonderException}, 2 on bad options.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Index a library of documents (*.md, *.txt) for retrieval; incremental. Optionally measure recall on an eval set.")
public final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LIBRARY_DIR", description = "Directory of documents; a document's id is its file name without extension.")
    Path library;

    @Option(names = "--index", paramLabel = "INDEX_DIR", description = "Index directory (default: LIBRARY_DIR/../index).")
    Path index;

    @Option(names = "--recall", paramLabel = "EVAL.jsonl", description = "Eval set (JSON lines with question and support ids): print retrieval recall per category.")
    Path recall;

    @Option(names = "--query", paramLabel = "TEXT", description = "Print the top K documents for TEXT.")
    String query;

    @Option(names = "-k", paramLabel = "K", description = "Hits for --query, and depth of the all-support column of --recall (default: ${DEFAULT-VALUE}).")
    int k = 5;

    @Override
    public Integer call() {
        if (k < 1) throw new ParameterException(spec.commandLine(), "-k must be at least 1, got " + k);
        PrintWriter out = spec.commandLine().getOut();
        Path indexDir = index != null ? index : defaultIndexDir(library);
        long t0 = System.nanoTime();
        Library lib = Library.load(library); // before opening the index: a wrong path must not create ../index
        try (LibraryIndex idx = LibraryIndex.open(indexDir)) {
            LibraryIndex.Counts counts = idx.addLibrary(lib);
            out.printf(Locale.ROOT, "%s (%s, %.2f s)%n", counts.describe(), indexDir, seconds(t0));
            out.flush();
            if (query != null) printHits(out, idx.search(query, k));
            if (recall != null) {
                long t1 = System.nanoTime();
                List<RecallEval.Question> questions = RecallEval.readQuestions(recall);
                RecallEval.Report report = RecallEval.measure(idx, questions, k);
                out.printf(Locale.ROOT, "recall on %s: %d of %d questions have support documents (%.2f s)%n",
                        recall, report.overall().questions(), questions.size(), seconds(t1));
                out.print(report.table());
            }
        }
        out.flush();
        return 0;
    }

    static Path defaultIndexDir(Path library) {
        Path parent = library.toAbsolutePath().normalize().getParent();
        if (parent == null) throw new PonderException("library " + library + " has no parent directory for the default index; give --index");
        return parent.resolve("index");
    }

    private static void printHits(PrintWriter out, List<Passage> hits) {
        if (hits.isEmpty()) out.println("no documents match");
        for (int i = 0; i < hits.size(); i++) {
            Passage p = hits.get(i);
            out.printf(Locale.ROOT, "%d. %s  %.3f  %s%n", i + 1, p.docId(), p.score(), p.title());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
