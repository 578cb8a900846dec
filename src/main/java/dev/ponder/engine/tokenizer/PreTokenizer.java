package dev.ponder.engine.tokenizer;

import dev.ponder.engine.PonderException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Splits text into words before byte-level BPE, as chosen by the GGUF key {@code tokenizer.ggml.pre}.
 *
 * <p>Each pre-tokenizer is a list of patterns applied in turn, every one cutting the pieces left by the
 * previous (see {@link SplitStage}). The patterns are the models' published pre-tokenizer regexes in the
 * form llama.cpp runs them (so that our token ids equal llama.cpp's); the GPT-2 and Llama 3 patterns are
 * matched by hand-written splitters ({@link Gpt2Splitter}, {@link Llama3Splitter}), all others by
 * {@link RegexSplitter}. The preset also carries the flags that llama.cpp ties to the pre-tokenizer name.
 */
public final class PreTokenizer {
    // ---- patterns (one string per stage) ----
    private static final String GPT2 = Gpt2Splitter.PATTERN;
    private static final String LLAMA3 = Llama3Splitter.PATTERN_EXPANDED;
    private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
    private static final String QWEN2 = CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN35 = CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String SEED_CODER = CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1}| ?[^\\s\\p{L}\\p{N}\\r\\n]+|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String BAILING = "'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";
    private static final String PORO = " ?[^(\\s|.,!?…。，、।۔،)]+";
    private static final String TEKKEN = "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String GPT4O = "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+" + CONTRACTIONS + "?|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*" + CONTRACTIONS + "?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String CJK = "[一-龥ࠀ-一가-퟿]+";
    private static final String DEEPSEEK_LETTERS = "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-\u1F7Dᾀ-ᾴᾶ-ᾼ\u1FBEῂ-ῄῆ-ῌῐ-\u1FD3ῖ-\u1FDBῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤ\u2126ℨ\u212A-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+";
    private static final String DEEPSEEK3_WORDS = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+";

    /** A named pre-tokenizer: its patterns and the tokenizer flags llama.cpp derives from its name. */
    private record Preset(List<String> patterns, boolean ignoreMerges, boolean cleanSpaces, boolean addBos, boolean noBos) {}

    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    private static void preset(String names, boolean ignoreMerges, boolean cleanSpaces, boolean addBos, boolean noBos, String... patterns) {
        Preset p = new Preset(List.of(patterns), ignoreMerges, cleanSpaces, addBos, noBos);
        for (String n : names.split(",")) PRESETS.put(n.trim(), p);
    }

    private static void preset(String names, boolean cleanSpaces, String... patterns) {
        preset(names, false, cleanSpaces, false, false, patterns);
    }

    static {
        preset("default", true, "[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]");
        preset("llama3, llama-v3, llama-bpe, falcon3, falcon-h1, pixtral, midm-2.0, lfm2", true, true, true, false, LLAMA3);
        preset("dbrx, smaug-bpe", true, LLAMA3);
        preset("glm4, chatglm-bpe", false, true, false, true, LLAMA3);
        preset("gpt-2, phi-2, jina-es, jina-de, gigachat, jina-v2-es, jina-v2-de, a.x-4.0, mellum, modern-bert, exaone4, mpt, olmo, jais", true, GPT2);
        preset("trillion, granite-docling", false, GPT2);
        preset("starcoder, refact, codeshell, exaone, minerva-7b, mellum2", true, "\\p{N}", GPT2);
        preset("command-r, smollm", false, "\\p{N}", GPT2);
        preset("falcon", true, "[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]");
        preset("qwen2, deepseek-r1-qwen, kormo, f2llmv2, hunyuan, grok-2", false, QWEN2);
        preset("stablelm2, megrez", true, QWEN2);
        preset("qwen35", false, QWEN35);
        preset("seed-coder", false, SEED_CODER);
        preset("bailingmoe, bailingmoe2, llada-moe", false, BAILING);
        preset("poro-chat", false, PORO);
        preset("bloom, gpt3-finnish", true, PORO);
        preset("viking", false, PORO, "\\p{N}");
        preset("tekken", true, false, true, false, TEKKEN);
        preset("gpt-4o, llama4, kanana2, talkie", false, GPT4O);
        preset("deepseek-llm", false, "[\r\n]", DEEPSEEK_LETTERS, "\\s?[!-/:-~！-／：-～‘-‟　-。]+", "\\s+$", CJK, "\\p{N}+");
        preset("deepseek-coder", false, "[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", CJK, "\\p{N}");
        preset("deepseek-v3, hunyuan-dense, joyai-llm, hy_v4", false, "\\p{N}{1,3}", "[一-龥぀-ゟ゠-ヿ]+", DEEPSEEK3_WORDS);
    }

    private final String name;
    private final Preset preset;
    private final List<SplitStage> stages;

    private PreTokenizer(String name, Preset preset) {
        this.name = name;
        this.preset = preset;
        List<SplitStage> s = new ArrayList<>();
        for (String p : preset.patterns) s.add(stageFor(p));
        this.stages = List.copyOf(s);
    }

    private static SplitStage stageFor(String pattern) {
        if (pattern.equals(Gpt2Splitter.PATTERN)) return new Gpt2Splitter();
        if (pattern.equals(Llama3Splitter.PATTERN) || pattern.equals(Llama3Splitter.PATTERN_EXPANDED)) return new Llama3Splitter();
        return new RegexSplitter(pattern);
    }

    /**
     * The pre-tokenizer llama.cpp uses for {@code tokenizer.ggml.pre = name}; an empty name (the key is
     * missing) means {@code default}. Unknown names are a {@link PonderException} naming them.
     */
    public static PreTokenizer forName(String name) {
        String key = name == null || name.isEmpty() ? "default" : name;
        Preset p = PRESETS.get(key);
        if (p == null) {
            throw new PonderException("unknown pre-tokenizer '" + name + "' (tokenizer.ggml.pre); supported: " + String.join(", ", PRESETS.keySet()));
        }
        return new PreTokenizer(key, p);
    }

    /** Every pre-tokenizer name {@link #forName} accepts. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(PRESETS.keySet());
    }

    public String name() {
        return name;
    }

    /** Whole words found in the vocabulary skip the merges (llama.cpp's {@code ignore_merges}). */
    boolean ignoreMerges() {
        return preset.ignoreMerges;
    }

    /** Whether detokenization removes the space before {@code , . ? !} and some contractions. */
    boolean cleanSpaces() {
        return preset.cleanSpaces;
    }

    /** The default for {@code add_bos_token} when the GGUF does not say. */
    boolean addBosDefault() {
        return preset.addBos;
    }

    /** Whether the model has no BOS token unless the GGUF names one. */
    boolean noBosDefault() {
        return preset.noBos;
    }

    /** The words of {@code text}, in order; they concatenate to the text. */
    public List<String> split(String text) {
        SplitText t = new SplitText(Unicode.sanitize(text));
        int[] lengths = segmentLengths(t);
        List<String> words = new ArrayList<>(lengths.length);
        int start = 0;
        for (int len : lengths) {
            words.add(new String(t.cps, start, len));
            start += len;
        }
        return words;
    }

    /**
     * Passes each word of {@code text} to {@code sink} in the byte-level alphabet (its UTF-8 bytes, one
     * {@link ByteLevel} char each): the form BPE merges and vocabulary pieces are written in.
     */
    void forEachByteLevelWord(String text, Consumer<String> sink) {
        SplitText t = new SplitText(text);
        byte[] utf8 = new byte[4];
        StringBuilder word = new StringBuilder();
        int cp = 0;
        for (int len : segmentLengths(t)) {
            word.setLength(0);
            for (int k = cp; k < cp + len; k++) {
                int n = Unicode.utf8(t.cps[k], utf8, 0);
                for (int j = 0; j < n; j++) word.append(ByteLevel.charOf(utf8[j]));
            }
            cp += len;
            sink.accept(word.toString());
        }
    }

    /** The word lengths (in codepoints) that tile {@code text}. Empty pieces are dropped. */
    int[] segmentLengths(SplitText text) {
        IntList cur = new IntList(4);
        if (text.length() == 0) return new int[0];
        cur.add(text.length());
        for (SplitStage stage : stages) {
            IntList next = new IntList(Math.max(16, cur.size() * 2));
            stage.split(text, cur, next);
            cur = next;
        }
        IntList nonEmpty = new IntList(cur.size());
        for (int i = 0; i < cur.size(); i++) if (cur.get(i) > 0) nonEmpty.add(cur.get(i));
        return nonEmpty.toArray();
    }

    @Override
    public String toString() {
        return "PreTokenizer[" + name + ": " + stages + "]";
    }
}
