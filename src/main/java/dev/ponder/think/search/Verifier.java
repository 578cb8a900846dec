package dev.ponder.think.search;

/**
 * Checks an answer: the reward of a search. {@link #score} is the ground truth (a search reports an answer as
 * solved only when it is {@link Score#valid()}); the other methods let a search prune cheaply and are
 * optional: a verifier that only scores answers allows every prefix.
 */
public interface Verifier {
    /**
     * A verdict on a complete answer.
     *
     * @param value reward in [0, 1]: 1 for a verified answer, less for a wrong one (a shaped partial score,
     *     e.g. how close a wrong result came)
     * @param valid true only if the answer is verified
     * @param reason why it was rejected ({@code ok} when valid)
     */
    record Score(double value, boolean valid, String reason) {
        public Score {
            if (!(value >= 0 && value <= 1)) throw new IllegalArgumentException("score outside [0, 1]: " + value);
            if (valid && value != 1) throw new IllegalArgumentException("a valid answer scores 1, got " + value);
        }

        /** A verified answer. */
        public static Score verified() {
            return new Score(1, true, "ok");
        }

        /** A rejected answer with partial reward {@code value} (below 1). */
        public static Score rejected(double value, String reason) {
            if (value >= 1) throw new IllegalArgumentException("a rejected answer scores below 1, got " + value);
            return new Score(value, false, reason);
        }
    }

    /** Scores the complete answer {@code answer} (stripped of the text that ends it). */
    Score score(String answer);

    /**
     * The characters an answer may contain, or null for any. A search masks every token with another
     * character (this is what makes constraining generation cheap: the token classes are computed once).
     */
    default String alphabet() {
        return null;
    }

    /** False when no continuation of {@code partial} can be verified (prunes the branch). */
    default boolean allowsPrefix(String partial) {
        return true;
    }

    /** False when {@code answer} must not end here (e.g. an unbalanced expression). */
    default boolean allowsEnd(String answer) {
        return true;
    }
}
