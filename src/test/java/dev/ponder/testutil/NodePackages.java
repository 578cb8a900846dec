package dev.ponder.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that run npm packages: check that a tool (node, npm) is there — skip without it, fail under
 * {@code CI=true} — and install a pinned package set with {@code npm ci} once, again only when its lock file changed.
 */
public final class NodePackages {
    private NodePackages() {}

    /** A finished command: exit code and output (errors included). */
    public record Run(int exit, String output) {}

    /** Skips when {@code tool} is not on the PATH (fails instead under {@code CI=true}); {@code purpose} says why it is needed. */
    public static void requireTool(String tool, String purpose) {
        boolean present;
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        if (present) return;
        String msg = tool + " is not installed (" + purpose + "; .ci/run installs it)";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(msg);
        Assumptions.abort(msg);
    }

    /**
     * {@code npm ci} of {@code sources}' package.json and package-lock.json into {@code work}, unless {@code installed}
     * (a file or directory the install creates) exists and the lock file is the one installed last.
     */
    public static void install(Path sources, Path work, Path installed) throws IOException, InterruptedException {
        Files.createDirectories(work);
        byte[] lock = Files.readAllBytes(sources.resolve("package-lock.json"));
        Path copied = work.resolve("package-lock.json");
        if (Files.exists(installed) && Files.exists(copied) && Arrays.equals(lock, Files.readAllBytes(copied))) return;
        Files.copy(sources.resolve("package.json"), work.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.write(copied, lock);
        Run r = run(work, List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(), 300);
        assertEquals(0, r.exit(), "npm ci failed:\n" + r.output());
    }

    /** Runs a command in {@code dir}, output and errors together, killed (and the test failed) after {@code seconds}. */
    public static Run run(Path dir, List<String> cmd, Map<String, String> env, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(output lost: ").append(e).append(")");
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            reader.join(5000);
            fail(String.join(" ", cmd) + " did not finish in " + seconds + " s:\n" + out);
        }
        reader.join(5000);
        return new Run(p.exitValue(), out.toString());
    }
}
