package dev.ponder.engine.tokenizer;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGUFFile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text to token ids and back, built from a GGUF file's {@code tokenizer.ggml.*} metadata and producing the
 * same ids as llama.cpp: SentencePiece-style vocabularies ({@code llama}) and byte-level BPE ({@code gpt2})
 * with the pre-tokenizer named by {@code tokenizer.ggml.pre}.
 *
 * <p>Encoding first cuts the text at special tokens (user-defined tokens always; control tokens only when
 * {@code parseSpecial}), then tokenizes each plain-text piece. Decoding concatenates each token's bytes and
 * decodes them as UTF-8; {@link StreamDecoder} does the same incrementally. Instances are immutable and
 * safe to share between threads.
 */
public abstract sealed class Tokenizer permits SpmTokenizer, BpeTokenizer {
    final Vocabulary vocab;

    Tokenizer(Vocabulary vocab) {
        this.vocab = vocab;
    }

    /** The tokenizer described by {@code gguf}'s metadata; unsupported or malformed ones are a {@link PonderException}. */
    public static Tokenizer fromGGUF(GGUFFile gguf) {
        Vocabulary v = Vocabulary.fromGGUF(gguf);
        return switch (v.kind) {
            case SPM -> new SpmTokenizer(v);
            case BPE -> new BpeTokenizer(v);
        };
    }

    /** Opens {@code path}, reads its tokenizer and closes it again (the tokenizer keeps no reference to the file). */
    public static Tokenizer fromGGUF(Path path) {
        try (GGUFFile g = GGUFFile.open(path)) {
            return fromGGUF(g);
        }
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Encodes {@code text} as the model expects a whole prompt (llama.cpp's {@code add_special}): BOS in front
     * and EOS at the end if the model asks for them; special-token text is tokenized as plain text.
     */
    public int[] encode(String text) {
        int[] ids = encode(text, vocab.addBos, false);
        if (!vocab.addEos) return ids;
        int[] withEos = Arrays.copyOf(ids, ids.length + 1);
        withEos[ids.length] = vocab.eos;
        return withEos;
    }

    /**
     * Encodes {@code text}. With {@code addBos} the BOS token comes first (an error if the model has none);
     * with {@code parseSpecial} the text of control tokens such as {@code <|im_start|>} becomes those tokens,
     * otherwise it is tokenized as plain text. Unpaired surrogates count as U+FFFD.
     */
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        String s = Unicode.sanitize(text);
        IntList out = new IntList(s.length() / 3 + 4);
        if (addBos) {
            if (vocab.bos < 0) throw new PonderException("this " + vocab.model + " vocabulary has no BOS token");
            out.add(vocab.bos);
        }
        encodeFragments(s, partition(s, parseSpecial), out);
        return out.toArray();
    }

    /** A piece of input: a special token ({@code token >= 0}) or the plain text {@code [start, end)}. */
    record Fragment(int token, int start, int end) {
        boolean isText() {
            return token < 0;
        }
    }

    /** Tokenizes the fragments of {@code text} in order, appending ids to {@code out}. */
    abstract void encodeFragments(String text, List<Fragment> fragments, IntList out);

    /**
     * Cuts {@code text} at every occurrence of a special token, longest tokens first, so that a special token
     * is never split by a shorter one. Control and unknown tokens count only when {@code parseSpecial}.
     * Tokens marked lstrip/rstrip swallow the ASCII whitespace before/after them.
     */
    List<Fragment> partition(String text, boolean parseSpecial) {
        List<Fragment> frags = new ArrayList<>();
        if (text.isEmpty()) return frags;
        frags.add(new Fragment(-1, 0, text.length()));
        for (int id : vocab.specials) {
            int attr = vocab.attrs[id];
            if (!parseSpecial && (attr & (Vocabulary.CONTROL | Vocabulary.UNKNOWN)) != 0) continue;
            String special = vocab.pieces[id];
            if (!text.contains(special)) continue;
            List<Fragment> next = new ArrayList<>(frags.size() + 4);
            for (Fragment f : frags) {
                if (!f.isText()) {
                    next.add(f);
                    continue;
                }
                int from = f.start, end = f.end;
                while (from < end) {
                    int at = text.indexOf(special, from);
                    if (at < 0 || at + special.length() > end) {
                        next.add(new Fragment(-1, from, end));
                        break;
                    }
                    int leftEnd = at;
                    if ((attr & Vocabulary.LSTRIP) != 0) while (leftEnd > from && Unicode.isAsciiSpace(text.charAt(leftEnd - 1))) leftEnd--;
                    if (leftEnd > from) next.add(new Fragment(-1, from, leftEnd));
                    next.add(new Fragment(id, at, at + special.length()));
                    from = at + special.length();
                    if ((attr & Vocabulary.RSTRIP) != 0) while (from < end && Unicode.isAsciiSpace(text.charAt(from))) from++;
                }
            }
            frags = next;
        }
        return frags;
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes {@code ids} to text, rendering control tokens as their text (llama.cpp's default detokenization). */
    public String decode(int... ids) {
        return decode(ids, true);
    }

    /**
     * Decodes {@code ids}: the tokens' bytes concatenated and read as UTF-8 (malformed sequences become
     * U+FFFD). Control and unknown tokens are rendered as their text only if {@code renderSpecial}. As in
     * llama.cpp, the space a SentencePiece vocabulary prefixes to the text is dropped from the first token,
     * and vocabularies that ask for it have the spaces before {@code , . ? !} and some contractions removed.
     */
    public String decode(int[] ids, boolean renderSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        boolean removeSpace = vocab.addSpacePrefix;
        for (int id : ids) {
            byte[] p = piece(id, renderSpecial);
            int skip = removeSpace && p.length > 0 && p[0] == ' ' ? 1 : 0;
            out.write(p, skip, p.length - skip);
            removeSpace = false;
        }
        byte[] bytes = out.toByteArray();
        int n = vocab.cleanSpaces ? SpaceCleanup.apply(bytes) : bytes.length;
        return Unicode.decodeUtf8(bytes, 0, n);
    }

    /** The bytes of token {@code id} as decoding shows them (empty for hidden special tokens). */
    byte[] piece(int id, boolean renderSpecial) {
        checkId(id);
        if (!renderSpecial && (vocab.attrs[id] & (Vocabulary.CONTROL | Vocabulary.UNKNOWN)) != 0) return new byte[0];
        return vocab.pieceBytes[id];
    }

    /** The bytes token {@code id} stands for: byte tokens one byte, special tokens their text. */
    public byte[] tokenBytes(int id) {
        checkId(id);
        return vocab.pieceBytes[id].clone();
    }

    /**
     * Token {@code id} rendered as text: {@code ▁} shown as a space, byte-level characters decoded, special
     * tokens as their text. A token holding part of a UTF-8 sequence shows U+FFFD; use {@link #tokenBytes}
     * or a {@link StreamDecoder} to join such tokens correctly.
     */
    public String tokenText(int id) {
        checkId(id);
        byte[] b = vocab.pieceBytes[id];
        return Unicode.decodeUtf8(b, 0, b.length);
    }

    /** The token's text exactly as stored in the vocabulary (byte-level or {@code ▁} form). */
    public String rawPiece(int id) {
        checkId(id);
        return vocab.pieces[id];
    }

    /** The id of the token whose stored text is {@code piece}, or -1. */
    public int tokenId(String piece) {
        return vocab.id(piece);
    }

    /** A decoder for streaming output token by token. */
    public StreamDecoder streamDecoder(boolean renderSpecial) {
        return new StreamDecoder(this, renderSpecial);
    }

    // ---------------------------------------------------------------- vocabulary facts

    public int vocabSize() {
        return vocab.size();
    }

    /** The GGUF {@code tokenizer.ggml.model}: {@code llama} or {@code gpt2}. */
    public String model() {
        return vocab.model;
    }

    /** The GGUF {@code tokenizer.ggml.pre} (empty when absent). */
    public String preTokenizerName() {
        return vocab.pre;
    }

    /** Beginning-of-sequence token, or -1. */
    public int bos() {
        return vocab.bos;
    }

    /** End-of-sequence token, or -1. */
    public int eos() {
        return vocab.eos;
    }

    /** End-of-turn token (given or recognised by its text, e.g. {@code <|eot_id|>}, {@code <|im_end|>}), or -1. */
    public int eot() {
        return vocab.eot;
    }

    /** Unknown token, or -1. */
    public int unk() {
        return vocab.unk;
    }

    /** Padding token, or -1. */
    public int pad() {
        return vocab.pad;
    }

    /** Whether the model's prompts start with BOS ({@code tokenizer.ggml.add_bos_token} or the model type's default). */
    public boolean addsBos() {
        return vocab.addBos;
    }

    /** Whether the model's prompts end with EOS. */
    public boolean addsEos() {
        return vocab.addEos;
    }

    /** Whether generating {@code id} ends generation (EOS, EOT, {@code <|im_end|>}, {@code <|eot_id|>}, ...). */
    public boolean isEog(int id) {
        return Arrays.binarySearch(vocab.eog, id) >= 0;
    }

    /** All end-of-generation ids, sorted. */
    public int[] eogIds() {
        return vocab.eog.clone();
    }

    /** The token's type as stored in GGUF. */
    public TokenType tokenType(int id) {
        checkId(id);
        return vocab.types[id];
    }

    /** Whether the token is a control token (stored as such or recognised by its text, like {@code <|im_end|>}). */
    public boolean isControl(int id) {
        checkId(id);
        return (vocab.attrs[id] & Vocabulary.CONTROL) != 0;
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocab.size()) throw new PonderException("token id " + id + " is outside the vocabulary [0, " + vocab.size() + ")");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + vocab + "]";
    }
}
