package dev.ponder.engine.tokenizer;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGUFFile;
import dev.ponder.engine.gguf.GGUFValue;
import dev.ponder.engine.gguf.GGUFValueType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A tokenizer vocabulary read from GGUF metadata, with the defaults and fix-ups llama.cpp applies when it
 * loads one (default special ids per model type, special tokens recognised by their text, end-of-generation
 * set, per-model strip rules), so that tokenization and detokenization built on it agree with llama.cpp.
 */
final class Vocabulary {
    // token attributes (bit flags, as llama.cpp's llama_token_attr)
    static final int UNKNOWN = 1, UNUSED = 2, NORMAL = 4, CONTROL = 8, USER_DEFINED = 16, BYTE = 32, LSTRIP = 128, RSTRIP = 256;

    enum Kind { SPM, BPE }

    final Kind kind;
    final String model;
    final String pre;
    /** Token texts as stored (BPE: byte-level strings; SPM: with U+2581 for spaces). [n] */
    final String[] pieces;
    /** SentencePiece scores (0 when absent). [n] */
    final float[] scores;
    /** Attribute bits per token. [n] */
    final int[] attrs;
    /** Token types as stored in GGUF (NORMAL when absent). [n] */
    final TokenType[] types;
    /** Text -> id (the first id wins if a text repeats). */
    final Map<String, Integer> ids;
    /** BPE merges in rank order, each as "left right" (BPE only, else empty). */
    final String[] merges;
    /** The pre-tokenizer (BPE only, else null). */
    final PreTokenizer preTokenizer;

    int bos = 1, eos = 2, eot = -1, eom = -1, unk = 0, sep = -1, pad = -1, mask = -1;
    int fimPre = -1, fimSuf = -1, fimMid = -1, fimPad = -1, fimRep = -1, fimSep = -1;
    boolean addBos, addEos, addSpacePrefix, cleanSpaces, ignoreMerges;
    /** End-of-generation token ids, sorted. */
    int[] eog;
    /** Ids of tokens matched as wholes in input text (control, user-defined, unknown), longest text first. */
    int[] specials;
    /** What each token decodes to, with special tokens rendered as their text. [n][] */
    byte[][] pieceBytes;

    private Vocabulary(Kind kind, String model, String pre, String[] pieces, float[] scores, int[] types, String[] merges, PreTokenizer preTokenizer) {
        this.kind = kind;
        this.model = model;
        this.pre = pre;
        int n = pieces.length;
        this.pieces = pieces;
        this.scores = scores;
        this.merges = merges;
        this.preTokenizer = preTokenizer;
        this.types = new TokenType[n];
        this.attrs = new int[n];
        this.ids = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (pieces[i].isEmpty()) pieces[i] = "[EMPTY_" + i + "]";
            ids.putIfAbsent(pieces[i], i);
            this.types[i] = types == null ? TokenType.NORMAL : TokenType.ofCode(types[i]);
            attrs[i] = switch (this.types[i]) {
                case NORMAL -> NORMAL;
                case UNKNOWN -> UNKNOWN;
                case CONTROL -> CONTROL;
                case USER_DEFINED -> USER_DEFINED;
                case UNUSED -> UNUSED;
                case BYTE -> BYTE;
                case UNDEFINED -> 0;
            };
        }
    }

    int size() {
        return pieces.length;
    }

    int id(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    // ---------------------------------------------------------------- loading

    static Vocabulary fromGGUF(GGUFFile g) {
        String where = g.path() == null ? "GGUF data" : g.path().getFileName().toString();
        if (!g.has("tokenizer.ggml.model")) throw new PonderException(where + " has no tokenizer (missing tokenizer.ggml.model)");
        String model = g.getString("tokenizer.ggml.model");
        String pre = g.getString("tokenizer.ggml.pre", "");
        Kind kind = switch (model) {
            case "llama" -> Kind.SPM;
            case "gpt2" -> Kind.BPE;
            default -> throw new PonderException("unsupported tokenizer model '" + model + "' (tokenizer.ggml.model) in " + where + "; supported: llama (SentencePiece), gpt2 (byte-level BPE)");
        };
        if (!g.has("tokenizer.ggml.tokens")) throw new PonderException(where + ": missing tokenizer.ggml.tokens");
        String[] pieces = g.getStrings("tokenizer.ggml.tokens").clone();
        int n = pieces.length;
        if (n == 0) throw new PonderException(where + ": tokenizer.ggml.tokens is empty");

        float[] scores = new float[n];
        if (g.has("tokenizer.ggml.scores")) {
            GGUFValue v = g.get("tokenizer.ggml.scores");
            if (v.type() == GGUFValueType.ARRAY && v.value() instanceof int[] is) {
                if (is.length < n) throw new PonderException(where + ": tokenizer.ggml.scores has " + is.length + " entries for " + n + " tokens");
                for (int i = 0; i < n; i++) scores[i] = is[i];
            } else {
                float[] fs = g.getFloats("tokenizer.ggml.scores");
                if (fs.length < n) throw new PonderException(where + ": tokenizer.ggml.scores has " + fs.length + " entries for " + n + " tokens");
                System.arraycopy(fs, 0, scores, 0, n);
            }
        }
        int[] types = null;
        if (g.has("tokenizer.ggml.token_type")) {
            types = g.getInts("tokenizer.ggml.token_type");
            if (types.length < n) throw new PonderException(where + ": tokenizer.ggml.token_type has " + types.length + " entries for " + n + " tokens");
        }

        String[] merges = new String[0];
        PreTokenizer preTokenizer = null;
        if (kind == Kind.BPE) {
            if (!g.has("tokenizer.ggml.merges")) throw new PonderException(where + ": byte-level BPE tokenizer without tokenizer.ggml.merges");
            merges = g.getStrings("tokenizer.ggml.merges");
            preTokenizer = PreTokenizer.forName(pre);
        }

        Vocabulary v = new Vocabulary(kind, model, pre, pieces, scores, types, merges, preTokenizer);
        if (kind == Kind.SPM) {
            v.addSpacePrefix = true;
            v.addBos = true;
        } else {
            v.bos = 11;
            v.eos = 11;
            v.unk = -1;
            v.cleanSpaces = preTokenizer.cleanSpaces();
            v.ignoreMerges = preTokenizer.ignoreMerges();
            v.addBos = preTokenizer.addBosDefault();
            if (preTokenizer.noBosDefault()) v.bos = -1;
        }
        v.addSpacePrefix = g.getBool("tokenizer.ggml.add_space_prefix", v.addSpacePrefix);
        v.readSpecialIds(g);
        v.addBos = g.getBool("tokenizer.ggml.add_bos_token", v.addBos);
        v.addEos = g.getBool("tokenizer.ggml.add_eos_token", v.addEos);
        if (v.addBos && v.bos < 0) throw new PonderException(where + ": tokenizer.ggml.add_bos_token is true, but there is no BOS token");
        if (v.addEos && v.eos < 0) throw new PonderException(where + ": tokenizer.ggml.add_eos_token is true, but there is no EOS token");
        v.detectSpecialsByText();
        v.collectSpecials();
        v.pieceBytes = new byte[n][];
        for (int i = 0; i < n; i++) v.pieceBytes[i] = v.renderPiece(i);
        v.applyModelStripRules(g.getString("general.name", "").toLowerCase(Locale.ROOT), pre, g.getString("general.architecture", ""));
        return v;
    }

    /** Special ids from metadata; defaults outside the vocabulary are disabled, bad metadata ids are ignored. */
    private void readSpecialIds(GGUFFile g) {
        bos = specialId(g, "bos_token_id", bos);
        eos = specialId(g, "eos_token_id", eos);
        eot = specialId(g, "eot_token_id", eot);
        eom = specialId(g, "eom_token_id", eom);
        unk = specialId(g, "unknown_token_id", unk);
        sep = specialId(g, "seperator_token_id", sep); // sic: the GGUF key is spelled this way
        pad = specialId(g, "padding_token_id", pad);
        mask = specialId(g, "mask_token_id", mask);
        fimPre = specialId(g, "prefix_token_id", specialId(g, "fim_pre_token_id", fimPre));
        fimSuf = specialId(g, "suffix_token_id", specialId(g, "fim_suf_token_id", fimSuf));
        fimMid = specialId(g, "middle_token_id", specialId(g, "fim_mid_token_id", fimMid));
        fimPad = specialId(g, "fim_pad_token_id", fimPad);
        fimRep = specialId(g, "fim_rep_token_id", fimRep);
        fimSep = specialId(g, "fim_sep_token_id", fimSep);
    }

    private int specialId(GGUFFile g, String key, int dflt) {
        int id = dflt >= size() ? -1 : dflt;
        String full = "tokenizer.ggml." + key;
        if (!g.has(full)) return id;
        long v;
        try {
            v = g.getLong(full);
        } catch (PonderException e) {
            return id; // not an integer: ignore, as an unreadable optional key
        }
        return v >= 0 && v < size() ? (int) v : id;
    }

    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
            "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>");
    private static final List<String> EOM_TEXTS = List.of("<|eom_id|>");
    private static final List<String> FIM_PRE_TEXTS = List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>");
    private static final List<String> FIM_SUF_TEXTS = List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>");
    private static final List<String> FIM_MID_TEXTS = List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>");
    private static final List<String> FIM_PAD_TEXTS = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]");
    private static final List<String> FIM_REP_TEXTS = List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>");
    private static final List<String> FIM_SEP_TEXTS = List.of("<|file_sep|>");
    private static final List<String> EOG_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>",
            "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
            "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[");
    private static final List<String> ALWAYS_RENDERED = List.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>");

    /**
     * Tokens recognised by their text (the metadata rarely names them): EOT/EOM/FIM ids when not given,
     * the end-of-generation set, all of which become control tokens. Where several candidates exist, the
     * first in the candidate list wins (deterministic, unlike a hash-order scan).
     */
    private void detectSpecialsByText() {
        if (eot < 0) eot = firstPresentAsControl(EOT_TEXTS);
        if (eom < 0) eom = firstPresentAsControl(EOM_TEXTS);
        if (fimPre < 0) fimPre = firstPresentAsControl(FIM_PRE_TEXTS);
        if (fimSuf < 0) fimSuf = firstPresentAsControl(FIM_SUF_TEXTS);
        if (fimMid < 0) fimMid = firstPresentAsControl(FIM_MID_TEXTS);
        if (fimPad < 0) fimPad = firstPresentAsControl(FIM_PAD_TEXTS);
        if (fimRep < 0) fimRep = firstPresentAsControl(FIM_REP_TEXTS);
        if (fimSep < 0) fimSep = firstPresentAsControl(FIM_SEP_TEXTS);
        for (int i = 0; i < size(); i++) {
            if ((attrs[i] & CONTROL) != 0 && pieces[i].contains("unused")) attrs[i] |= UNUSED;
        }
        TreeSet<Integer> eogSet = new TreeSet<>();
        for (int id : new int[] {fimPad, fimRep, fimSep}) if (id >= 0) eogSet.add(id);
        for (String t : EOG_TEXTS) {
            int id = id(t);
            if (id >= 0) {
                eogSet.add(id);
                attrs[id] |= CONTROL;
            }
        }
        for (String t : ALWAYS_RENDERED) {
            int id = id(t);
            if (id >= 0) attrs[id] = USER_DEFINED;
        }
        for (int id : new int[] {eos, eot, eom}) if (id >= 0) eogSet.add(id);
        // a vocabulary with <|return|> and <|call|> (or <|calls|> and <|flush|>) ends a turn with those, not <|end|>
        boolean hasReturn = has(eogSet, "<|return|>"), hasCall = has(eogSet, "<|call|>") || has(eogSet, "<|calls|>");
        boolean hasFlush = has(eogSet, "<|flush|>");
        int end = id("<|end|>");
        if (end >= 0 && eogSet.contains(end) && hasCall && (hasReturn || hasFlush)) {
            eogSet.remove(end);
            attrs[end] = USER_DEFINED;
        }
        int s = id("</s>");
        if (s >= 0 && eogSet.contains(s) && has(eogSet, "<|tool_response>")) {
            eogSet.remove(s);
            attrs[s] = NORMAL;
        }
        eog = eogSet.stream().mapToInt(Integer::intValue).toArray();
    }

    private boolean has(TreeSet<Integer> set, String text) {
        int id = id(text);
        return id >= 0 && set.contains(id);
    }

    private int firstPresentAsControl(List<String> texts) {
        for (String t : texts) {
            int id = id(t);
            if (id >= 0) {
                attrs[id] |= CONTROL;
                return id;
            }
        }
        return -1;
    }

    /** The special-token list used to cut input text, longest (in UTF-8 bytes) first, ties by id. */
    private void collectSpecials() {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < size(); i++) if ((attrs[i] & (CONTROL | USER_DEFINED | UNKNOWN)) != 0) list.add(i);
        int[] byteLen = new int[size()];
        for (int id : list) byteLen[id] = Unicode.utf8(pieces[id]).length;
        list.sort(Comparator.comparingInt((Integer id) -> -byteLen[id]).thenComparingInt(id -> id));
        specials = list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Per-model strip rules llama.cpp applies by name (whitespace next to some special tokens is dropped). */
    private void applyModelStripRules(String modelName, String pre, String arch) {
        if (pre.contains("jina-v2-de") || pre.contains("jina-v2-es") || pre.contains("jina-v2-code")
                || arch.contains("nomic-bert-moe") || arch.contains("jina-bert-v3")) {
            setAttr("<mask>", LSTRIP, true);
        } else if (modelName.contains("phi-3") || modelName.contains("phi3")) {
            for (int id : specials) attrs[id] |= RSTRIP;
            setAttr("</s>", RSTRIP, true);
            for (String t : new String[] {"<unk>", "<s>", "<|endoftext|>"}) setAttr(t, RSTRIP, false);
        } else if (modelName.contains("modern-bert")) {
            setAttr("[MASK]", LSTRIP, true);
        }
    }

    private void setAttr(String text, int attr, boolean on) {
        int id = id(text);
        if (id < 0) return;
        attrs[id] = on ? attrs[id] | attr : attrs[id] & ~attr;
    }

    // ---------------------------------------------------------------- pieces

    /** The bytes token {@code id} stands for when rendered (special tokens as their text). */
    private byte[] renderPiece(int id) {
        int a = attrs[id];
        String text = pieces[id];
        if ((a & (UNKNOWN | CONTROL | USER_DEFINED)) != 0) return Unicode.utf8(text);
        if ((a & NORMAL) != 0) {
            return kind == Kind.SPM ? Unicode.utf8(text.replace('\u2581', ' ')) : byteLevelDecode(text);
        }
        if ((a & BYTE) != 0) return new byte[] {(byte) byteValue(text)};
        return new byte[0];
    }

    /** The raw bytes of a byte-level piece; characters outside the byte alphabet are shown as a marker. */
    private static byte[] byteLevelDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int b = cp < 0x10000 ? ByteLevel.byteOf((char) cp) : -1;
            if (b >= 0) {
                out.write(b);
            } else {
                StringBuilder sb = new StringBuilder("[UNK_BYTE_0x");
                for (byte x : Unicode.utf8(Character.toString(cp))) sb.append(String.format("%02x", x & 0xFF));
                sb.append(text).append(']');
                out.writeBytes(Unicode.utf8(sb.toString()));
            }
        }
        return out.toByteArray();
    }

    /** The value of a byte token {@code <0xNN>} (hex digits read leniently, 0 when there are none). */
    static int byteValue(String text) {
        int v = 0;
        for (int i = 3; i < Math.min(5, text.length()); i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d < 0) break;
            v = v * 16 + d;
        }
        return v;
    }

    @Override
    public String toString() {
        return model + (pre.isEmpty() ? "" : "/" + pre) + " vocabulary of " + size() + " tokens" + (merges.length > 0 ? ", " + merges.length + " merges" : "")
                + ", bos " + bos + ", eos " + eos + ", eog " + Arrays.toString(eog);
    }
}
