package dev.ponder.engine.tokenizer;

/**
 * One stage of a pre-tokenizer. A text is held as a list of segment lengths (in codepoints) that tile it;
 * a stage cuts every segment further: each match of its pattern becomes a segment, and so does each run of
 * text between matches. Stages never merge segments.
 */
interface SplitStage {
    /** For each segment length in {@code in} (tiling {@code text} in order), appends its pieces to {@code out}. */
    void split(SplitText text, IntList in, IntList out);
}
