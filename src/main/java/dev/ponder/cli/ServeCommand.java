package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.model.Model;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.serve.BatchingBackend;
import dev.ponder.serve.PonderServer;
import dev.ponder.think.Backend;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.OpenAIBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ponder serve}: the OpenAI-compatible API, with slow thinking on chat requests when a library is given. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve an OpenAI-compatible API (slow thinking on chat with --library).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, defaultValue = "models/ponder-nano.gguf", description = "GGUF model (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--library", description = "Documents directory or index for slow thinking (without it: plain generation only).")
    Path library;

    @Option(names = "--calibration", description = "Calibration file (default: MODEL.calibration.json if present).")
    Path calibration;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0: any free port; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-key", description = "Require 'Authorization: Bearer KEY' on every endpoint but /health (default: $PONDER_API_KEY if set).")
    String apiKey;

    @Option(names = "--max-body", defaultValue = "1048576", description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--max-tokens", defaultValue = "512", description = "Largest max_tokens a request may ask for (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--queue", defaultValue = "64", description = "Requests generating at once; more get 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--batch", defaultValue = "16", description = "Sequences decoded together at most (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--backend", defaultValue = "embedded", description = "embedded (the model in this process) or openai (a remote server).")
    String backendKind;

    @Option(names = "--base-url", description = "With --backend openai: the remote server (e.g. http://127.0.0.1:8081).")
    String baseUrl;

    @Option(names = "--model-name", description = "The model id to show (and, with --backend openai, to request).")
    String modelName;

    @Option(names = "--search-budget", defaultValue = "256", description = "Nodes one search of a countdown question may expand (default: ${DEFAULT-VALUE}; it also stops after 10 s).")
    int searchBudget;

    @Override
    public Integer call() throws Exception {
        if (maxBody < 1) throw new PonderException("--max-body must be at least 1");
        if (maxTokens < 1) throw new PonderException("--max-tokens must be at least 1");
        if (queue < 1) throw new PonderException("--queue must be at least 1");
        if (batch < 1) throw new PonderException("--batch must be at least 1");
        if (searchBudget < 1) throw new PonderException("--search-budget must be at least 1");
        String key = apiKey != null ? apiKey : System.getenv("PONDER_API_KEY");
        Path calFile = calibration != null ? calibration : Slow.defaultCalibration(model);
        Calibration cal;
        if (Files.exists(calFile)) cal = Calibration.load(calFile);
        else if (calibration != null) throw new PonderException("calibration file not found: " + calFile);
        else cal = Calibration.fallback();
        String name = modelName != null ? modelName : model.getFileName().toString().replaceFirst("\\.gguf$", "");
        PonderServer.Options opts = new PonderServer.Options(name, key, maxBody, maxTokens, queue, cal, Budget.defaults(), searchBudget);
        LibraryIndex index = library == null ? null : Slow.openLibrary(library);
        try {
            switch (backendKind) {
                case "embedded" -> {
                    try (Model m = Model.load(model); BatchingBackend b = new BatchingBackend(m, name, batch, 32);
                         PonderServer s = new PonderServer(b, index, opts).start(host, port)) {
                        ready(s);
                    }
                }
                case "openai" -> {
                    if (baseUrl == null) throw new PonderException("--backend openai needs --base-url");
                    try (Backend b = new OpenAIBackend(baseUrl, modelName != null ? modelName : name, System.getenv("OPENAI_API_KEY"));
                         PonderServer s = new PonderServer(b, index, opts).start(host, port)) {
                        ready(s);
                    }
                }
                default -> throw new PonderException("unknown --backend '" + backendKind + "' (embedded or openai)");
            }
        } finally {
            if (index != null) index.close();
        }
        return 0;
    }

    private void ready(PonderServer s) throws InterruptedException {
        System.out.println("ponder serve: listening on " + s.url(host) + (library != null ? " (slow thinking over " + library + ")" : ""));
        System.out.flush();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
        forever.await();
    }
}
