package dev.ponder.serve;

import dev.ponder.engine.sampling.Distribution;
import dev.ponder.think.search.EngineSearchModel;
import dev.ponder.think.search.SearchModel;

/**
 * The served model as a {@link SearchModel} for one request's search: an {@link EngineSearchModel} on the
 * {@link BatchingBackend}'s model whose every call that touches the model or its KV cache runs through
 * {@link BatchingBackend#withModel}, so the search's steps interleave with the scheduler's (one forward pass at a
 * time) instead of racing them. Each call first checks the request's {@link CancelToken}: a client that goes
 * away stops its search at the next step ({@link CancelledException}).
 */
final class SharedSearchModel implements SearchModel {
    private final BatchingBackend backend;
    private final EngineSearchModel engine;
    private final CancelToken cancel;

    SharedSearchModel(BatchingBackend backend, CancelToken cancel) {
        this.backend = backend;
        this.engine = new EngineSearchModel(backend.model());
        this.cancel = cancel;
    }

    /** A state of the engine model whose fork and close also take the model's turn. */
    private final class Shared implements State {
        final State inner;

        Shared(State inner) {
            this.inner = inner;
        }

        @Override
        public int length() {
            return inner.length();
        }

        @Override
        public Distribution next() {
            return inner.next();
        }

        @Override
        public State fork() {
            return new Shared(backend.withModel(inner::fork));
        }

        @Override
        public void close() {
            backend.withModel(() -> {
                inner.close();
                return null;
            });
        }
    }

    private void checkCancelled() {
        if (cancel.isCancelled()) throw new CancelledException();
    }

    @Override
    public State start(String prompt) {
        checkCancelled();
        return new Shared(backend.withModel(() -> engine.start(prompt)));
    }

    @Override
    public void advance(State[] states, int[] tokens) {
        checkCancelled();
        State[] inner = new State[states.length];
        for (int b = 0; b < states.length; b++) inner[b] = ((Shared) states[b]).inner;
        backend.withModel(() -> {
            engine.advance(inner, tokens);
            return null;
        });
    }

    @Override
    public State prefix(State state, int length, Distribution next) {
        checkCancelled();
        return new Shared(backend.withModel(() -> engine.prefix(((Shared) state).inner, length, next)));
    }

    @Override
    public String tokenText(int id) {
        return engine.tokenText(id);
    }

    @Override
    public boolean isEnd(int id) {
        return engine.isEnd(id);
    }

    @Override
    public int vocabSize() {
        return engine.vocabSize();
    }

    @Override
    public long prefilledTokens() {
        return engine.prefilledTokens();
    }

    @Override
    public long decodedTokens() {
        return engine.decodedTokens();
    }
}
