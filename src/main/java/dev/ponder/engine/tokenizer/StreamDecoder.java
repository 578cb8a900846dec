package dev.ponder.engine.tokenizer;

import java.util.Arrays;

/**
 * Turns a stream of token ids into text as it is generated. A character may be spread over several tokens
 * (byte tokens, or byte-level pieces that end inside a UTF-8 sequence); its leading bytes are held back until
 * the sequence is complete, so every returned string is whole text. Bytes that can never form a character
 * come out as U+FFFD. Pieces are emitted verbatim (no space stripping or clean-up; see
 * {@link Tokenizer#decode(int[], boolean)} for whole-sequence decoding). Not thread-safe.
 */
public final class StreamDecoder {
    private final Tokenizer tokenizer;
    private final boolean renderSpecial;
    /** Bytes received but not yet returned: an incomplete UTF-8 sequence at the end. [capacity] */
    private byte[] pending = new byte[16];
    private int pendingLength;

    StreamDecoder(Tokenizer tokenizer, boolean renderSpecial) {
        this.tokenizer = tokenizer;
        this.renderSpecial = renderSpecial;
    }

    /** Adds token {@code id}; returns the text completed by it (possibly empty). */
    public String push(int id) {
        byte[] p = tokenizer.piece(id, renderSpecial);
        if (pendingLength + p.length > pending.length) pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + p.length));
        System.arraycopy(p, 0, pending, pendingLength, p.length);
        pendingLength += p.length;
        int complete = completePrefix(pending, pendingLength);
        return take(complete);
    }

    /** Returns whatever is still held back (an unfinished sequence becomes U+FFFD) and resets. */
    public String flush() {
        return take(pendingLength);
    }

    /** Whether bytes of an unfinished character are held back. */
    public boolean hasPending() {
        return pendingLength > 0;
    }

    private String take(int n) {
        String s = Unicode.decodeUtf8(pending, 0, n);
        System.arraycopy(pending, n, pending, 0, pendingLength - n);
        pendingLength -= n;
        return s;
    }

    /**
     * The length of the longest prefix that does not end inside a UTF-8 sequence that could still be
     * completed: a trailing lead byte with fewer continuation bytes after it than it announces is held back.
     */
    static int completePrefix(byte[] b, int n) {
        for (int i = n - 1; i >= Math.max(0, n - 4); i--) {
            int x = b[i] & 0xFF;
            if (x < 0x80) return n; // ASCII: everything up to here is settled
            if (x >= 0xC0) { // a lead byte
                int need = Unicode.utf8SequenceLength(b[i]);
                return n - i < need ? i : n;
            }
            // a continuation byte: look further back for its lead
        }
        return n; // only continuation bytes (or nothing): they can never complete, let the decoder replace them
    }
}
