package dev.ponder.engine.tokenizer;

import dev.ponder.testutil.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The llama.cpp vocabulary test cases in {@code ../shared/reference/tokenizers/}: for each
 * {@code ggml-vocab-NAME.gguf}, the {@code .inp} file holds test strings separated by the line
 * {@code __ggml_vocab_test__} (precisely: split on {@code "\n__ggml_vocab_test__\n"}, so a string keeps its
 * own leading and trailing newlines) and the {@code .out} file one line of expected ids per string.
 */
final class VocabCases {
    static final String[] NAMES = {"llama-spm", "phi-3", "gpt-2", "starcoder", "refact"};
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private VocabCases() {}

    record Case(String vocab, int index, String input, int[] expected) {
        @Override
        public String toString() {
            String shown = input.length() > 40 ? input.substring(0, 40) + "…" : input;
            return vocab + " #" + index + " " + shown.replace("\n", "\\n").replace("\t", "\\t");
        }
    }

    static String gguf(String name) {
        return "tokenizers/ggml-vocab-" + name + ".gguf";
    }

    /** Every case of every vocabulary; a vocabulary whose files are missing yields one case with a null input (the test then skips or fails via {@link Reference}). */
    static Stream<Arguments> all() {
        List<Arguments> out = new ArrayList<>();
        for (String name : NAMES) {
            Path dir = Reference.root();
            if (!Files.exists(dir.resolve(gguf(name) + ".inp")) || !Files.exists(dir.resolve(gguf(name) + ".out"))) {
                out.add(Arguments.of(new Case(name, -1, null, null)));
                continue;
            }
            for (Case c : read(name)) out.add(Arguments.of(c));
        }
        return out.stream();
    }

    static List<Case> read(String name) {
        try {
            String inp = Files.readString(Reference.file(gguf(name) + ".inp"), StandardCharsets.UTF_8);
            String out = Files.readString(Reference.file(gguf(name) + ".out"), StandardCharsets.UTF_8);
            List<String> inputs = new ArrayList<>();
            int pos = 0;
            while (pos < inp.length()) {
                int next = inp.indexOf(SEPARATOR, pos);
                if (next < 0) {
                    inputs.add(inp.substring(pos));
                    break;
                }
                inputs.add(inp.substring(pos, next));
                pos = next + SEPARATOR.length();
            }
            List<String> lines = new ArrayList<>(List.of(out.split("\n", -1)));
            if (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast(); // the file's final newline
            Assertions.assertEquals(inputs.size(), lines.size(), name + ": .inp and .out hold different numbers of cases");
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                String line = lines.get(i).strip();
                int[] ids = line.isEmpty() ? new int[0] : Stream.of(line.split(" ")).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(name, i, inputs.get(i), ids));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tokenizer of vocabulary {@code name}, loaded once. */
    static Tokenizer tokenizer(String name) {
        Path p = Reference.file(gguf(name));
        return TOKENIZERS.computeIfAbsent(name, n -> Tokenizer.fromGGUF(p));
    }
}
