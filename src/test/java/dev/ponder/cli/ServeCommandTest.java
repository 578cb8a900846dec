package dev.ponder.cli;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** ponder serve refuses bad settings with one line before it starts anything. */
class ServeCommandTest {
    @Test
    void badSettingsAreOneLineErrors() {
        CliTest.Result r = CliTest.run("serve", "--backend", "bogus", "--port", "0");
        CliTest.assertOneLineError(r);
        assertTrue(r.err().contains("unknown --backend"), r.err());
        r = CliTest.run("serve", "--backend", "openai", "--port", "0");
        CliTest.assertOneLineError(r);
        assertTrue(r.err().contains("--base-url"), r.err());
        r = CliTest.run("serve", "--queue", "0");
        CliTest.assertOneLineError(r);
    }
}
