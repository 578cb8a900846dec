package dev.ponder;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: engine → chat → think → knowledge → learn → eval → serve/cli, and the
 * engine depends on nothing but the JDK. Checked on the imports of every main source file.
 */
class LayeringTest {
    /** Layer order; a package may import its own layer and those before it. */
    static final List<String> LAYERS = List.of("engine", "chat", "think", "knowledge", "learn", "eval", "serve", "cli");
    /** Third-party packages each layer may use (beyond the JDK). */
    static final Map<String, List<String>> LIBRARIES = Map.of(
            "engine", List.of(),
            "think", List.of("com.fasterxml.jackson"),
            "knowledge", List.of("org.apache.lucene", "com.fasterxml.jackson", "io.modelcontextprotocol"),
            "serve", List.of("io.javalin", "com.fasterxml.jackson", "jakarta.servlet", "org.eclipse.jetty"),
            "chat", List.of("com.hubspot.jinjava", "jinjava.", "org.apache.commons.lang3", "com.fasterxml.jackson", "com.google.common"));

    static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void dependenciesPointOneWay() throws IOException {
        Path root = Path.of("src/main/java/dev/ponder");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String layer = root.relativize(f).getName(0).toString();
                int rank = LAYERS.indexOf(layer);
                assertTrue(rank >= 0, "unknown top-level package " + layer + " (" + f + ")");
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String imp = m.group(1);
                    if (imp.startsWith("java.") || imp.startsWith("jdk.incubator.vector")) continue;
                    if (imp.startsWith("dev.ponder.")) {
                        String target = imp.substring("dev.ponder.".length()).split("\\.")[0];
                        int tr = LAYERS.indexOf(target);
                        if (tr < 0 || tr > rank) violations.add(f + " imports " + imp);
                        continue;
                    }
                    List<String> allowed = LIBRARIES.get(layer);
                    if (allowed != null && allowed.stream().noneMatch(imp::startsWith)) violations.add(f + " imports library " + imp);
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
