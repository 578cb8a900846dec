package dev.ponder.think.search;

import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.tokenizer.Tokenizer;

/**
 * The embedded engine as a {@link SearchModel}: a state is a KV-cache {@link Sequence} and its next-token
 * distribution; {@link State#fork()} is {@link Sequence#fork()} (the prefix's blocks are shared, at most one
 * partial block is copied when the branch first writes), and a batched {@link #advance} is one
 * {@link Model#decode(Sequence[], int[])} step. Not thread-safe.
 */
public final class EngineSearchModel implements SearchModel {
    private final Model model;
    private final Tokenizer tok;
    private long prefilled, decoded;

    public EngineSearchModel(Model model) {
        if (model.tokenizer() == null) throw new IllegalArgumentException("the model has no tokenizer");
        this.model = model;
        this.tok = model.tokenizer();
    }

    private static final class EngineState implements State {
        final Sequence seq;
        Distribution next;

        EngineState(Sequence seq, Distribution next) {
            this.seq = seq;
            this.next = next;
        }

        @Override
        public int length() {
            return seq.length();
        }

        @Override
        public Distribution next() {
            return next;
        }

        @Override
        public State fork() {
            return new EngineState(seq.fork(), next);
        }

        @Override
        public void close() {
            seq.close();
        }
    }

    @Override
    public State start(String prompt) {
        int[] ids = tok.encode(prompt, tok.addsBos(), false);
        Sequence seq = model.newSequence();
        Distribution d = model.prefill(seq, ids);
        prefilled += ids.length;
        return new EngineState(seq, d);
    }

    @Override
    public void advance(State[] states, int[] tokens) {
        if (states.length != tokens.length) throw new IllegalArgumentException(states.length + " states, " + tokens.length + " tokens");
        if (states.length == 0) return;
        Sequence[] seqs = new Sequence[states.length];
        for (int b = 0; b < states.length; b++) seqs[b] = ((EngineState) states[b]).seq;
        Distribution[] out = model.decode(seqs, tokens);
        for (int b = 0; b < states.length; b++) ((EngineState) states[b]).next = out[b];
        decoded += states.length;
    }

    @Override
    public State prefix(State state, int length, Distribution next) {
        Sequence s = ((EngineState) state).seq.fork();
        s.truncate(length);
        return new EngineState(s, next);
    }

    @Override
    public String tokenText(int id) {
        return tok.tokenText(id);
    }

    @Override
    public boolean isEnd(int id) {
        return tok.isEog(id);
    }

    @Override
    public int vocabSize() {
        return tok.vocabSize();
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
