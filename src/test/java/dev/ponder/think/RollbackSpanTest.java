package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a rollback cuts a draft: at the first unsure word, but never inside or after a tool call. */
class RollbackSpanTest {
    static Generation draft(Object... textAndProb) {
        List<TokenSignal> t = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < textAndProb.length; i += 2) {
            String s = (String) textAndProb[i];
            double p = (Double) textAndProb[i + 1];
            t.add(new TokenSignal(i, s, Math.log(p), 0.1, 0, p, p / 2, List.of()));
            text.append(s);
        }
        return new Generation(text.toString(), t, 0, 0, 0);
    }

    @Test
    void anUnsureOperandRollsBackTheWholeCall() {
        // " <<calc 2077-1990>>" with the unsure digit in the operand: the span would start at the " " token
        Generation g = draft(" <<", 1.0, "calc", 1.0, " ", 1.0, "2", 0.3, "0", 1.0, "7", 1.0, "7", 1.0, ">>", 1.0);
        assertEquals(2, Ponder.spanStart(g));
        assertEquals(0, Ponder.beforeToolCall(g, Ponder.spanStart(g)));
    }

    @Test
    void anUnsureWordAfterACallRollsBackToTheCall() {
        Generation g = draft(" about", 1.0, " <<", 1.0, "calc", 1.0, " 1+1", 1.0, ">>", 1.0, " years", 0.2);
        assertEquals(5, Ponder.spanStart(g));
        assertEquals(1, Ponder.beforeToolCall(g, 5));
    }

    @Test
    void anOpeningSplitOverTwoTokensCounts() {
        Generation g = draft(" x", 1.0, " <", 1.0, "<calc", 1.0, " 2", 0.2);
        assertEquals(1, Ponder.beforeToolCall(g, 3));
    }

    @Test
    void withoutACallTheSpanStays() {
        Generation g = draft(" the", 1.0, " dentist", 0.2);
        assertEquals(1, Ponder.beforeToolCall(g, Ponder.spanStart(g)));
    }
}
