package dev.ponder.engine.tokenizer;

/** The token types of the GGUF key {@code tokenizer.ggml.token_type}, with their integer codes. */
public enum TokenType {
    UNDEFINED(0),
    /** An ordinary piece of text. */
    NORMAL(1),
    /** The unknown token. */
    UNKNOWN(2),
    /** A control token (BOS, EOS, chat markers): matched in text only when parsing specials, hidden on decode unless rendered. */
    CONTROL(3),
    /** A user-defined token: always matched in text as a whole, always rendered as its text. */
    USER_DEFINED(4),
    UNUSED(5),
    /** A byte-fallback token {@code <0xNN>}. */
    BYTE(6);

    /** The integer stored in GGUF. */
    public final int code;

    TokenType(int code) {
        this.code = code;
    }

    /** The type of a GGUF code; unknown codes are {@link #UNDEFINED}. */
    public static TokenType ofCode(int code) {
        for (TokenType t : values()) if (t.code == code) return t;
        return UNDEFINED;
    }
}
