package dev.ponder.knowledge.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.engine.PonderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The tools the model may call, by name, and the only way to call them.
 *
 * <p>Sandbox: only registered tools are ever called; each call runs on its own thread and gets at most
 * {@link Limits#timeLimit()} (then it is interrupted and the caller gets an error result) and may return at
 * most {@link Limits#maxOutputChars()} characters (a longer result is an error result); an exception thrown
 * by a tool is an error result too. Built-in tools ({@link #withBuiltins()}) compute in memory and touch no
 * file or network; MCP tools ({@link McpTools}) run in their own processes.
 */
public final class ToolRegistry implements AutoCloseable {
    /**
     * Per-call limits.
     *
     * @param timeLimit wall time a call may take
     * @param maxOutputChars longest result text
     */
    public record Limits(Duration timeLimit, int maxOutputChars) {
        /** 10 s and 8000 characters. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 8000);
    }

    /** What a tool's name may look like: what the inline syntax can call. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final Limits limits;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tool-call-", 0).factory());

    /** An empty registry with {@link Limits#DEFAULT}. */
    public ToolRegistry() {
        this(Limits.DEFAULT);
    }

    /** An empty registry with the given per-call limits. */
    public ToolRegistry(Limits limits) {
        this.limits = limits;
    }

    /** A registry holding the built-in tools: {@code calc} ({@link CalculatorTool}) and {@code date} ({@link DateTool}). */
    public static ToolRegistry withBuiltins() {
        ToolRegistry r = new ToolRegistry();
        r.register(new CalculatorTool());
        r.register(new DateTool());
        return r;
    }

    public Limits limits() {
        return limits;
    }

    /** Registers {@code tool} under its own name; throws {@link PonderException} when the name is taken or invalid. */
    public synchronized String register(Tool tool) {
        String name = tool.name();
        if (!NAME.matcher(name).matches()) throw new PonderException("tool name '" + name + "' is not letters, digits, _ - . starting with a letter");
        if (tools.containsKey(name)) throw new PonderException("a tool named '" + name + "' is already registered");
        tools.put(name, tool);
        return name;
    }

    /**
     * Registers {@code tool} under its own name, or as {@code prefix.name} when that is taken (characters a
     * name may not hold become {@code _}); returns the name it was registered under.
     */
    public synchronized String register(Tool tool, String prefix) {
        String name = safeName(tool.name());
        if (tools.containsKey(name)) name = safeName(prefix + "." + tool.name());
        for (int i = 2; tools.containsKey(name); i++) name = safeName(prefix + i + "." + tool.name());
        return register(name.equals(tool.name()) ? tool : new Renamed(name, tool));
    }

    /** The tool registered as {@code name}. */
    public synchronized Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** The registered tools in registration order. */
    public synchronized List<Tool> list() {
        return List.copyOf(tools.values());
    }

    /** The registered names in registration order. */
    public synchronized List<String> names() {
        return List.copyOf(tools.keySet());
    }

    /** The tools for a prompt: one line each with the name, how to call it and what it does. */
    public synchronized String describe() {
        StringBuilder sb = new StringBuilder();
        for (Tool t : tools.values()) sb.append("- ").append(t.name()).append(": ").append(t.usage()).append(" - ").append(t.description()).append('\n');
        return sb.toString();
    }

    /**
     * Calls the tool registered as {@code name} within the limits. Never throws for a bad call: an unknown
     * tool, an exception, a timeout or an over-long result is an {@linkplain ToolResult#error(String) error}.
     */
    public ToolResult call(String name, JsonNode arguments) {
        Optional<Tool> tool = find(name);
        if (tool.isEmpty()) return ToolResult.error("no tool named '" + name + "'");
        Future<ToolResult> f;
        try {
            f = calls.submit(() -> tool.get().call(arguments));
        } catch (RuntimeException closed) {
            return ToolResult.error("the tool registry is closed");
        }
        ToolResult r;
        try {
            r = f.get(limits.timeLimit().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return ToolResult.error(name + " took longer than " + limits.timeLimit().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return ToolResult.error(name + " failed: " + (c.getMessage() == null ? c.getClass().getSimpleName() : firstLine(c.getMessage())));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return ToolResult.error(name + " was interrupted");
        }
        if (r == null) return ToolResult.error(name + " returned nothing");
        if (r.text().length() > limits.maxOutputChars()) {
            return ToolResult.error(name + " returned " + r.text().length() + " characters, more than the limit of " + limits.maxOutputChars());
        }
        return r;
    }

    /** Stops accepting calls. Does not close MCP servers: close their {@link McpTools}. */
    @Override
    public void close() {
        calls.shutdownNow();
    }

    private static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 127) s = "t" + s;
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A tool registered under another name (a clash), calling the original. */
    private record Renamed(String name, Tool tool) implements Tool {
        @Override
        public String description() {
            return tool.description();
        }

        @Override
        public JsonNode inputSchema() {
            return tool.inputSchema();
        }

        @Override
        public ToolResult call(JsonNode arguments) {
            return tool.call(arguments);
        }

        @Override
        public JsonNode plainArguments(String text) {
            return tool.plainArguments(text);
        }

        @Override
        public String usage() {
            return tool.usage().replace("<<" + tool.name(), "<<" + name);
        }
    }

    /** Lists the registry's names (for diagnostics). */
    @Override
    public String toString() {
        return "ToolRegistry" + new ArrayList<>(names());
    }
}
