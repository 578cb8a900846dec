package dev.ponder.eval;

import dev.ponder.learn.world.Category;
import dev.ponder.learn.world.Checker;
import dev.ponder.learn.world.EvalQuestion;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Runs fast mode over eval questions and scores each answer with its category's checker. */
public final class FastEval {
    /** One scored question. */
    public record Scored(EvalQuestion question, GreedyAnswerer.Answer answer, boolean correct) {}

    /** Per-category totals. */
    public static final class Tally {
        public int questions, correct, tokens, toolCalls;
        public long nanos;

        public double accuracy() {
            return questions == 0 ? 0 : (double) correct / questions;
        }

        public double meanLatencyMs() {
            return questions == 0 ? 0 : nanos / 1e6 / questions;
        }
    }

    private FastEval() {}

    public static List<Scored> run(GreedyAnswerer answerer, List<EvalQuestion> questions, Consumer<Scored> onEach) {
        List<Scored> out = new ArrayList<>();
        for (EvalQuestion q : questions) {
            GreedyAnswerer.Answer a = answerer.answer(q.prompt());
            Scored s = new Scored(q, a, Checker.forQuestion(q).accepts(a.answer()));
            out.add(s);
            onEach.accept(s);
        }
        return out;
    }

    public static Map<Category, Tally> tally(List<Scored> scored) {
        Map<Category, Tally> t = new EnumMap<>(Category.class);
        for (Scored s : scored) {
            Tally x = t.computeIfAbsent(s.question().category(), c -> new Tally());
            x.questions++;
            if (s.correct()) x.correct++;
            x.tokens += s.answer().generatedTokens();
            x.toolCalls += s.answer().toolCalls();
            x.nanos += s.answer().nanos();
        }
        return t;
    }
}
