package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ToolCallParserTest {
    static ToolCallParser.Call call(String text) {
        return ToolCallParser.firstCall(text, 0).orElseThrow(() -> new AssertionError("no call in " + text));
    }

    static boolean none(String text) {
        return ToolCallParser.firstCall(text, 0).isEmpty();
    }

    @Test
    void plainAndJsonCalls() {
        assertEquals(new ToolCallParser.Call(8, 27, "calc", "2031-1987"), call("Answer: <<calc 2031-1987 >>44"));
        ToolCallParser.Call j = call("x <<get-sum {\"a\":2,\"b\":3}>> y");
        assertEquals("get-sum", j.tool());
        assertEquals("{\"a\":2,\"b\":3}", j.arguments());
        assertTrue(j.json());
        assertEquals("x <<get-sum {\"a\":2,\"b\":3}>>".length(), j.end());
        assertEquals("{\"m\":\"a>>b}\"}", call("<<echo {\"m\":\"a>>b}\"}>>").arguments(), "'>>' and '}' inside a string do not end it");
        assertEquals("{\"m\":\"q\\\">>\"}", call("<<echo {\"m\":\"q\\\">>\"}>>").arguments(), "escaped quotes");
        assertEquals(new ToolCallParser.Call(0, 12, "get-env", ""), call("<<get-env >>"));
        assertTrue(none("<<get-env>>"), "the space after the name is required, as in <<calc ");
        assertEquals("srv.echo", call("<<srv.echo hi>>").tool());
        assertEquals("calc", call("<<<calc 1>>").tool());
    }

    @Test
    void incompleteOrMalformedMarkupIsNoCallYet() {
        assertTrue(none("<<calc 2031-19"));
        assertTrue(none("<<calc 2031-1987>"));
        assertTrue(none("<<echo {\"m\":\"a>>"), "an unclosed JSON object waits for more text");
        assertTrue(none("<<get-su"));
        assertTrue(none("<< calc 1>>"), "a name starts right after <<");
        assertTrue(none("<<1calc 1>>"));
        assertTrue(none("<<calc\t1>>"));
        assertTrue(none("a << b >> c"));
        assertTrue(none("<<" + "a".repeat(70) + " x>>"), "names are at most 64 characters");
    }

    @Test
    void onlyKnownToolsAndOnlyFromTheGivenIndex() {
        String text = "<<rm -rf />> then <<calc 1+1>>";
        Optional<ToolCallParser.Call> c = ToolCallParser.firstCall(text, 0, "calc"::equals);
        assertEquals("calc", c.orElseThrow().tool(), "an unknown name is text, the scan goes on");
        assertTrue(ToolCallParser.firstCall(text, 0, n -> false).isEmpty());
        assertTrue(ToolCallParser.firstCall(text, c.get().start() + 1).isEmpty());
        assertEquals("rm", ToolCallParser.firstCall(text, 0).orElseThrow().tool());
    }

    @Test
    void neutralisedTextNeverHoldsACall() {
        assertEquals("< <calc 1+1> >", ToolCallParser.neutralise("<<calc 1+1>>"));
        assertEquals("< < <x> > >", ToolCallParser.neutralise("<<<x>>>"));
        assertEquals("no markup < here >", ToolCallParser.neutralise("no markup < here >"));
        String s = "a <<add {\"a\":2}>> b";
        assertEquals(ToolCallParser.neutralise(s), ToolCallParser.neutralise(ToolCallParser.neutralise(s)));
        Random rnd = new Random(5);
        String alphabet = "<> calc1+{}\"ab";
        for (int i = 0; i < 20000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = rnd.nextInt(30); n > 0; n--) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            String n = ToolCallParser.neutralise(sb.toString());
            assertFalse(n.contains("<<") || n.contains(">>"), n);
            assertTrue(ToolCallParser.firstCall(n, 0).isEmpty(), n);
            assertEquals(sb.toString().replace(" ", ""), n.replace(" ", ""), "only spaces are inserted");
        }
    }
}
