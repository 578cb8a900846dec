package dev.ponder.think.search;

import dev.ponder.engine.sampling.Distribution;
import java.util.ArrayList;
import java.util.List;

/**
 * Monte Carlo tree search over the tokens of an answer, with PUCT selection.
 *
 * <p>One iteration: from the root, repeatedly pick the child maximizing
 * {@code Q + cPuct · P · sqrt(N) / (1 + n)} ({@code Q} the child's mean reward, 0 before its first visit;
 * {@code P} its prior; {@code N} the parent's visits, {@code n} the child's), skipping exhausted subtrees, until
 * a child that does not exist yet; create it (expansion: fork the parent's KV state and decode the child's
 * token); evaluate it by a greedy rollout to the end of the answer, scored by the verifier; add the reward to
 * every node on the path (backup). A node's children are the {@code topK} most likely tokens the verifier
 * allows (see {@link AnswerTokens}), their probabilities renormalized over those kept as priors. The root is
 * the prompt's state (its rollout is the constrained greedy answer). The search stops at the first verified
 * answer (from a rollout or a finished node), when the budget is spent, or when every branch is exhausted.
 *
 * <p>A rollout is kept with the node it started from: the child on its first token reuses its KV state and
 * distributions (that child's rollout is the rest of the same one), so walking down the greedy path costs no
 * decoding (the price: a rollout keeps the distribution after each of its tokens until the search ends, one
 * vocabulary-sized array per token). A node that ends the answer (a stop or end token, or the answer-length limit) is finished: it has
 * no KV state, is scored directly and never revisited. Deterministic: the same model, prompt, verifier and
 * settings give the same tree, and a smaller node budget stops the same search earlier (the node budget is
 * checked only when a new node needs decoding).
 */
public final class Mcts implements Search {
    /**
     * Search settings.
     *
     * @param cPuct weight of the prior term in PUCT
     * @param topK children per node at most
     * @param maxAnswerTokens tokens per answer at most (deeper nodes end the answer as it is)
     * @param stop the string that ends an answer (a newline in the world's format)
     * @param priorTemperature priors are the kept children's probabilities raised to 1/T, renormalized (1: as the
     *     model says; above 1: flatter, so unlikely tokens get explored sooner)
     */
    public record Settings(double cPuct, int topK, int maxAnswerTokens, String stop, double priorTemperature) {
        public Settings {
            if (!(cPuct >= 0) || topK < 1 || maxAnswerTokens < 1 || !(priorTemperature > 0)) throw new IllegalArgumentException("bad MCTS settings");
        }

        /**
         * cPuct 1.5, 8 children, 24 answer tokens, answers end at a newline, prior temperature 2 (chosen on the dev
         * countdown puzzles with ponder-nano: cPuct from 0.75 to 6 made no difference; temperature 2 solved 34 and 37
         * of 50 at 256 and 1024 nodes where 1 solved 31 and 34).
         */
        public static Settings defaults() {
            return new Settings(1.5, 8, 24, "\n", 2);
        }

        public Settings withCPuct(double c) {
            return new Settings(c, topK, maxAnswerTokens, stop, priorTemperature);
        }

        public Settings withTopK(int k) {
            return new Settings(cPuct, k, maxAnswerTokens, stop, priorTemperature);
        }

        public Settings withMaxAnswerTokens(int n) {
            return new Settings(cPuct, topK, n, stop, priorTemperature);
        }

        public Settings withPriorTemperature(double t) {
            return new Settings(cPuct, topK, maxAnswerTokens, stop, t);
        }
    }

    /** A node of the tree: a token prefix of the answer. Package-private so tests can read the tree. */
    static final class Node {
        final Node parent;
        /** The token that led here (null at the root). */
        final AnswerTokens.Choice choice;
        /** The answer text so far. */
        final String text;
        final int depth;
        /** Prior probability among the parent's children. */
        final double prior;
        /** True if the answer ends at this node (no KV state, scored directly). */
        final boolean finished;
        SearchModel.State state;
        /** Allowed next tokens, best first; null until the node is first selected through. */
        List<AnswerTokens.Choice> choices;
        double[] priors;
        Node[] children;
        int visits;
        double valueSum;
        boolean exhausted;
        /** The greedy rollout from here not yet handed to a child. */
        Rollout rollout;

        Node(Node parent, AnswerTokens.Choice choice, String text, int depth, double prior, boolean finished) {
            this.parent = parent;
            this.choice = choice;
            this.text = text;
            this.depth = depth;
            this.prior = prior;
            this.finished = finished;
        }

        /** Mean reward (0 before the first visit). */
        double q() {
            return visits == 0 ? 0 : valueSum / visits;
        }

        /** The created child for token {@code token}, or null. */
        Node child(int token) {
            if (children == null) return null;
            for (int i = 0; i < children.length; i++) if (choices.get(i).token() == token) return children[i];
            return null;
        }
    }

    /**
     * A greedy rollout: tokens[from..] decoded after the node's state, dists[i] the distribution before
     * tokens[i] (dists[from] is the node's own), end the state after the last token; the rollout ended with
     * {@code answer} scored {@code score}.
     */
    private record Rollout(SearchModel.State end, int[] tokens, Distribution[] dists, int from, String answer, Verifier.Score score) {
        Rollout tail() {
            return new Rollout(end, tokens, dists, from + 1, answer, score);
        }

        boolean startsWith(int token) {
            return from < tokens.length && tokens[from] == token;
        }
    }

    private final SearchModel model;
    private final Settings settings;
    private Node lastRoot;

    public Mcts(SearchModel model, Settings settings) {
        this.model = model;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "mcts";
    }

    /** The root of the last search's tree (its KV states are closed), for tests. */
    Node lastRoot() {
        return lastRoot;
    }

    @Override
    public SearchResult run(String prompt, Verifier verifier, SearchBudget budget) {
        return new Run(verifier, budget).run(prompt);
    }

    /** One search: its tree, counters and open KV states. */
    private final class Run {
        final AnswerTokens tokens;
        final SearchBudget budget;
        final List<SearchModel.State> open = new ArrayList<>();
        final List<Node> created = new ArrayList<>();
        final long t0 = System.nanoTime(), prefilled0 = model.prefilledTokens(), decoded0 = model.decodedTokens();
        int nodes, checked, solvedAtNode = -1;
        String best = "";
        Verifier.Score bestScore = null;
        String stopReason;

        Run(Verifier verifier, SearchBudget budget) {
            this.tokens = new AnswerTokens(model, verifier, settings.stop());
            this.budget = budget;
        }

        SearchResult run(String prompt) {
            try {
                Node root = new Node(null, null, "", 0, 1, false);
                lastRoot = root;
                created.add(root);
                root.state = keep(model.start(prompt));
                nodes = 1;
                backup(root, evaluate(root));
                while (stopReason == null) {
                    if (root.exhausted) stopReason = "exhausted";
                    else if (decoded() >= budget.maxTokens()) stopReason = "tokens";
                    else if (System.nanoTime() - t0 >= budget.maxNanos()) stopReason = "time";
                    else {
                        Node leaf = selectAndExpand(root);
                        if (leaf != null) backup(leaf, evaluate(leaf));
                    }
                }
            } finally {
                for (SearchModel.State s : open) s.close();
                for (Node n : created) n.rollout = null; // the tree stays readable; its distributions go
            }
            boolean verified = bestScore != null && bestScore.valid();
            return new SearchResult(name(), best, verified, bestScore == null ? 0 : bestScore.value(), nodes, decoded(),
                    (int) (model.prefilledTokens() - prefilled0), checked, solvedAtNode, stopReason, System.nanoTime() - t0);
        }

        int decoded() {
            return (int) (model.decodedTokens() - decoded0);
        }

        SearchModel.State keep(SearchModel.State s) {
            open.add(s);
            return s;
        }

        /**
         * Walks down by PUCT to a child not created yet and creates it. Returns null when the walk ended at a
         * node found exhausted (nothing to evaluate), or when a new node would exceed the node budget (then
         * the search stops).
         */
        Node selectAndExpand(Node root) {
            Node n = root;
            while (true) {
                if (n.choices == null) expandChoices(n);
                int best = -1;
                double bestU = Double.NEGATIVE_INFINITY, sqrtN = Math.sqrt(n.visits);
                for (int i = 0; i < n.children.length; i++) {
                    Node c = n.children[i];
                    if (c != null && c.exhausted) continue;
                    double u = (c == null ? 0 : c.q()) + settings.cPuct() * n.priors[i] * sqrtN / (1 + (c == null ? 0 : c.visits));
                    if (u > bestU) {
                        bestU = u;
                        best = i;
                    }
                }
                if (best < 0) {
                    markExhausted(n);
                    return null;
                }
                if (n.children[best] == null) return n.children[best] = create(n, best);
                n = n.children[best];
            }
        }

        void expandChoices(Node n) {
            n.choices = tokens.allowed(n.text, n.state.next(), settings.topK());
            n.children = new Node[n.choices.size()];
            n.priors = new double[n.choices.size()];
            double sum = 0, inv = 1 / settings.priorTemperature();
            for (int i = 0; i < n.priors.length; i++) sum += n.priors[i] = Math.exp(inv * n.choices.get(i).logprob());
            for (int i = 0; i < n.priors.length; i++) n.priors[i] = sum > 0 ? n.priors[i] / sum : 1.0 / n.priors.length;
        }

        /** Creates child {@code i} of {@code n}; null (and the search stops) if it needs a node beyond the budget. */
        Node create(Node n, int i) {
            AnswerTokens.Choice c = n.choices.get(i);
            String text = n.text + c.piece();
            int depth = n.depth + 1;
            boolean finished = c.ends() || depth >= settings.maxAnswerTokens();
            Node child = new Node(n, c, text, depth, n.priors[i], finished);
            created.add(child);
            if (finished) return child;
            if (nodes >= budget.maxNodes()) {
                n.children[i] = null;
                stopReason = "nodes";
                return null;
            }
            if (n.rollout != null && n.rollout.startsWith(c.token())) {
                Rollout r = n.rollout;
                child.state = keep(model.prefix(r.end(), n.state.length() + 1, r.dists()[r.from() + 1]));
                child.rollout = r.tail();
                n.rollout = null;
            } else {
                child.state = keep(n.state.fork());
                model.advance(child.state, c.token());
            }
            nodes++;
            return child;
        }

        /** The reward of a new node: a finished answer's score, else its (possibly inherited) greedy rollout's. */
        double evaluate(Node n) {
            if (n.finished) {
                Verifier.Score s = tokens.score(n.text);
                record(n.text, s);
                markExhausted(n);
                return s.value();
            }
            if (n.rollout == null) n.rollout = rollout(n);
            return n.rollout.score().value();
        }

        Rollout rollout(Node n) {
            SearchModel.State s = keep(n.state.fork());
            List<Integer> toks = new ArrayList<>();
            List<Distribution> dists = new ArrayList<>();
            dists.add(s.next());
            String text = n.text;
            Verifier.Score score = null;
            for (int depth = n.depth; score == null; ) {
                if (depth >= settings.maxAnswerTokens()) break;
                AnswerTokens.Choice c = tokens.greedy(text, s.next());
                if (c == null) {
                    score = Verifier.Score.rejected(0, "dead end");
                    break;
                }
                text += c.piece();
                depth++;
                if (c.ends()) break;
                if (decoded() >= budget.maxTokens()) {
                    score = Verifier.Score.rejected(0, "out of tokens");
                    stopReason = "tokens";
                    break;
                }
                model.advance(s, c.token());
                toks.add(c.token());
                dists.add(s.next());
            }
            if (score == null) score = tokens.score(text);
            record(text, score);
            return new Rollout(s, toks.stream().mapToInt(Integer::intValue).toArray(), dists.toArray(Distribution[]::new), 0,
                    AnswerTokens.answerOf(text), score);
        }

        void record(String text, Verifier.Score s) {
            checked++;
            if (bestScore != null && bestScore.valid()) return;
            if (bestScore == null || s.value() > bestScore.value()) {
                bestScore = s;
                best = AnswerTokens.answerOf(text);
            }
            if (s.valid()) {
                solvedAtNode = nodes;
                stopReason = "verified";
            }
        }

        void backup(Node n, double value) {
            for (; n != null; n = n.parent) {
                n.visits++;
                n.valueSum += value;
            }
        }

        /** Marks {@code n} exhausted, and each ancestor whose children are then all created and exhausted. */
        void markExhausted(Node n) {
            n.exhausted = true;
            for (Node p = n.parent; p != null && !p.exhausted; p = p.parent) {
                for (Node c : p.children) if (c == null || !c.exhausted) return;
                p.exhausted = true;
            }
        }
    }
}
