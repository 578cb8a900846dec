package dev.ponder.think.search;

import dev.ponder.engine.sampling.Distribution;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A tiny deterministic {@link SearchModel} for tests: a fixed vocabulary, and next-token probabilities given
 * by a function of the answer text so far. A state is the prompt plus the answer tokens; it counts prefilled
 * tokens (one per prompt character), decoded tokens, forks and states still open.
 */
final class FakeSearchModel implements SearchModel {
    /** The text of the end-of-generation token. */
    static final String END = "<end>";

    private final List<String> vocab;
    private final Function<String, double[]> probs;
    long prefilled, decoded, forks, prefixes;
    int live;

    /** {@code probs.apply(text)}: probability of each vocabulary entry after the answer {@code text}. */
    FakeSearchModel(List<String> vocab, Function<String, double[]> probs) {
        this.vocab = List.copyOf(vocab);
        this.probs = probs;
    }

    final class FakeState implements State {
        final int promptLength;
        final List<Integer> answer;
        Distribution next;
        boolean closed;

        FakeState(int promptLength, List<Integer> answer, Distribution next) {
            this.promptLength = promptLength;
            this.answer = new ArrayList<>(answer);
            this.next = next;
            live++;
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            for (int t : answer) sb.append(vocab.get(t));
            return sb.toString();
        }

        @Override
        public int length() {
            return promptLength + answer.size();
        }

        @Override
        public Distribution next() {
            check();
            return next;
        }

        @Override
        public State fork() {
            check();
            forks++;
            return new FakeState(promptLength, answer, next);
        }

        @Override
        public void close() {
            if (!closed) live--;
            closed = true;
        }

        void check() {
            if (closed) throw new IllegalStateException("state used after close");
        }
    }

    Distribution distribution(String text) {
        double[] p = probs.apply(text);
        if (p.length != vocab.size()) throw new IllegalArgumentException("need " + vocab.size() + " probabilities");
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) logits[i] = p[i] > 0 ? (float) Math.log(p[i]) : Float.NEGATIVE_INFINITY;
        return new Distribution(logits, vocab::get);
    }

    @Override
    public State start(String prompt) {
        prefilled += prompt.length();
        return new FakeState(prompt.length(), List.of(), distribution(""));
    }

    @Override
    public void advance(State[] states, int[] tokens) {
        for (int b = 0; b < states.length; b++) {
            FakeState s = (FakeState) states[b];
            s.check();
            s.answer.add(tokens[b]);
            s.next = distribution(s.text());
            decoded++;
        }
    }

    @Override
    public State prefix(State state, int length, Distribution next) {
        FakeState s = (FakeState) state;
        s.check();
        prefixes++;
        FakeState p = new FakeState(s.promptLength, s.answer.subList(0, length - s.promptLength), next);
        if (!java.util.Arrays.equals(next.logits(), distribution(p.text()).logits()))
            throw new IllegalStateException("prefix given the distribution of another text than '" + p.text() + "'");
        return p;
    }

    @Override
    public String tokenText(int id) {
        return vocab.get(id).equals(END) ? "" : vocab.get(id);
    }

    @Override
    public boolean isEnd(int id) {
        return vocab.get(id).equals(END);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public long prefilledTokens() {
        return prefilled;
    }

    @Override
    public long decodedTokens() {
        return decoded;
    }
}
