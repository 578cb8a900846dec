package dev.ponder.think.search;

import dev.ponder.engine.sampling.Distribution;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens an answer may continue with, shared by both searches. Built once per search: the token classes
 * of the verifier's alphabet (a token whose text has another character is masked, except that a token holding
 * the stop string ends the answer if the text before the stop is in the alphabet, and an end-of-generation
 * token ends it as it is). At each step, the remaining candidates are ranked by the model's logit and checked
 * with {@link Verifier#allowsPrefix} or {@link Verifier#allowsEnd}.
 */
final class AnswerTokens {
    /**
     * A token the answer may take next.
     *
     * @param token the token id
     * @param piece its text (for an ending token: the text before the stop)
     * @param ends true if the answer ends with this token
     * @param logprob the model's (unmasked) log-probability of the token
     */
    record Choice(int token, String piece, boolean ends, double logprob) {}

    private final SearchModel model;
    private final Verifier verifier;
    private final String stop;
    /** Candidate token ids: the alphabet's tokens, the stop's tokens and the end tokens. */
    private final int[] candidates;
    /** pieces[i]: text of candidates[i] (before the stop for an ending token). */
    private final String[] pieces;
    private final boolean[] ending;

    AnswerTokens(SearchModel model, Verifier verifier, String stop) {
        this.model = model;
        this.verifier = verifier;
        this.stop = stop;
        String alphabet = verifier.alphabet();
        List<Integer> ids = new ArrayList<>();
        List<String> ps = new ArrayList<>();
        List<Boolean> ends = new ArrayList<>();
        for (int id = 0; id < model.vocabSize(); id++) {
            if (model.isEnd(id)) {
                ids.add(id);
                ps.add("");
                ends.add(true);
                continue;
            }
            String t = model.tokenText(id);
            if (t.isEmpty()) continue;
            int cut = stop == null || stop.isEmpty() ? -1 : t.indexOf(stop);
            String piece = cut < 0 ? t : t.substring(0, cut);
            if (!inAlphabet(piece, alphabet)) continue;
            ids.add(id);
            ps.add(piece);
            ends.add(cut >= 0);
        }
        candidates = ids.stream().mapToInt(Integer::intValue).toArray();
        pieces = ps.toArray(String[]::new);
        ending = new boolean[ends.size()];
        for (int i = 0; i < ending.length; i++) ending[i] = ends.get(i);
    }

    private static boolean inAlphabet(String s, String alphabet) {
        if (alphabet == null) return true;
        for (int i = 0; i < s.length(); i++) if (alphabet.indexOf(s.charAt(i)) < 0) return false;
        return true;
    }

    /** Number of tokens that can appear in an answer at all (the rest of the vocabulary is masked). */
    int candidateCount() {
        return candidates.length;
    }

    /**
     * Up to {@code k} allowed continuations of the answer {@code text} under {@code d}, most likely first
     * (ties: lower token id). The answer may not end empty.
     */
    List<Choice> allowed(String text, Distribution d, int k) {
        float[] score = new float[candidates.length]; // logit of each candidate; -inf once taken or impossible
        for (int c = 0; c < score.length; c++) score[c] = logit(d, candidates[c]);
        List<Choice> out = new ArrayList<>(k);
        while (out.size() < k) {
            int best = -1; // the most likely candidate not yet looked at (candidates ascend by id: ties go to the lower id)
            for (int c = 0; c < score.length; c++) if (score[c] != Float.NEGATIVE_INFINITY && (best < 0 || score[c] > score[best])) best = c;
            if (best < 0) break;
            score[best] = Float.NEGATIVE_INFINITY;
            String next = text + pieces[best];
            boolean ok = ending[best] ? !next.isBlank() && verifier.allowsEnd(answerOf(next)) : verifier.allowsPrefix(next);
            if (ok) out.add(new Choice(candidates[best], pieces[best], ending[best], d.logprob(candidates[best])));
        }
        return out;
    }

    /** The best allowed continuation of {@code text}, or null at a dead end. */
    Choice greedy(String text, Distribution d) {
        List<Choice> one = allowed(text, d, 1);
        return one.isEmpty() ? null : one.getFirst();
    }

    private static float logit(Distribution d, int id) {
        return id < d.size() ? d.logit(id) : Float.NEGATIVE_INFINITY;
    }

    /** The answer a text stands for: stripped of surrounding white space. */
    static String answerOf(String text) {
        return text.strip();
    }

    /** The verifier's score of a complete answer text; an answer the verifier does not allow to end scores 0. */
    Verifier.Score score(String text) {
        String a = answerOf(text);
        if (a.isEmpty()) return Verifier.Score.rejected(0, "empty answer");
        if (!verifier.allowsEnd(a)) return Verifier.Score.rejected(0, "incomplete answer");
        return verifier.score(a);
    }

    SearchModel model() {
        return model;
    }

    String stop() {
        return stop;
    }
}
