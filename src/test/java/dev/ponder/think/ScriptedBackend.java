package dev.ponder.think;

import dev.ponder.engine.sampling.TokenProb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backend for controller tests: answers by the first rule whose key the context contains (rules are tried
 * in insertion order, so put the most specific first), with given tokens and probabilities; records every
 * context it was asked to continue.
 */
final class ScriptedBackend implements Backend {
    record Tok(String text, double prob) {}

    final Map<String, List<Tok>> rules = new LinkedHashMap<>();
    final List<String> contexts = new ArrayList<>();
    /** One-token continuations that sampling hands out in turn (cycling); empty: a sample is the greedy continuation. */
    final List<Tok> samples = new ArrayList<>();
    int sampleCalls;

    ScriptedBackend when(String contextContains, Tok... tokens) {
        rules.put(contextContains, List.of(tokens));
        return this;
    }

    /** Sampling hands out these one-token continuations in turn, whatever the context. */
    ScriptedBackend sampling(Tok... tokens) {
        samples.addAll(List.of(tokens));
        return this;
    }

    static Tok t(String text, double prob) {
        return new Tok(text, prob);
    }

    @Override
    public Generation generate(String context, int maxTokens, String stop) {
        contexts.add(context);
        for (Map.Entry<String, List<Tok>> r : rules.entrySet()) {
            if (context.contains(r.getKey())) return generation(context, r.getValue());
        }
        throw new AssertionError("no rule for context: " + context);
    }

    /** {@code tokens} as a generation after {@code context}. */
    private static Generation generation(String context, List<Tok> tokens) {
        List<TokenSignal> s = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Tok tok : tokens) {
            double lp = Math.log(tok.prob());
            s.add(new TokenSignal(s.size(), tok.text(), lp, 1 - tok.prob(), 0, tok.prob(), tok.prob() / 2,
                    List.of(new TokenProb(s.size(), tok.text(), lp))));
            text.append(tok.text());
        }
        return new Generation(text.toString(), s, 0, context.length(), 1000);
    }

    @Override
    public List<Generation> sample(String context, int n, double temperature, int maxTokens, String stop, long seed) {
        sampleCalls++;
        List<Generation> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
            out.add(samples.isEmpty() ? generate(context, maxTokens, stop) : generation(context, List.of(samples.get(i % samples.size()))));
        return out;
    }

    @Override
    public int countTokens(String text) {
        return text.split(" ").length;
    }

    @Override
    public String name() {
        return "scripted";
    }

    /** The test format: passages, then {@code Q: question\nA:} and the kept answer prefix. */
    static final QuestionFormat FORMAT = new QuestionFormat() {
        @Override
        public String prompt(String question, List<Passage> evidence, String answerPrefix) {
            StringBuilder sb = new StringBuilder();
            for (Passage p : evidence) sb.append("P: ").append(p.text()).append('\n');
            return sb + "Q: " + question + "\nA:" + answerPrefix;
        }

        @Override
        public String stop() {
            return "\n";
        }

        @Override
        public String answerOf(String continuation) {
            return continuation.strip();
        }

        @Override
        public boolean isUnknown(String answer) {
            return answer.equals("unknown");
        }
    };
}
