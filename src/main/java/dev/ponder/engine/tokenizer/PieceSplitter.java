package dev.ponder.engine.tokenizer;

/**
 * A hand-written stage that cuts each segment into consecutive pieces from left to right, one
 * {@link #next} at a time (a single pass, no backtracking).
 */
abstract class PieceSplitter implements SplitStage {
    @Override
    public final void split(SplitText text, IntList in, IntList out) {
        int[] cps = text.cps;
        byte[] cls = text.classes();
        int start = 0;
        for (int s = 0; s < in.size(); s++) {
            int end = start + in.get(s);
            int pos = start;
            while (pos < end) {
                int len = next(cps, cls, pos, end);
                out.add(len);
                pos += len;
            }
            start = end;
        }
    }

    /** The length of the piece starting at {@code pos} in the segment ending at {@code end} (at least 1). */
    abstract int next(int[] cps, byte[] cls, int pos, int end);
}
