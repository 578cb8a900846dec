package dev.ponder.serve;

import dev.ponder.engine.sampling.TokenProb;
import java.util.List;

/**
 * One token of a scored prompt ({@link BatchingBackend#scorePrompt}): what an echoed completion reports for it.
 *
 * @param id the token id
 * @param text the prompt text this token stands for: empty for a BOS the server added and for a token that ends
 *             inside a character (the token completing the character carries all of it), so the texts of a prompt's
 *             tokens join to the prompt
 * @param start the first character of {@code text} in the prompt (UTF-16 index)
 * @param end one past its last character
 * @param logprob the token's logprob given every token before it; NaN when not computed (the first token, which has
 *                nothing before it, and tokens before the scored range)
 * @param top the most likely tokens at this position, best first (empty when not computed)
 */
public record PromptToken(int id, String text, int start, int end, double logprob, List<TokenProb> top) {
    /** True if this token's logprob was computed. */
    public boolean scored() {
        return !Double.isNaN(logprob);
    }
}
