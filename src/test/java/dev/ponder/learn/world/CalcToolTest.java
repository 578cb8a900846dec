package dev.ponder.learn.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.knowledge.tools.CalculatorTool;
import dev.ponder.knowledge.tools.InlineTools;
import dev.ponder.knowledge.tools.ToolRegistry;
import dev.ponder.think.ToolCallParser;
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

    /**
     * The general inline tools insert byte for byte what this calculator call inserts (ponder-nano was trained
     * on it): same call boundaries, same results, same "error", over random texts of calls, partial calls and noise.
     * The one intended difference: arguments starting with <code>{</code> are the JSON form (no calc expression
     * starts so), so texts here do not contain <code>{</code>.
     */
    @Test
    void generalInlineToolsMatchTheWorldCalculatorByteForByte() {
        ToolRegistry calcOnly = new ToolRegistry();
        calcOnly.register(new CalculatorTool());
        InlineTools inline = new InlineTools(calcOnly);
        String[] pieces = {"<<calc ", "<<calc", "<<", ">>", ">", "<", " ", "2031", "-1987", "*", "/0", "(3+4)", ")", "1.25",
            "7/3", "x", "\n", "Answer:", "<<date ", "<<calx 1>>", "}", "--3", "."};
        Rng rng = new Rng(7);
        int calls = 0;
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = rng.between(1, 12); n > 0; n--) sb.append(rng.pick(pieces));
            String text = sb.toString();
            for (int from = 0; from <= text.length(); from += 3) {
                Optional<CalcTool.Call> world = CalcTool.firstCall(text, from);
                Optional<ToolCallParser.Call> general = ToolCallParser.firstCall(text, from, "calc"::equals);
                assertEquals(world.isPresent(), general.isPresent(), text + " from " + from);
                if (world.isEmpty()) continue;
                calls++;
                assertEquals(world.get().start(), general.get().start(), text);
                assertEquals(world.get().end(), general.get().end(), text);
                assertEquals(world.get().expression(), general.get().arguments(), text);
                assertEquals(world.get().result(), inline.run("calc", general.get().arguments()).text(), text);
                assertEquals(world.get().result(), inline.firstCall(text, from).orElseThrow().insert(), text);
            }
        }
        assertTrue(calls > 1000, "too few calls generated: " + calls);
        // and on every arithmetic answer the world writes
        for (String e : new String[] {"2031-1987", "(2031-1987)-(2019-1990)", "12*(3+4)", "7/2", "100/0", "1.5*4"}) {
            assertEquals(CalcTool.callWithResult(e), CalcTool.call(e) + inline.firstCall(CalcTool.call(e), 0).orElseThrow().insert());
        }
    }
}
