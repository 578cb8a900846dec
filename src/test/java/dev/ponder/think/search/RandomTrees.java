package dev.ponder.think.search;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Random but deterministic search problems for tests: answers are strings of the digits 1-4 and + , ended by a
 * newline or the end token; the next-token probabilities are a pseudo-random function of (seed, text); the
 * verifier accepts a sum of digits equal to a target and scores other well-formed sums by closeness.
 */
final class RandomTrees {
    static final List<String> VOCAB = List.of("1", "2", "3", "4", "+", "+1", "\n", "x", FakeSearchModel.END);

    private RandomTrees() {}

    static FakeSearchModel model(long seed) {
        return new FakeSearchModel(VOCAB, text -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + text.hashCode());
            double[] p = new double[VOCAB.size()];
            double sum = 0;
            for (int i = 0; i < p.length; i++) sum += p[i] = Math.pow(r.nextDouble(), 3) + (text.length() > 6 && i >= 6 ? 0.5 : 0);
            for (int i = 0; i < p.length; i++) p[i] /= sum;
            return p;
        });
    }

    /** Accepts digit sums ({@code 1+3+2}) equal to {@code target}; no number may be followed by another. */
    static Verifier verifier(int target) {
        return new Verifier() {
            @Override
            public Score score(String answer) {
                if (!answer.matches("[1-4](\\+[1-4])*")) return Score.rejected(0, "malformed");
                int v = 0;
                for (String d : answer.split("\\+")) v += Integer.parseInt(d);
                return v == target ? Score.verified() : Score.rejected(0.9 / (1 + Math.abs(v - target)), "sum " + v);
            }

            @Override
            public String alphabet() {
                return "1234+";
            }

            @Override
            public boolean allowsPrefix(String p) {
                return p.matches("([1-4](\\+[1-4])*\\+?)?");
            }

            @Override
            public boolean allowsEnd(String a) {
                return a.matches("[1-4](\\+[1-4])*");
            }
        };
    }
}
