package dev.ponder.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.engine.PonderException;
import dev.ponder.think.Passage;
import dev.ponder.think.Retriever;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval recall on an eval set: how often a question's supporting documents are among the top hits
 * when the question itself is the query. For each question with a non-empty {@code support} list it
 * records whether the first support id (the subject) is ranked within 1, 3 and 5, and whether every
 * support id is within the top {@code k} (what a multi-hop question would need from one search).
 */
public final class RecallEval {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One eval question with its supporting document ids, subject first.
     *
     * @param id the question's id
     * @param category its category letter (K, U, H, ...)
     * @param question the question text
     * @param support ids of the documents that answer it, the subject first; may be empty
     */
    public record Question(String id, String category, String question, List<String> support) {}

    /**
     * Recall for one category (or {@code "all"}).
     *
     * @param category the category, or {@code "all"} for every question counted
     * @param questions questions with a non-empty support list
     * @param at1 share with the subject ranked first
     * @param at3 share with the subject in the top 3
     * @param at5 share with the subject in the top 5
     * @param allAtK share with every support id in the top k
     */
    public record Row(String category, int questions, double at1, double at3, double at5, double allAtK) {}

    /**
     * Recall per category, in order of first appearance, then over all questions.
     *
     * @param k depth for {@link Row#allAtK}
     * @param rows one row per category
     * @param overall all questions together
     */
    public record Report(int k, List<Row> rows, Row overall) {
        /** A fixed-width table: one line per category and a final {@code all} line. */
        public String table() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %5s %9s %9s %9s %9s%n", "category", "n", "subject@1", "subject@3", "subject@5", "all@" + k));
            for (Row r : rows) line(b, r);
            line(b, overall);
            return b.toString();
        }

        private static void line(StringBuilder b, Row r) {
            b.append(String.format(Locale.ROOT, "%-8s %5d %9.3f %9.3f %9.3f %9.3f%n", r.category(), r.questions(), r.at1(), r.at3(), r.at5(), r.allAtK()));
        }
    }

    private RecallEval() {}

    /** Reads a JSON-lines eval file: one object per line with {@code id}, {@code category}, {@code question}, {@code support}. */
    public static List<Question> readQuestions(Path jsonl) {
        List<String> lines;
        try {
            lines = Files.readAllLines(jsonl);
        } catch (NoSuchFileException e) {
            throw new PonderException("eval file not found: " + jsonl, e);
        } catch (IOException e) {
            throw new PonderException("cannot read eval file " + jsonl + ": " + e.getMessage(), e);
        }
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            try {
                JsonNode n = JSON.readTree(line);
                JsonNode q = n.get("question");
                if (q == null || !q.isTextual()) throw new PonderException(jsonl + " line " + (i + 1) + ": no \"question\" string");
                List<String> support = new ArrayList<>();
                JsonNode s = n.get("support");
                if (s != null && s.isArray()) s.forEach(e -> support.add(e.asText()));
                out.add(new Question(n.path("id").asText("line-" + (i + 1)), n.path("category").asText("?"), q.asText(), List.copyOf(support)));
            } catch (IOException e) {
                throw new PonderException(jsonl + " line " + (i + 1) + " is not a JSON object", e);
            }
        }
        return out;
    }

    /** Searches every question with support and tallies recall; hits are taken to depth {@code max(5, k)}. */
    public static Report measure(Retriever retriever, List<Question> questions, int k) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1: " + k);
        int depth = Math.max(5, k);
        Map<String, int[]> tally = new LinkedHashMap<>(); // category → {n, @1, @3, @5, all@k}
        int[] all = new int[5];
        for (Question q : questions) {
            if (q.support().isEmpty()) continue;
            List<Passage> hits = retriever.search(q.question(), depth);
            int rank = rankOf(hits, q.support().getFirst());
            Set<String> topK = new HashSet<>();
            for (int i = 0; i < Math.min(k, hits.size()); i++) topK.add(hits.get(i).docId());
            int[] t = tally.computeIfAbsent(q.category(), c -> new int[5]);
            int[] row = {1, rank == 0 ? 1 : 0, rank >= 0 && rank < 3 ? 1 : 0, rank >= 0 && rank < 5 ? 1 : 0, topK.containsAll(q.support()) ? 1 : 0};
            for (int i = 0; i < 5; i++) {
                t[i] += row[i];
                all[i] += row[i];
            }
        }
        List<Row> rows = new ArrayList<>();
        tally.forEach((c, t) -> rows.add(row(c, t)));
        return new Report(k, rows, row("all", all));
    }

    private static int rankOf(List<Passage> hits, String id) {
        for (int i = 0; i < hits.size(); i++) if (hits.get(i).docId().equals(id)) return i;
        return -1;
    }

    private static Row row(String category, int[] t) {
        double n = Math.max(1, t[0]);
        return new Row(category, t[0], t[1] / n, t[2] / n, t[3] / n, t[4] / n);
    }
}
