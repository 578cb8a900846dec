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

    /**
     * Fast mode's own abstentions: answers {@code unknown} ({@link WorldFormat#isUnknown}) count as abstained, the
     * rest as answered.
     *
     * @param questions questions counted
     * @param abstained answered {@code unknown}
     * @param answered the rest
     * @param correctAnswered answered and right
     */
    public record Abstention(int questions, int abstained, int answered, int correctAnswered) {
        /** Right answers among the answered ones (NaN if none was answered). */
        public double precision() {
            return answered == 0 ? Double.NaN : (double) correctAnswered / answered;
        }

        /** Share of the questions answered {@code unknown} (NaN if none was counted). */
        public double abstentionRate() {
            return questions == 0 ? Double.NaN : (double) abstained / questions;
        }
    }

    private FastEval() {}

    /** Abstentions and precision on answered over the questions of {@code categories}. */
    public static Abstention abstention(List<Scored> scored, java.util.Set<Category> categories) {
        WorldFormat f = new WorldFormat();
        int n = 0, abstained = 0, answered = 0, right = 0;
        for (Scored s : scored) {
            if (!categories.contains(s.question().category())) continue;
            n++;
            if (f.isUnknown(s.answer().answer())) {
                abstained++;
            } else {
                answered++;
                if (s.correct()) right++;
            }
        }
        return new Abstention(n, abstained, answered, right);
    }

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
