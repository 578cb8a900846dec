package dev.ponder.learn.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CalcToolTest {
    @Test
    void formatsCallsWithResults() {
        assertEquals("<<calc 2031-1987>>", CalcTool.call("2031-1987"));
        assertEquals("<<calc 2031-1987>>44", CalcTool.callWithResult("2031-1987"));
        assertEquals("7/3", CalcTool.result("7/3"));
        assertEquals(CalcTool.ERROR, CalcTool.result("1/0"));
        assertEquals(CalcTool.ERROR, CalcTool.result("two plus two"));
    }

    @Test
    void detectsACallOnlyOnceItIsClosed() {
        String text = "Question: How old was Mira Kavelo in 2031?\nAnswer: <<calc 2031-19";
        int from = text.indexOf("Answer:");
        assertTrue(CalcTool.firstCall(text, from).isEmpty());
        assertTrue(CalcTool.firstCall(text + "87>", from).isEmpty());
        Optional<CalcTool.Call> call = CalcTool.firstCall(text + "87>>", from);
        assertTrue(call.isPresent());
        assertEquals("2031-1987", call.get().expression());
        assertEquals("44", call.get().result());
        assertEquals((text + "87>>").length(), call.get().end());
    }

    /** What the runtime does: cut at the end of the call (dropping a merged token tail) and insert the result. */
    @Test
    void runtimeLoopInsertsResultsAndMovesOn() {
        String[] tokens = {"Answer:", " <<", "calc", " 12", "*(3", "+4)", ">>9", "\n"};
        StringBuilder text = new StringBuilder();
        int scanFrom = 0;
        for (String t : tokens) {
            text.append(t);
            Optional<CalcTool.Call> c = CalcTool.firstCall(text.toString(), scanFrom);
            if (c.isPresent()) {
                text.setLength(c.get().end());
                text.append(c.get().result());
                scanFrom = text.length();
            }
        }
        assertEquals("Answer: <<calc 12*(3+4)>>84\n", text.toString());
        assertEquals("84", PromptFormat.answerOf(CalcTool.stripCalls(text.substring("Answer:".length()))));
    }

    @Test
    void stripsMarkupAndKeepsResults() {
        assertEquals("44", CalcTool.stripCalls("<<calc 2031-1987>>44"));
        assertEquals("a 3 b 4", CalcTool.stripCalls("a <<calc 1+2>>3 b <<calc 2*2>>4"));
        assertEquals("no calls", CalcTool.stripCalls("no calls"));
        assertEquals("<<calc 1+", CalcTool.stripCalls("<<calc 1+"));
    }
}
