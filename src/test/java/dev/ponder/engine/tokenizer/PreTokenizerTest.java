package dev.ponder.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.PonderException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {
    /** Characters of every class the splitters distinguish: letters (ASCII, accented, CJK), digits, marks, spaces, punctuation, symbols, emoji. */
    private static final int[] ALPHABET = "aZé日ß 1٣\t\n\r'sStTrReEvVmMdDlL.,!?$+<=>^`|~-_()[]{}/\\\"\u00A0\u2003\u0301\u200B😀🦙½€".codePoints().toArray();

    private static String randomText(Random r, int maxLen) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(maxLen + 1);
        for (int i = 0; i < n; i++) sb.appendCodePoint(ALPHABET[r.nextInt(ALPHABET.length)]);
        return sb.toString();
    }

    private static List<String> split(SplitStage stage, String text) {
        SplitText t = new SplitText(text);
        IntList in = new IntList();
        if (t.length() > 0) in.add(t.length());
        IntList out = new IntList();
        stage.split(t, in, out);
        List<String> words = new java.util.ArrayList<>();
        for (int i = 0, at = 0; i < out.size(); at += out.get(i), i++) if (out.get(i) > 0) words.add(new String(t.cps, at, out.get(i)));
        return words;
    }

    @Test
    void handWrittenGpt2SplitterAgreesWithTheRegex() {
        Random r = new Random(1);
        RegexSplitter regex = new RegexSplitter(Gpt2Splitter.PATTERN);
        Gpt2Splitter hand = new Gpt2Splitter();
        for (int i = 0; i < 3000; i++) {
            String s = randomText(r, 24);
            assertEquals(split(regex, s), split(hand, s), () -> "text: " + s.replace("\n", "\\n"));
        }
    }

    @Test
    void handWrittenLlama3SplitterAgreesWithTheRegex() {
        Random r = new Random(2);
        RegexSplitter regex = new RegexSplitter(Llama3Splitter.PATTERN_EXPANDED);
        Llama3Splitter hand = new Llama3Splitter();
        for (int i = 0; i < 3000; i++) {
            String s = randomText(r, 24);
            assertEquals(split(regex, s), split(hand, s), () -> "text: " + s.replace("\n", "\\n"));
        }
    }

    @Test
    void gpt2SplitsWordsNumbersPunctuationAndSpaceRuns() {
        PreTokenizer p = PreTokenizer.forName("gpt-2");
        assertEquals(List.of("Hello", ",", " world", "'s", " 123", "   ", " x", "!!", "\n"), p.split("Hello, world's 123    x!!\n"));
    }

    @Test
    void llama3GroupsDigitsByThreeAndKeepsNewlinesTogether() {
        PreTokenizer p = PreTokenizer.forName("llama-bpe");
        assertEquals(List.of("123", "456", "7", " I", "'M", " ok", ".\n\n", "  ", " x"), p.split("1234567 I'M ok.\n\n   x"));
    }

    @Test
    void qwen2SplitsEveryDigit() {
        PreTokenizer p = PreTokenizer.forName("qwen2");
        assertEquals(List.of("x", "1", "2", "3", " +", "4", "\n", " Ünïcode"), p.split("x123 +4\n Ünïcode"));
    }

    @Test
    void starcoderCutsDigitsFirst() {
        PreTokenizer p = PreTokenizer.forName("starcoder");
        assertEquals(List.of("a", "1", "2", " b"), p.split("a12 b"));
    }

    @Test
    void deepseekLlmCutsLettersPunctuationCjkAndDigits() {
        PreTokenizer p = PreTokenizer.forName("deepseek-llm");
        // the third pattern, [!-/:-~...], also covers ASCII letters: it re-cuts words that mix in other letters
        assertEquals(List.of("Hi", " th", "é", "re", "  ", "\n", "我想", "12", "!?", "  "), p.split("Hi thére  \n我想12!?  "));
    }

    @Test
    void regexTranslationFollowsEcmaScript() {
        // ECMAScript's $ is the very end; Java's $ would also match before a final line terminator
        assertEquals("\\s+\\z", RegexSplitter.translate("\\s+$", false));
        assertEquals(List.of("a\n"), split(new RegexSplitter("a$"), "a\n"));
        // \p{X} becomes the category marker plus the category's ASCII members, bracketed only outside brackets
        assertEquals("[\u00D2A-Za-z]+[^\\s\u00D2A-Za-z\u00D10-9]", RegexSplitter.translate("\\p{L}+[^\\s\\p{L}\\p{N}]", true));
    }

    @Test
    void everyPresetCompilesAndTilesTheText() {
        Random r = new Random(3);
        for (String name : PreTokenizer.names()) {
            PreTokenizer p = PreTokenizer.forName(name);
            for (int i = 0; i < 50; i++) {
                String s = randomText(r, 30);
                assertEquals(s, String.join("", p.split(s)), () -> name + " lost text");
            }
        }
    }

    @Test
    void unknownNamesAreNamedInTheError() {
        PonderException e = assertThrows(PonderException.class, () -> PreTokenizer.forName("no-such-pre"));
        assertTrue(e.getMessage().contains("'no-such-pre'"), e.getMessage());
        assertEquals("default", PreTokenizer.forName("").name());
    }
}
