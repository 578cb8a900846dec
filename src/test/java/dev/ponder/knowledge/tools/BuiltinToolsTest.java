package dev.ponder.knowledge.tools;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.engine.PonderException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The built-in calc and date tools, and the registry's limits. */
class BuiltinToolsTest {
    static final InlineTools INLINE = new InlineTools(ToolRegistry.withBuiltins());

    static String calc(String args) {
        return INLINE.run("calc", args).text();
    }

    static String date(String args) {
        return INLINE.run("date", args).text();
    }

    static String dateError(String args) {
        var r = INLINE.run("date", args);
        assertTrue(r.isError(), args + " gave " + r.text());
        assertEquals(InlineTools.ERROR, r.text());
        return r.detail();
    }

    @Test
    void calcIsExactInPlainAndJsonForm() {
        assertEquals("44", calc("2031-1987"));
        assertEquals("7/3", calc("7/3"));
        assertEquals("7", calc("7/3*3"));
        assertEquals("-1/4", calc("0.25-0.5"));
        assertEquals("20", calc("(2+3)*4"));
        assertEquals("123456789012345678901234567890", calc("123456789012345678901234567890*1"));
        assertEquals("44", calc("{\"expression\": \"2031-1987\"}"));
        assertEquals("44", INLINE.registry().call("calc", Json.parse("{\"expression\":\"2031-1987\"}")).text());
    }

    @Test
    void calcErrorsAreResultsNamingTheProblem() {
        for (String bad : new String[] {"1/0", "2+", "two plus two", "(1", "1e5", "{\"expr\":\"1\"}", "{\"expression\": 5}", "{oops"}) {
            var r = INLINE.run("calc", bad);
            assertTrue(r.isError(), bad + " gave " + r.text());
            assertEquals("error", r.text(), "inline, an error reads exactly 'error'");
            assertFalse(r.detail().isBlank());
        }
        assertEquals("division by zero", INLINE.registry().call("calc", Json.parse("{\"expression\":\"(3-3)/(2-2)+1/0\"}")).text());
        assertEquals("expression longer than 1000 characters", INLINE.run("calc", "1+".repeat(600) + "1").detail());
    }

    @Test
    void dateAgeYearsDaysAddWeekday() {
        assertEquals("44", date("age 1987 2031"));
        assertEquals("0", date("age 2031 2031"));
        assertEquals("43", date("age 1987-05-04 2031-05-03"), "the day before the birthday");
        assertEquals("44", date("age 1987-05-04 2031-05-04"));
        assertEquals("44", date("years 1987 2031"));
        assertEquals("-44", date("years 2031 1987"));
        assertEquals("3", date("years 2020-02-29 2023-03-01"));
        assertEquals("60", date("days 2024-01-01 2024-03-01"), "2024 is a leap year");
        assertEquals("59", date("days 2023-01-01 2023-03-01"));
        assertEquals("-1", date("days 2024-03-01 2024-02-29"));
        assertEquals("2024-03-01", date("add 2024-01-31 30"));
        assertEquals("2023-12-31", date("add 2024-01-01 -1"));
        assertEquals("Friday", date("weekday 2024-03-01"));
        assertEquals("44", date("{\"op\":\"age\",\"from\":1987,\"to\":2031}"));
        assertEquals("2024-03-01", date("{\"op\":\"add\",\"date\":\"2024-01-31\",\"days\":30}"));
        assertEquals("44", date("  age   1987   2031 "), "spaces between words do not matter");
    }

    @Test
    void dateRejectsWrongInputWithAClearMessage() {
        assertTrue(dateError("age 2031 1987").contains("before the birth year"));
        assertTrue(dateError("age 1987 2031-01-01").contains("is a year"));
        assertTrue(dateError("days 2024-02-30 2024-03-01").contains("not a valid date"));
        assertTrue(dateError("days 2024-1-1 2024-03-01").contains("not an ISO date"));
        assertTrue(dateError("add 2024-01-01 1.5").contains("whole number of days"));
        assertTrue(dateError("add 9999-12-31 1").contains("outside the years"));
        assertTrue(dateError("add 2024-01-01 99999999").contains("more than"));
        assertTrue(dateError("age 0 10").contains("before year 1"));
        assertTrue(dateError("age 1987").contains("two operands"));
        assertTrue(dateError("tomorrow").contains("unknown date operation"));
        assertTrue(dateError("{\"op\":\"days\",\"from\":\"2024-01-01\"}").contains("missing \"to\""));
        assertTrue(dateError("").contains("unknown date operation"));
    }

    @Test
    void registryCallsOnlyRegisteredToolsWithinItsLimits() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Tool slow = new Fake("slow", a -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ToolResult.ok("late");
        });
        try (ToolRegistry r = new ToolRegistry(new ToolRegistry.Limits(Duration.ofMillis(200), 20))) {
            r.register(slow);
            r.register(new Fake("big", a -> ToolResult.ok("x".repeat(21))));
            r.register(new Fake("boom", a -> { throw new IllegalStateException("exploded"); }));
            r.register(new Fake("fine", a -> ToolResult.ok("x".repeat(20))));
            long t0 = System.nanoTime();
            assertEquals(ToolResult.error("slow took longer than 200 ms"), r.call("slow", Json.parse("{}")));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            assertEquals(ToolResult.error("big returned 21 characters, more than the limit of 20"), r.call("big", Json.parse("{}")));
            assertEquals(ToolResult.error("boom failed: exploded"), r.call("boom", Json.parse("{}")));
            assertEquals(ToolResult.ok("x".repeat(20)), r.call("fine", Json.parse("{}")));
            assertEquals(ToolResult.error("no tool named 'rm'"), r.call("rm", Json.parse("{}")));
            assertThrows(PonderException.class, () -> r.register(new Fake("fine", a -> null)));
            assertThrows(PonderException.class, () -> r.register(new Fake("bad name", a -> null)));
            assertEquals("srv.fine", r.register(new Fake("fine", a -> ToolResult.ok("second")), "srv"));
            assertEquals("srv2.fine", r.register(new Fake("fine", a -> ToolResult.ok("third")), "srv"));
            assertEquals("a_b", r.register(new Fake("a/b", a -> ToolResult.ok("")), "srv"), "characters a call cannot name become _");
            assertEquals(ToolResult.ok("second"), r.call("srv.fine", Json.parse("{}")));
            assertEquals(java.util.List.of("slow", "big", "boom", "fine", "srv.fine", "srv2.fine", "a_b"), r.names());
            assertTrue(r.describe().contains("- srv.fine: <<srv.fine {JSON arguments}>> - fake srv.fine".replace("fake srv.fine", "fake fine")), r.describe());
        }
        assertTrue(ToolRegistry.withBuiltins().describe().contains("- calc: <<calc EXPRESSION>> - Exact arithmetic"));
    }

    @Test
    void plainFormMapsToTheOnlyStringArgumentOrAsksForJson() {
        Tool one = new Fake("one", a -> ToolResult.ok(a.toString()));
        assertEquals("{\"message\":\"hi there\"}", one.plainArguments("hi there").toString());
        assertEquals("{}", one.plainArguments("").toString());
        Tool two = new Fake("two", a -> null) {
            @Override
            public JsonNode inputSchema() {
                return Json.parse("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},\"b\":{\"type\":\"number\"}},\"required\":[\"a\",\"b\"]}");
            }
        };
        PonderException e = assertThrows(PonderException.class, () -> two.plainArguments("2 3"));
        assertEquals("tool two takes a JSON object: <<two {...}>>", e.getMessage());
    }

    /** A tool with one string argument {@code message}, doing what it is given. */
    static class Fake implements Tool {
        final String name;
        final java.util.function.Function<JsonNode, ToolResult> body;

        Fake(String name, java.util.function.Function<JsonNode, ToolResult> body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "fake " + name;
        }

        @Override
        public JsonNode inputSchema() {
            return Json.parse("{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}");
        }

        @Override
        public ToolResult call(JsonNode arguments) {
            return body.apply(arguments);
        }
    }
}
