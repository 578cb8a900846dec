package dev.ponder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The tool's output in a training example weighs nothing; everything else, the line end included, counts. */
class NanoToolOutputWeightsTest {
    @Test
    void onlyTokensInsideTheInsertedResultAreMasked() {
        Tokenizer tok = Tokenizer.fromGGUF(Path.of("models/ponder-nano.gguf"));
        String doc = "Question: By 2052, Dofi Rabule had lived for how many years?\nAnswer: <<calc 2052-1982>>70\n";
        int[] ids = tok.encode(doc, false, false);
        boolean[] masked = NanoCommand.toolOutputTokens(tok, doc, ids);
        StringBuilder maskedText = new StringBuilder(), rest = new StringBuilder();
        for (int i = 0; i < ids.length; i++) (masked[i] ? maskedText : rest).append(tok.decode(ids[i]));
        String m = maskedText.toString();
        assertTrue("70".endsWith(m) && !m.isEmpty(), "masked: '" + m + "'");
        assertTrue(rest.toString().endsWith("\n"), "the line end is still trained");
        assertTrue(rest.toString().contains("<<calc 2052-1982>>") || rest.toString().contains("<<calc 2052-1982"), rest.toString());
    }

    @Test
    void documentsWithoutCallsAreUntouched() {
        Tokenizer tok = Tokenizer.fromGGUF(Path.of("models/ponder-nano.gguf"));
        String doc = "Question: Where was Lurku Pikirken born?\nAnswer: Nububy\n";
        int[] ids = tok.encode(doc, false, false);
        boolean[] masked = NanoCommand.toolOutputTokens(tok, doc, ids);
        assertEquals(ids.length, masked.length);
        for (boolean b : masked) assertFalse(b);
    }
}
