package dev.ponder.knowledge.tools;

import dev.ponder.engine.PonderException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How a stdio MCP server is started: with a clean environment, and without network unless its config says
 * {@code "network": true}.
 *
 * <p>Network isolation uses an unprivileged Linux user and network namespace ({@code unshare --user
 * --map-current-user --net}, or {@code unshare -rn} with older util-linux): the server sees only its own
 * loopback device, which is down, so it can reach no host, not even this one; stdio still works. It needs no
 * root, only a kernel that allows unprivileged user namespaces. Where that is not available (not Linux, no
 * {@code unshare}, user namespaces disabled) a server without {@code "network": true} is refused with a
 * clear message rather than started unisolated. The namespace does not restrict files: a server can read
 * and write what the user running Ponder can.
 *
 * <p>Clean environment: only {@link #PASSED} variables are inherited (so that the program can be found and
 * has a home and a locale), plus the server's configured {@code env}; secrets in Ponder's environment do
 * not leak to servers.
 */
public final class McpSandbox {
    /**
     * Variables a stdio server inherits from Ponder's environment: the ones the MCP SDK always passes
     * ({@code HOME LOGNAME PATH SHELL TERM USER}; on Windows its own list) and the locale, time zone and
     * temporary directory.
     */
    public static final List<String> PASSED = List.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");

    /** Command prefixes tried in order for network isolation. */
    static final List<List<String>> ISOLATORS = List.of(
            List.of("unshare", "--user", "--map-current-user", "--net", "--"),
            List.of("unshare", "-rn", "--"));

    private static volatile List<String> isolator;
    private static volatile String isolationProblem;

    private McpSandbox() {}

    /** The full command line for {@code server}: its command and args, inside the network sandbox unless allowed. */
    public static List<String> command(McpConfig.Server server) {
        List<String> cmd = new ArrayList<>();
        if (!server.network()) {
            List<String> prefix = isolator();
            if (prefix == null) {
                throw new PonderException("MCP server \"" + server.name() + "\": cannot cut it off the network here (" + isolationProblem
                        + "); set \"network\": true in its config to run it without isolation");
            }
            cmd.addAll(prefix);
        }
        cmd.add(server.command());
        cmd.addAll(server.args());
        return cmd;
    }

    /** The environment of a stdio server: the {@link #PASSED} variables Ponder has, then {@code configured}. */
    public static Map<String, String> environment(Map<String, String> configured) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : PASSED) {
            String v = System.getenv(k);
            if (v != null) env.put(k, v);
        }
        env.putAll(configured);
        return env;
    }

    /** Whether {@code command} names an executable file: a path, or a name found on Ponder's PATH. */
    public static boolean runnable(String command) {
        if (command.contains("/") || command.contains(File.separator)) return Files.isExecutable(Path.of(command));
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir);
            for (String ext : List.of("", ".exe", ".cmd", ".bat")) if (Files.isExecutable(p.resolve(command + ext))) return true;
        }
        return false;
    }

    /** Whether stdio servers can be cut off the network on this machine (probed once). */
    public static boolean networkIsolationAvailable() {
        return isolator() != null;
    }

    private static List<String> isolator() {
        if (isolator == null && isolationProblem == null) {
            synchronized (McpSandbox.class) {
                if (isolator == null && isolationProblem == null) probe();
            }
        }
        return isolator;
    }

    private static void probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            isolationProblem = "network namespaces need Linux";
            return;
        }
        String last = "unshare not found";
        for (List<String> prefix : ISOLATORS) {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.add("true");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    last = "unshare did not finish";
                } else if (p.exitValue() == 0) {
                    isolator = List.copyOf(prefix);
                    return;
                } else {
                    last = "unshare failed: " + (out.isEmpty() ? "exit " + p.exitValue() : out.lines().findFirst().orElse(""));
                }
            } catch (IOException e) {
                last = "unshare not found";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = "interrupted";
            }
        }
        isolationProblem = last;
    }
}
