package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ponder} command line. Errors a user can cause (missing file, bad option, malformed model)
 * print one line and exit non-zero; a stack trace is shown only with {@code PONDER_DEBUG=1}.
 */
@Command(name = "ponder", mixinStandardHelpOptions = true, version = "ponder 0.1.0",
        description = "A pure-Java LLM runtime that thinks slowly only where it is unsure.",
        subcommands = {RunCommand.class, AskCommand.class, ServeCommand.class, IndexCommand.class, EvalCommand.class, NanoCommand.class, DistillCommand.class, TrainCommand.class, WorldCommand.class, TokenizeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class PonderCli implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit code for errors in the user's input (options, files). */
    public static final int USAGE = 2;
    /** Exit code for failures while running. */
    public static final int FAILED = 1;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("ponder: missing command (try 'ponder --help')");
        return USAGE;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("ponder: out of memory (raise the heap with PONDER_JVM_OPTS=-Xmx...)");
            code = FAILED;
        }
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PonderCli());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("ponder: " + ex.getMessage().lines().findFirst().orElse("bad arguments")
                    + " (see 'ponder " + qualifiedName(ex.getCommandLine()) + "--help')");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (System.getenv("PONDER_DEBUG") != null) ex.printStackTrace(err);
            if (ex instanceof PonderException) {
                err.println("ponder: " + ex.getMessage().lines().findFirst().orElse("error"));
                return FAILED;
            }
            err.println("ponder: internal error: " + ex + " (set PONDER_DEBUG=1 for details)");
            return FAILED;
        });
        return cl;
    }

    private static String qualifiedName(CommandLine cl) {
        String name = cl.getCommandName();
        return name.equals("ponder") ? "" : name + " ";
    }
}
