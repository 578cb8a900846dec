package dev.ponder.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ponder.testutil.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every llama.cpp vocabulary test case: our ids must equal llama.cpp's exactly (no BOS, special-token text
 * treated as text), and decoding them must give back the input, up to the space clean-up that llama.cpp's
 * detokenizer applies for vocabularies that ask for it.
 */
class TokenizerConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ponder.engine.tokenizer.VocabCases#all")
    void encodesLikeLlamaCpp(VocabCases.Case c) {
        if (c.input() == null) Reference.file(VocabCases.gguf(c.vocab()) + ".inp"); // skips, or fails under CI
        Tokenizer t = VocabCases.tokenizer(c.vocab());
        int[] ids = t.encode(c.input(), false, false);
        assertArrayEquals(c.expected(), ids, () -> c + "\n expected " + Arrays.toString(c.expected()) + "\n got      " + Arrays.toString(ids));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ponder.engine.tokenizer.VocabCases#all")
    void decodesBackToTheInput(VocabCases.Case c) {
        if (c.input() == null) Reference.file(VocabCases.gguf(c.vocab()) + ".inp");
        Tokenizer t = VocabCases.tokenizer(c.vocab());
        assertEquals(roundTripOf(t, c.input()), t.decode(t.encode(c.input(), false, false)), c::toString);
    }

    /** What llama.cpp's detokenizer gives back for text it tokenized: the text, or the text with spaces cleaned up. */
    static String roundTripOf(Tokenizer t, String text) {
        if (!t.vocab.cleanSpaces) return text;
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new String(b, 0, SpaceCleanup.apply(b), StandardCharsets.UTF_8);
    }
}
