package dev.ponder.learn.train;

import dev.ponder.engine.gguf.GGUFValue;
import dev.ponder.engine.gguf.GGUFValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A toy byte-level vocabulary for training before a real tokenizer exists: token {@code b} (0..255) is byte
 * {@code b}, and token 256 is {@code <|endoftext|>} (BOS/EOS). Its GGUF metadata describes it as a GPT-2 style
 * byte-level BPE with no merges, so each byte maps to one token and text round-trips exactly.
 */
public final class ByteVocab {
    public static final int SIZE = 257;
    public static final int EOT = 256;

    private ByteVocab() {}

    /** One token per byte. */
    public static int[] encode(byte[] bytes) {
        int[] t = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) t[i] = bytes[i] & 0xFF;
        return t;
    }

    /** Bytes of tokens below 256 (the end-of-text token is dropped). */
    public static byte[] decode(int[] tokens) {
        var out = new java.io.ByteArrayOutputStream();
        for (int t : tokens) if (t >= 0 && t < 256) out.write(t);
        return out.toByteArray();
    }

    /**
     * The printable character standing for each byte in byte-level BPE vocabularies: printable Latin-1 bytes
     * stand for themselves, the others are moved to code points 256 and up, in byte order.
     */
    static String byteSymbol(int b) {
        boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        if (printable) return String.valueOf((char) b);
        int shifted = 0;
        for (int i = 0; i < b; i++) {
            boolean p = (i >= '!' && i <= '~') || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE && i <= 0xFF);
            if (!p) shifted++;
        }
        return String.valueOf((char) (256 + shifted));
    }

    /** The {@code tokenizer.*} metadata for {@link LlamaGguf#export}. */
    public static Map<String, GGUFValue> metadata() {
        List<String> tokens = new ArrayList<>();
        int[] types = new int[SIZE];
        for (int b = 0; b < 256; b++) {
            tokens.add(byteSymbol(b));
            types[b] = 1; // normal
        }
        tokens.add("<|endoftext|>");
        types[EOT] = 3; // control
        Map<String, GGUFValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GGUFValue.string("gpt2"));
        m.put("tokenizer.ggml.pre", GGUFValue.string("default"));
        m.put("tokenizer.ggml.tokens", GGUFValue.strings(tokens));
        m.put("tokenizer.ggml.token_type", GGUFValue.int32s(types));
        m.put("tokenizer.ggml.merges", GGUFValue.array(GGUFValueType.STRING, new String[0]));
        m.put("tokenizer.ggml.bos_token_id", GGUFValue.uint32(EOT));
        m.put("tokenizer.ggml.eos_token_id", GGUFValue.uint32(EOT));
        m.put("tokenizer.ggml.add_bos_token", GGUFValue.bool(false));
        return m;
    }
}
