package dev.ponder.knowledge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Re-measures the retrieval choices behind {@link LibraryIndex#DEFAULT} on a generated world (not a test;
 * run by hand): analyser (standard vs english), title weight, BM25F vs summed field scores, and an extra
 * phrase clause for capitalised names. Prints subject recall@1/3/5 per category on dev and test.
 *
 * <pre>java -cp target/classes:target/test-classes:target/lib/* dev.ponder.knowledge.RetrievalExperiment target/w7</pre>
 */
public final class RetrievalExperiment {
    public static void main(String[] args) throws Exception {
        Path world = Path.of(args.length > 0 ? args[0] : "target/w7");
        Library lib = Library.load(world.resolve("library"));
        List<RecallEval.Question> dev = RecallEval.readQuestions(world.resolve("eval/dev.jsonl"));
        List<RecallEval.Question> test = RecallEval.readQuestions(world.resolve("eval/test.jsonl"));
        List<LibraryQuery.Tuning> tunings = List.of(
                new LibraryQuery.Tuning("standard", 1f, false, 0f),
                new LibraryQuery.Tuning("english", 1f, false, 0f),
                new LibraryQuery.Tuning("english", 2f, false, 0f),
                new LibraryQuery.Tuning("english", 0.5f, false, 0f),
                new LibraryQuery.Tuning("english", 1f, true, 0f),
                new LibraryQuery.Tuning("english", 2f, true, 0f),
                new LibraryQuery.Tuning("english", 1f, false, 1f),
                new LibraryQuery.Tuning("english", 1f, false, 3f),
                new LibraryQuery.Tuning("standard", 1f, false, 1f));
        Path tmp = Files.createTempDirectory("ponder-retrieval");
        int i = 0;
        for (LibraryQuery.Tuning t : tunings) {
            try (LibraryIndex index = LibraryIndex.open(tmp.resolve("i" + i++), t)) {
                index.addLibrary(lib);
                for (var split : List.of(java.util.Map.entry("dev", dev), java.util.Map.entry("test", test))) {
                    RecallEval.Report r = RecallEval.measure(index, split.getValue(), 5);
                    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-48s %-4s", t, split.getKey()));
                    for (RecallEval.Row row : r.rows())
                        b.append(String.format(Locale.ROOT, " %s %.2f/%.2f/%.2f", row.category(), row.at1(), row.at3(), row.at5()));
                    b.append(String.format(Locale.ROOT, " | all@1 %.3f", r.overall().at1()));
                    System.out.println(b);
                }
            }
        }
    }
}
