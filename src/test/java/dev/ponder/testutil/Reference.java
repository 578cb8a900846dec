package dev.ponder.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared conformance data in {@code ../shared/reference/} (relative to the project root;
 * {@code -Dponder.reference=DIR} overrides). When a file is absent the calling test is skipped with a
 * message naming it, except under {@code CI=true}, where a missing file fails the test.
 */
public final class Reference {
    private Reference() {}

    public static Path root() {
        String override = System.getProperty("ponder.reference");
        return override != null ? Path.of(override) : Path.of("..", "shared", "reference").toAbsolutePath().normalize();
    }

    /** The reference file at {@code relative}, or skip (fail under CI) when it is missing. */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String msg = "reference data missing: " + p + " (see ../shared/reference/README.md)";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(msg);
            Assumptions.abort(msg);
        }
        return p;
    }
}
