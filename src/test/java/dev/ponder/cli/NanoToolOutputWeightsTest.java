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
    void whatTheModelWritesAfterTheResultIsTrained() {
        Tokenizer tok = Tokenizer.fromGGUF(Path.of("models/ponder-nano.gguf"));
        String doc = "Question: Reach 89 from 7, 7, 75, 100 using + - * / and each number at most once.\nAnswer: <<calc 89-75>>14; 75+7+7\n";
        int[] ids = tok.encode(doc, false, false);
        boolean[] masked = NanoCommand.toolOutputTokens(tok, doc, ids);
        StringBuilder maskedText = new StringBuilder(), rest = new StringBuilder();
        for (int i = 0; i < ids.length; i++) (masked[i] ? maskedText : rest).append(tok.decode(ids[i]));
        assertTrue("14".endsWith(maskedText.toString()), "masked: '" + maskedText + "'");
        assertTrue(rest.toString().endsWith("75+7+7\n"), "the worked solution is trained: " + rest);
        // a call with no result after it (the runtime inserted nothing) masks nothing
        String bare = "Answer: <<calc 89-75>>\n";
        for (boolean b : NanoCommand.toolOutputTokens(tok, bare, tok.encode(bare, false, false))) assertFalse(b);
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

    @Test
    void passageWeightAppliesToThePassageOnly() throws Exception {
        Tokenizer tok = Tokenizer.fromGGUF(Path.of("models/ponder-nano.gguf"));
        String reading = "Passage: Loze Pofi works at Nolzil Foods.\nQuestion: Where does Loze Pofi work?\nAnswer: Nolzil Foods\n";
        String plain = "Question: Where was Lurku Pikirken born?\nAnswer: Nububy\n";
        int[] ids = tok.encode(reading, false, false);
        int end = NanoCommand.passageEnd(tok, reading, ids);
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < end; i++) head.append(tok.decode(ids[i]));
        // up to the last token wholly before the question (here ".\n" is one token, so the period goes with the question)
        String passage = "Passage: Loze Pofi works at Nolzil Foods.";
        assertTrue(passage.startsWith(head.toString()) && head.length() >= passage.length() - 1, "'" + head + "'");
        assertEquals(0, NanoCommand.passageEnd(tok, plain, tok.encode(plain, false, false)));

        for (int w : new int[] {0, 1}) {
            java.io.ByteArrayOutputStream tokens = new java.io.ByteArrayOutputStream(), weights = new java.io.ByteArrayOutputStream();
            NanoCommand.writeDocs(tok, java.util.List.of(reading, plain), true, w, new java.io.DataOutputStream(tokens), weights);
            byte[] wt = weights.toByteArray();
            int plainLen = tok.encode(plain, false, false).length;
            assertEquals(ids.length + 2 + plainLen + 2, wt.length);
            for (int i = 0; i < end; i++) assertEquals(w, wt[1 + i], "passage token " + i); // after BOS
            assertEquals(1, wt[1 + end], "the question is trained as before");
            assertEquals(NanoCommand.ANSWER_WEIGHT, wt[ids.length], "the answer keeps its weight"); // last answer token
            for (int i = ids.length + 2; i < wt.length; i++) assertTrue(wt[i] >= 1, "a plain question is untouched");
        }
    }
}
