package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.eval.WorldFormat;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.think.AlwaysRetrieve;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.EmbeddedBackend;
import dev.ponder.think.FastMethod;
import dev.ponder.think.FlareMethod;
import dev.ponder.think.Method;
import dev.ponder.think.Ponder;
import java.io.IOException;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Shared set-up of the slow-thinking commands: the library index, the calibration file, the methods. */
final class Slow {
    /** FLARE's token-probability threshold (the paper's range is 0.4–0.8; the middle). */
    static final double FLARE_THETA = 0.5;

    private Slow() {}

    /**
     * Opens {@code path} as a library: a directory of documents is indexed (incrementally) into the sibling
     * directory {@code index}; any other directory is opened as an index made by {@code ponder index}.
     */
    static LibraryIndex openLibrary(Path path) {
        if (!Files.isDirectory(path)) throw new PonderException("library not found: " + path);
        boolean docs;
        try (Stream<Path> s = Files.list(path)) {
            docs = s.anyMatch(p -> p.toString().endsWith(".md") || p.toString().endsWith(".txt"));
        } catch (IOException e) {
            throw new PonderException("cannot read library " + path + ": " + e.getMessage());
        }
        if (!docs) return LibraryIndex.open(path);
        Path parent = path.toAbsolutePath().getParent();
        LibraryIndex index = LibraryIndex.open(parent.resolve("index"));
        index.addLibrary(path);
        return index;
    }

    /** The calibration saved beside {@code model} ({@code NAME.calibration.json}). */
    static Path defaultCalibration(Path model) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".calibration.json");
    }

    /** The named methods, each with its own backend (its own live sequence) on the shared model. */
    static Map<String, Method> methods(List<String> names, Model model, String modelName, LibraryIndex index,
                                       Calibration cal, Budget budget, Ponder.Mode mode, List<AutoCloseable> toClose,
                                       dev.ponder.think.ToolRunner tools) {
        Map<String, Method> out = new LinkedHashMap<>();
        for (String n : names) {
            EmbeddedBackend b = new EmbeddedBackend(model, modelName);
            toClose.add(b);
            Drafter d = new Drafter(b, new WorldFormat(), cal, budget).withTools(tools);
            out.put(n, switch (n) {
                case "fast" -> new FastMethod(d);
                case "rag" -> new AlwaysRetrieve(d, index);
                case "flare" -> new FlareMethod(d, index, FLARE_THETA);
                case "ponder" -> new Ponder(d, index, mode);
                default -> throw new PonderException("unknown method '" + n + "' (known: fast, rag, flare, ponder)");
            });
        }
        return out;
    }

    static List<String> methodNames(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String s : given) for (String p : s.split(",")) if (!p.isBlank()) out.add(p.strip());
        return out;
    }

    /** A progress bar over {@code n} questions, with rate and ETA. */
    static ProgressBar questionBar(String task, int n) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(n).setStyle(ProgressBarStyle.ASCII)
                .showSpeed().setUnit(" q", 1).continuousUpdate().build();
    }
}
