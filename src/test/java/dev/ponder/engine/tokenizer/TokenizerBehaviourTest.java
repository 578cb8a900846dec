package dev.ponder.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGUFWriter;
import dev.ponder.testutil.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Special tokens, end of generation, streaming, piece rendering and errors, on the reference vocabularies. */
class TokenizerBehaviourTest {
    @TempDir Path dir;

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void stories260KPromptsAndGreedyTextMatchLlamaCpp() throws IOException {
        Tokenizer t = Tokenizer.fromGGUF(Reference.file("models/stories260K.gguf"));
        JsonNode cases = new ObjectMapper().readTree(Reference.file("models/stories260K.llamacpp.json").toFile()).get("cases");
        assertTrue(cases.size() > 0);
        for (JsonNode c : cases) {
            int[] promptIds = IntStream.range(0, c.get("prompt_ids").size()).map(i -> c.get("prompt_ids").get(i).asInt()).toArray();
            assertArrayEquals(promptIds, t.encode(c.get("prompt").asText()), c.get("prompt").asText());
            StreamDecoder d = t.streamDecoder(false);
            StringBuilder text = new StringBuilder();
            for (JsonNode step : c.get("steps")) text.append(d.push(step.get("id").asInt()));
            text.append(d.flush());
            assertEquals(c.get("text").asText(), text.toString());
            assertEquals(c.get("prompt").asText(), t.decode(Arrays.copyOfRange(promptIds, 1, promptIds.length)));
        }
        assertTrue(t.isEog(t.eos()));
        assertEquals(-1, t.pad(), "padding id 2^32-1 is out of range and ignored");
    }

    @Test
    void phi3ControlTokensAreParsedOnlyOnRequestAndSwallowFollowingWhitespace() {
        Tokenizer t = VocabCases.tokenizer("phi-3");
        int user = t.tokenId("<|user|>"), end = t.tokenId("<|end|>");
        assertEquals(32010, user);
        assertEquals(32007, end);
        // phi-3 control tokens are rstrip: the newline after <|user|> disappears; the text after a special token gets the space prefix
        assertArrayEquals(concat(new int[] {user}, t.encode("Hi", false, false), new int[] {end}), t.encode("<|user|>\nHi<|end|>", false, true));
        int[] plain = t.encode("<|user|>\nHi<|end|>", false, false);
        assertFalse(Arrays.stream(plain).anyMatch(id -> id == user || id == end), Arrays.toString(plain));
        assertEquals("<|user|>\nHi<|end|>", t.decode(plain));
        assertEquals(end, t.eot());
        for (int id : new int[] {end, 32000, t.tokenId("</s>")}) assertTrue(t.isEog(id), t.rawPiece(id));
        assertFalse(t.isEog(t.bos()));
    }

    @Test
    void gpt2EndOfTextIsSpecialOnlyWhenParsed() {
        Tokenizer t = VocabCases.tokenizer("gpt-2");
        assertArrayEquals(new int[] {50256}, t.encode("<|endoftext|>", false, true));
        assertTrue(t.encode("<|endoftext|>", false, false).length > 1);
        assertEquals(50256, t.eos());
        assertTrue(t.isEog(50256));
        assertEquals("<|endoftext|>", t.decode(50256));
        assertEquals("", t.decode(new int[] {50256}, false));
        assertEquals("a<|endoftext|>b", t.decode(t.encode("a<|endoftext|>b", false, true)));
    }

    @Test
    void userDefinedTokensAreAlwaysWhole() {
        Tokenizer t = VocabCases.tokenizer("refact");
        int padToken = t.tokenId("[PAD49152]");
        assertEquals(TokenType.USER_DEFINED, t.tokenType(padToken));
        int[] ids = t.encode("a[PAD49152]b", false, false);
        assertArrayEquals(concat(t.encode("a", false, false), new int[] {padToken}, t.encode("b", false, false)), ids);
        // refact's FIM repo-name token ends generation, as in llama.cpp
        assertTrue(t.isEog(t.tokenId("<reponame>")));
    }

    @Test
    void streamDecoderHoldsBackSplitCharacters() {
        Tokenizer spm = VocabCases.tokenizer("llama-spm");
        int[] ids = spm.encode("🦙!", false, false); // ▁ then four byte tokens, then !
        StreamDecoder d = spm.streamDecoder(false);
        StringBuilder seen = new StringBuilder();
        int emptyPushes = 0;
        for (int id : ids) {
            String s = d.push(id);
            if (s.isEmpty()) emptyPushes++;
            assertFalse(s.contains("\uFFFD"), "partial character leaked: " + Arrays.toString(ids));
            seen.append(s);
        }
        assertEquals(" 🦙!", seen + d.flush());
        assertEquals(3, emptyPushes, "three of the four emoji bytes are held back");

        Tokenizer bpe = VocabCases.tokenizer("gpt-2");
        int[] llama = {428, 318, 12520, 99, 247, 13, 20322}; // " this is 🦙.cpp" from the reference
        assertTrue(bpe.tokenText(12520).contains("\uFFFD"), "a lone piece of a character shows U+FFFD");
        StreamDecoder d2 = bpe.streamDecoder(true);
        StringBuilder out = new StringBuilder();
        for (int id : llama) out.append(d2.push(id));
        assertFalse(d2.hasPending());
        assertEquals(" this is 🦙.cpp", out.toString());
        d2.push(12520);
        assertEquals("\uFFFD", d2.flush(), "an unfinished character is flushed as U+FFFD");
    }

    @Test
    void piecesRenderSpacesAndBytes() {
        Tokenizer t = VocabCases.tokenizer("llama-spm");
        int hello = t.tokenId("▁Hello");
        assertEquals(" Hello", t.tokenText(hello));
        assertEquals("▁Hello", t.rawPiece(hello));
        int newline = t.tokenId("<0x0A>");
        assertEquals(TokenType.BYTE, t.tokenType(newline));
        assertArrayEquals(new byte[] {'\n'}, t.tokenBytes(newline));
        assertArrayEquals(new byte[] {(byte) 0xF0}, t.tokenBytes(t.tokenId("<0xF0>")));
        assertEquals("<s>", t.tokenText(t.bos()));
        assertTrue(t.isControl(t.bos()));
        assertEquals(32000, t.vocabSize());
        assertEquals("llama", t.model());
        assertTrue(t.addsBos());
        assertEquals(t.bos(), t.encode("Hello")[0]);
        PonderException e = assertThrows(PonderException.class, () -> t.decode(32000));
        assertTrue(e.getMessage().contains("32000"), e.getMessage());
    }

    @Test
    void spaceCleanupFollowsLlamaCpp() {
        String[][] cases = {
            {"Hello , world !", "Hello, world!"},
            {"What ? Yes .", "What? Yes."},
            {"it ' s", "it's"},
            {"he 's and we 're and you 've and I 'm", "he's and we're and you've and I'm"},
            {"don 't , we 'd , you 'll", "don 't, we 'd, you 'll"},
            {" ,", ","},
            {"", ""},
        };
        for (String[] c : cases) {
            byte[] b = c[0].getBytes(StandardCharsets.UTF_8);
            assertEquals(c[1], new String(b, 0, SpaceCleanup.apply(b), StandardCharsets.UTF_8), c[0]);
        }
    }

    private Path vocabFile(String model, String pre) throws IOException {
        GGUFWriter w = new GGUFWriter().putString("tokenizer.ggml.model", model).putStrings("tokenizer.ggml.tokens", List.of("a", "b", "ab"));
        if (pre != null) w.putString("tokenizer.ggml.pre", pre).putStrings("tokenizer.ggml.merges", List.of("a b"));
        Path p = dir.resolve(model + ".gguf");
        w.write(p);
        return p;
    }

    @Test
    void unsupportedModelsAndPreTokenizersAreNamed() throws IOException {
        PonderException e = assertThrows(PonderException.class, () -> Tokenizer.fromGGUF(vocabFile("bert", null)));
        assertTrue(e.getMessage().contains("'bert'"), e.getMessage());
        e = assertThrows(PonderException.class, () -> Tokenizer.fromGGUF(vocabFile("gpt2", "made-up-pre")));
        assertTrue(e.getMessage().contains("'made-up-pre'"), e.getMessage());
        Path none = dir.resolve("none.gguf");
        new GGUFWriter().putString("general.name", "x").write(none);
        e = assertThrows(PonderException.class, () -> Tokenizer.fromGGUF(none));
        assertTrue(e.getMessage().contains("tokenizer.ggml.model"), e.getMessage());
    }

    @Test
    void aTinyBpeVocabularyMergesAndHasNoBos() throws IOException {
        Tokenizer t = Tokenizer.fromGGUF(vocabFile("gpt2", "gpt-2"));
        assertArrayEquals(new int[] {2, 0}, t.encode("aba", false, false));
        assertEquals("aba", t.decode(2, 0));
        // gpt2 vocabularies default to BOS id 11, which this 3-token vocabulary lacks
        assertEquals(-1, t.bos());
        assertThrows(PonderException.class, () -> t.encode("a", true, false));
    }
}
