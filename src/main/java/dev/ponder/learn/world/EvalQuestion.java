package dev.ponder.learn.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One eval question, one JSON object per line of {@code eval/dev.jsonl} and {@code eval/test.jsonl}:
 * <pre>
 * {"id":"dev-K-0001","category":"K","question":"...","answers":["..."],"support":["person-0042"]}
 * </pre>
 * R questions add {@code "passage"}; C questions add {@code "numbers"} and {@code "target"}.
 *
 * @param id unique id: split, category, number
 * @param category question kind
 * @param question the question text (goes after {@code Question: })
 * @param answers accepted answers (for A the exact number, for C one verified solution, for N "unknown")
 * @param support ids of the library documents that together contain the answer (empty for N, C, R)
 * @param passage the supplied passage for R, else null
 * @param numbers the countdown numbers for C, else null
 * @param target the countdown target for C, else null
 */
public record EvalQuestion(String id, Category category, String question, List<String> answers, List<String> support,
                           String passage, List<Integer> numbers, Integer target) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EvalQuestion {
        answers = List.copyOf(answers);
        support = List.copyOf(support);
        numbers = numbers == null ? null : List.copyOf(numbers);
    }

    /** The prompt to give the model (see {@link PromptFormat}). */
    public String prompt() {
        return passage == null ? PromptFormat.prompt(question) : PromptFormat.prompt(passage, question);
    }

    /** The countdown puzzle of a C question. */
    public CountdownPuzzle puzzle() {
        if (numbers == null || target == null) throw new IllegalStateException(id + " is not a countdown question");
        return new CountdownPuzzle(numbers, target);
    }

    /** The JSON line (fields in a fixed order, no trailing newline). */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("category", category.name());
        o.put("question", question);
        ArrayNode a = o.putArray("answers");
        answers.forEach(a::add);
        ArrayNode s = o.putArray("support");
        support.forEach(s::add);
        if (passage != null) o.put("passage", passage);
        if (numbers != null) {
            ArrayNode n = o.putArray("numbers");
            numbers.forEach(n::add);
            o.put("target", target);
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one JSON line; throws {@link PonderException} when it is not an eval question. */
    public static EvalQuestion fromJson(String line) {
        try {
            JsonNode o = JSON.readTree(line);
            List<String> answers = new ArrayList<>(), support = new ArrayList<>();
            o.required("answers").forEach(n -> answers.add(n.asText()));
            o.required("support").forEach(n -> support.add(n.asText()));
            List<Integer> numbers = null;
            if (o.has("numbers")) {
                numbers = new ArrayList<>();
                for (JsonNode n : o.get("numbers")) numbers.add(n.asInt());
            }
            return new EvalQuestion(o.required("id").asText(), Category.valueOf(o.required("category").asText()),
                    o.required("question").asText(), answers, support,
                    o.has("passage") ? o.get("passage").asText() : null, numbers,
                    o.has("target") ? o.get("target").asInt() : null);
        } catch (IOException | IllegalArgumentException e) {
            throw new PonderException("not an eval question: " + e.getMessage(), e);
        }
    }

    /** Reads an eval set ({@code eval/dev.jsonl} or {@code eval/test.jsonl}). */
    public static List<EvalQuestion> read(Path file) {
        try {
            List<EvalQuestion> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) out.add(fromJson(line));
            }
            return out;
        } catch (IOException e) {
            throw new PonderException("cannot read eval set " + file + ": " + e.getMessage(), e);
        }
    }
}
