package dev.ponder.think;

import java.util.List;

/**
 * How familiar the names in a question are to the model: the mean logprob of each name's tokens after its
 * first, read in the question's own prompt. A model that was trained on an entity continues its name with
 * confidence ("Vume" → " Sesri"); a name it never saw is a string of surprises. The first token of a name is
 * left out: which name a question starts is never predictable. A property of the question alone (not of an
 * answer), so it is computed once per question, before any reading.
 *
 * @param meanLogprob mean logprob of the scored name tokens (0 when there are none)
 * @param tokens how many name tokens were scored (0: the question has no name of two or more tokens, or the
 *               backend cannot score prompts)
 */
public record Familiarity(double meanLogprob, int tokens) {
    /** Nothing scored. */
    public static final Familiarity NONE = new Familiarity(0, 0);

    /** Familiarity of {@code question}, which starts at character {@code questionAt} of {@code prompt}. */
    public static Familiarity of(Backend backend, String prompt, String question, int questionAt) {
        List<int[]> names = AnswerFeatures.nameSpans(question);
        if (names.isEmpty() || questionAt < 0) return NONE;
        // only the names' tokens: each needs the model's distribution at the position before it
        List<Backend.ScoredToken> scored = backend.score(prompt, questionAt + names.getFirst()[0], questionAt + names.getLast()[1]);
        if (scored == null) return NONE;
        double sum = 0;
        int n = 0;
        for (int[] name : names) {
            int from = questionAt + name[0], to = questionAt + name[1];
            boolean first = true;
            for (Backend.ScoredToken t : scored) {
                if (t.end() <= from || t.start() >= to) continue; // not this name's token
                if (first) { first = false; continue; }
                sum += Math.max(-20, t.logprob());
                n++;
            }
        }
        return n == 0 ? NONE : new Familiarity(sum / n, n);
    }
}
