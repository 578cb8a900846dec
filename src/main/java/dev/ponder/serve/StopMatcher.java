package dev.ponder.serve;

import java.util.List;

/**
 * Finds stop strings in text that arrives piece by piece, and says how much of it is safe to release: text
 * that could still turn out to be the start of a stop string is held back until it cannot.
 */
final class StopMatcher {
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int released;
    private int cut = -1;

    StopMatcher(List<String> stops) {
        this.stops = stops;
    }

    /**
     * Appends {@code piece}; returns the newly releasable text. After a stop string is found, {@link #stopped()}
     * is true and the text ends just before it.
     */
    String push(String piece) {
        int from = Math.max(0, text.length() - longestStop() + 1);
        text.append(piece);
        for (String s : stops) {
            int at = text.indexOf(s, from);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0) {
            text.setLength(cut);
            return release(cut);
        }
        return release(text.length() - heldBack());
    }

    /** Releases everything still held back (at the end of generation). */
    String flush() {
        return release(text.length());
    }

    List<String> stops() {
        return stops;
    }

    boolean stopped() {
        return cut >= 0;
    }

    /** The text so far (after a stop: up to, not including, the stop string). */
    String text() {
        return text.toString();
    }

    private String release(int upTo) {
        if (upTo <= released) return "";
        String out = text.substring(released, upTo);
        released = upTo;
        return out;
    }

    /** Length of the longest suffix of the text that is a proper prefix of some stop string. */
    private int heldBack() {
        int best = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length()); k > best; k--) {
                if (text.substring(text.length() - k).equals(s.substring(0, k))) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    private int longestStop() {
        int m = 1;
        for (String s : stops) m = Math.max(m, s.length());
        return m;
    }
}
