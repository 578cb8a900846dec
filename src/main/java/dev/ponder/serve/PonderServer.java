package dev.ponder.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.chat.ChatTemplate;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.sampling.SamplerSettings;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.eval.CountdownVerifier;
import dev.ponder.eval.SearchEval;
import dev.ponder.eval.WorldFormat;
import dev.ponder.knowledge.Document;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.knowledge.tools.InlineTools;
import dev.ponder.knowledge.tools.ToolRegistry;
import dev.ponder.think.Backend;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.Drafter;
import dev.ponder.think.Generation;
import dev.ponder.think.Method;
import dev.ponder.think.Ponder;
import dev.ponder.think.QuestionFormat;
import dev.ponder.think.Result;
import dev.ponder.think.Retriever;
import dev.ponder.think.TokenSignal;
import dev.ponder.think.Trace;
import dev.ponder.think.TraceEvent;
import dev.ponder.think.search.BeamSearch;
import dev.ponder.think.search.Mcts;
import dev.ponder.think.search.Search;
import dev.ponder.think.search.SearchBudget;
import dev.ponder.think.search.SearchMethod;
import dev.ponder.think.search.Verifier;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * {@code ponder serve}: an OpenAI-compatible HTTP API over the engine and the slow-thinking controller.
 *
 * <ul>
 *   <li>{@code GET /health} (never needs the key), {@code GET /v1/models}, {@code POST /v1/completions},
 *       {@code POST /v1/chat/completions} (with {@code stream: true} as server-sent events ending in
 *       {@code data: [DONE]}), {@code POST /tokenize} ({@code {"content"} → {"tokens"}}, as llama.cpp's server),
 *       and a static page at {@code /} ({@code web/index.html} on the class path, else a one-line placeholder).</li>
 *   <li>Plain completions decode with the request's sampler settings on the {@link BatchingBackend}; logprobs
 *       are the plain softmax of each step's distribution. {@code /v1/completions} takes {@code echo: true} as the
 *       OpenAI legacy API and vLLM define it: the text starts with the prompt, and with {@code logprobs: N} the
 *       logprobs cover the prompt's tokens first (the first one with null logprob and alternatives; a BOS the server
 *       adds is a token with empty text), computed by {@link BatchingBackend#scorePrompt}; {@code max_tokens: 0}
 *       then scores the prompt alone ({@code finish_reason: "length"}). Streamed, the prompt (and its logprobs) is
 *       the first chunk of each choice. {@code text_offset} counts code points. With a remote backend, echo works
 *       without logprobs only. Beside {@code token_logprobs}, {@code ponder_entropy} and {@code ponder_varentropy} give
 *       each generated token's entropy and varentropy (which the top alternatives cannot give a client).</li>
 *   <li>Chat requests think slowly when the server has a library (unless {@code "ponder":{"enabled":false}}):
 *       the last user message is the question, the answer carries {@code ponder: {confidence, abstained,
 *       pauses, retrievals, trace}}. Streaming sends each trace event as an SSE comment line
 *       {@code : ponder {event}} (clients drop comments), the answer tokens as normal chunks, and the
 *       {@code ponder} object on the final chunk. As {@code ponder ask}: drafts run the model's inline tool calls
 *       with the built-in tools ({@code "ponder":{"tools":false}} turns them off; the trace has a
 *       {@code tool_call} event per call), and a countdown puzzle whose draft does not verify is searched
 *       ({@code "ponder":{"search":"mcts"|"beam"|"none"}}, default {@code mcts} on the embedded engine; the trace
 *       has a {@code search} event). A search's events are streamed when it ends.</li>
 *   <li>{@code POST /v1/library/documents} ({@code {"id","title","text"}}) adds a document to the library's index
 *       (or replaces the one with that id), so the next question can find it: 201 when added, 200 when replaced
 *       or unchanged, 400 on bad input, 409 when the server has no library index to add to.</li>
 *   <li>Limits: bearer key, body size (413), {@code max_tokens} (400), an admission limit on requests
 *       generating at once (429). A streaming client that disconnects cancels its generation.</li>
 * </ul>
 */
public final class PonderServer implements AutoCloseable {
    /**
     * Server settings.
     *
     * @param modelName the id shown in {@code /v1/models} and responses
     * @param apiKey bearer key required on every endpoint but {@code /health} and {@code /} (null: none)
     * @param maxBody request bodies larger than this are refused (413)
     * @param maxTokens the largest {@code max_tokens} a request may ask for
     * @param queue requests generating (or waiting to) at once; more are answered 429
     * @param calibration the slow-thinking calibration
     * @param budget the slow-thinking budget (pauses overridable per request; its time limit also bounds a search)
     * @param searchNodes nodes one search of a countdown question may expand
     */
    public record Options(String modelName, String apiKey, long maxBody, int maxTokens, int queue, Calibration calibration, Budget budget,
                          int searchNodes) {
        public Options {
            if (searchNodes < 1) throw new PonderException("the search budget must be at least 1 node");
        }

        /** Settings with the default search budget ({@value PonderServer#SEARCH_NODES} nodes, as {@code ponder ask}). */
        public Options(String modelName, String apiKey, long maxBody, int maxTokens, int queue, Calibration calibration, Budget budget) {
            this(modelName, apiKey, maxBody, maxTokens, queue, calibration, budget, SEARCH_NODES);
        }

        public static Options defaults(String modelName) {
            return new Options(modelName, null, 1 << 20, 512, 64, Calibration.fallback(), Budget.defaults());
        }

        /** These settings with searches of at most {@code nodes} nodes. */
        public Options withSearchNodes(int nodes) {
            return new Options(modelName, apiKey, maxBody, maxTokens, queue, calibration, budget, nodes);
        }
    }

    private final Options options;
    private final BatchingBackend batching; // null with a remote backend
    private final Backend backend;
    private final Tokenizer tok; // null with a remote backend
    private final Retriever library;
    private final ChatTemplate template; // null: the world's Question/Answer format
    private final QuestionFormat format;
    private final RequestParser parser;
    private final Semaphore admission;
    private final String pageHtml;
    private final ToolRegistry toolRegistry = ToolRegistry.withBuiltins();
    private final InlineTools tools = new InlineTools(toolRegistry);
    private Javalin app;

    /** Nodes one search may expand by default (as {@code ponder ask}'s {@code --search-budget}); it also stops at the budget's time. */
    public static final int SEARCH_NODES = 256;
    /** Answer tokens a beam is expected to need: the beam width is the search budget over this. */
    static final int SEARCH_DEPTH = 12;

    /** A server over the embedded engine. {@code library} may be null (no slow thinking). */
    public PonderServer(BatchingBackend batching, Retriever library, Options options) {
        this(batching, batching, library, chatTemplate(batching), batching.model().config().contextLength(), options);
    }

    /** A server over another backend (e.g. a remote OpenAI-compatible server); chat uses the world's format. */
    public PonderServer(Backend backend, Retriever library, Options options) {
        this(null, backend, library, null, 0, options);
    }

    private PonderServer(BatchingBackend batching, Backend backend, Retriever library, ChatTemplate template, int context, Options options) {
        this.options = options;
        this.batching = batching;
        this.backend = backend;
        this.tok = batching == null ? null : batching.tokenizer();
        this.library = library;
        this.template = template;
        this.format = template == null ? new WorldFormat() : new ChatFormat(template);
        this.parser = new RequestParser(options.maxTokens(), context);
        this.admission = new Semaphore(options.queue());
        this.pageHtml = page();
    }

    private static ChatTemplate chatTemplate(BatchingBackend b) {
        String src = b.model().gguf().getString("tokenizer.chat_template", null);
        if (src == null) return null;
        Tokenizer t = b.tokenizer();
        return new ChatTemplate(src, t.bos() >= 0 ? t.tokenText(t.bos()) : "", t.eos() >= 0 ? t.tokenText(t.eos()) : "");
    }

    private static String page() {
        try (InputStream in = PonderServer.class.getResourceAsStream("/web/index.html")) {
            if (in != null) return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // fall through to the placeholder
        }
        return "<!doctype html><title>ponder</title><p>ponder serve: the OpenAI-compatible API is at /v1 (no web page is built yet).</p>\n";
    }

    /** Starts listening on {@code host:port} (port 0: any free port). */
    public PonderServer start(String host, int port) {
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = Math.max(options.maxBody(), 1);
            cfg.http.disableCompression();
        });
        app.before(this::authorize);
        app.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(pageHtml));
        app.get("/health", ctx -> json(ctx, 200, health()));
        app.get("/v1/models", ctx -> json(ctx, 200, models()));
        app.post("/tokenize", this::tokenize);
        app.post("/v1/completions", ctx -> generate(ctx, false));
        app.post("/v1/chat/completions", ctx -> generate(ctx, true));
        app.post("/v1/library/documents", this::addDocument);
        app.exception(ApiError.class, (e, ctx) -> json(ctx, e.status, Json.error(e)));
        app.exception(CancelledException.class, (e, ctx) -> ctx.status(499));
        app.exception(PonderException.class, (e, ctx) -> json(ctx, 400, Json.error(ApiError.invalid(null, e.getMessage()))));
        app.exception(Exception.class, (e, ctx) -> json(ctx, 500, Json.error(new ApiError(500, "server_error", null, null, "internal error: " + e))));
        app.error(404, ctx -> {
            if (ctx.result() == null || !ctx.result().startsWith("{")) {
                json(ctx, 404, Json.error(new ApiError(404, "invalid_request_error", null, "unknown_url", "unknown URL: " + ctx.method() + " " + ctx.path())));
            }
        });
        app.start(host, port);
        return this;
    }

    /** The port listened on. */
    public int port() {
        return app.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url(String host) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public void close() {
        if (app != null) app.stop();
        toolRegistry.close();
    }

    // ---------------------------------------------------------------- simple endpoints

    private void authorize(Context ctx) {
        if (options.apiKey() == null || ctx.path().equals("/health") || ctx.path().equals("/")) return;
        String h = ctx.header("Authorization");
        byte[] want = ("Bearer " + options.apiKey()).getBytes(StandardCharsets.UTF_8);
        if (h == null || !MessageDigest.isEqual(want, h.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "invalid_request_error", null, "invalid_api_key",
                    h == null ? "missing API key: send Authorization: Bearer KEY" : "incorrect API key");
        }
    }

    private ObjectNode health() {
        ObjectNode o = Json.object();
        o.put("status", "ok");
        o.put("model", options.modelName());
        o.put("backend", backend.name());
        o.put("slow_thinking", library != null);
        if (batching != null) {
            BatchingBackend.Stats s = batching.stats();
            o.put("active", s.active());
            o.put("waiting", s.waiting());
            o.put("steps", s.steps());
        }
        return o;
    }

    private ObjectNode models() {
        ObjectNode o = Json.object();
        o.put("object", "list");
        ObjectNode m = o.putArray("data").addObject();
        m.put("id", options.modelName());
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", "ponder");
        return o;
    }

    private void tokenize(Context ctx) {
        JsonNode body = readJson(ctx);
        if (!body.isObject() || !body.path("content").isTextual()) throw ApiError.invalid("content", "content must be a string");
        String text = body.get("content").asText();
        ObjectNode o = Json.object();
        ArrayNode ids = o.putArray("tokens");
        if (tok != null) for (int id : tok.encode(text, false, false)) ids.add(id);
        else throw new ApiError(404, "invalid_request_error", null, "unknown_url", "this server's backend cannot tokenize");
        json(ctx, 200, o);
    }

    /** A document id: what a library file name may be (letters, digits, {@code . _ -}), at most 128 characters. */
    private static final Pattern DOC_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** {@code POST /v1/library/documents}: adds (or replaces) one document in the library index, durably. */
    private void addDocument(Context ctx) {
        JsonNode body = readJson(ctx);
        if (!(library instanceof LibraryIndex index)) {
            throw new ApiError(409, "invalid_request_error", null, "no_library",
                    library == null ? "this server has no library (start ponder serve with --library)"
                            : "this server's library cannot be changed (it is not a library index)");
        }
        if (!body.isObject()) throw ApiError.invalid(null, "the body must be an object {\"id\", \"title\", \"text\"}");
        String id = textField(body, "id", true);
        if (!DOC_ID.matcher(id).matches()) {
            throw ApiError.invalid("id", "id must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String title = textField(body, "title", false);
        String text = textField(body, "text", true);
        Document doc = new Document(id, title.isEmpty() ? id : title, text);
        LibraryIndex.Change change = index.add(doc);
        index.commit();
        ObjectNode o = Json.object();
        o.put("object", "library.document");
        o.put("id", doc.id());
        o.put("title", doc.title());
        o.put("change", change.name().toLowerCase(Locale.ROOT));
        o.put("documents", index.size());
        json(ctx, change == LibraryIndex.Change.ADDED ? 201 : 200, o);
    }

    /** A string field, stripped; {@code required} ones must be present and not blank, others default to "". */
    private static String textField(JsonNode body, String name, boolean required) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            if (required) throw ApiError.invalid(name, name + " is required");
            return "";
        }
        if (!v.isTextual()) throw ApiError.invalid(name, name + " must be a string");
        String s = v.asText().strip();
        if (required && s.isEmpty()) throw ApiError.invalid(name, name + " must not be blank");
        return s;
    }

    // ---------------------------------------------------------------- generation

    private void generate(Context ctx, boolean chat) throws IOException {
        ChatRequest req = parser.parse(readJson(ctx), chat);
        boolean think = chat && slowThinking(req);
        if (think && req.n() != 1) throw ApiError.invalid("n", "slow thinking answers one choice (n must be 1)");
        if (!admission.tryAcquire()) {
            throw new ApiError(429, "rate_limit_error", null, "rate_limit_exceeded",
                    "the server is busy (" + options.queue() + " requests at once); retry later");
        }
        CancelToken cancel = new CancelToken();
        // released once: by a stream just before it sends [DONE] (a client may send its next request the moment it
        // reads it, before this handler has returned), else when the handler returns
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) admission.release();
        };
        ctx.attribute(RELEASE, release);
        try {
            if (think) ponder(ctx, req, cancel);
            else plain(ctx, req, cancel);
        } finally {
            cancel.cancel(); // anything still running for this request is abandoned
            release.run();
        }
    }

    /** The context attribute holding a generating request's admission release. */
    private static final String RELEASE = "ponder.admission.release";

    private boolean slowThinking(ChatRequest req) {
        ChatRequest.PonderOptions p = req.ponder();
        if (p != null && Boolean.TRUE.equals(p.enabled()) && library == null) {
            throw ApiError.invalid("ponder.enabled", "slow thinking needs a library (start ponder serve with --library)");
        }
        return library != null && (p == null || !Boolean.FALSE.equals(p.enabled()));
    }

    /** One choice being produced. */
    private static final class Choice {
        final int index;
        final Job job; // null: nothing to generate (an echo with max_tokens 0)
        final StringBuilder text = new StringBuilder();
        final List<TokenSignal> tokens = new ArrayList<>();
        /** Echo: the prompt's tokens, reported before the generated ones (empty without echo or logprobs). */
        List<PromptToken> echoed = List.of();
        /** Echo: code points of the prompt, where the generated text starts in {@link #text}. */
        int echoedLength;
        String finish;
        int generated, promptTokens;

        Choice(int index, Job job, int promptTokens) {
            this.index = index;
            this.job = job;
            this.promptTokens = promptTokens;
        }

        /** Starts the choice's text with its prompt (and its logprobs with the prompt's tokens, if given). */
        void echo(String prompt, List<PromptToken> tokens) {
            text.append(prompt);
            echoedLength = prompt.codePointCount(0, prompt.length());
            echoed = tokens == null ? List.of() : tokens;
        }
    }

    private void plain(Context ctx, ChatRequest req, CancelToken cancel) {
        List<String> prompts = req.chat() ? List.of(chatPrompt(req)) : req.prompts();
        List<String> stops = new ArrayList<>(req.stops());
        if (req.chat() && template == null && !stops.contains("\n")) stops.add("\n");
        String maxParam = "max_tokens";
        List<Choice> choices = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        for (String p : prompts) {
            int[] t = batching != null ? batching.encodePrompt(p) : null;
            int count = t != null ? t.length : backend.countTokens(p);
            if (count == 0) throw ApiError.invalid(req.chat() ? "messages" : "prompt", "the prompt is empty");
            parser.checkContext(count, req.maxTokens(), maxParam);
            ids.add(t);
        }
        if (req.echo() && req.logprobs() >= 0 && batching == null) {
            throw ApiError.invalid("echo", "echo with logprobs needs the embedded engine (this server's backend is " + backend.name() + ")");
        }
        SamplerSettings base = new SamplerSettings((float) req.temperature(), 0, (float) req.topP(), 0f, 1f, 64, req.seed());
        int topLogprobs = Math.max(0, req.logprobs());
        for (int p = 0; p < prompts.size(); p++) {
            for (int i = 0; i < req.n(); i++) {
                SamplerSettings s = new SamplerSettings(base.temperature(), 0, base.topP(), 0f, 1f, 64, req.seed() + i);
                int index = p * req.n() + i;
                int count = batching != null ? ids.get(p).length : backend.countTokens(prompts.get(p));
                Job j = null;
                if (req.maxTokens() > 0) {
                    j = batching != null ? batching.submit(ids.get(p), s, req.maxTokens(), stops, topLogprobs, req.ignoreEos(), cancel)
                            : remote(prompts.get(p), s, req.maxTokens(), stops);
                }
                Choice c = new Choice(index, j, count);
                if (j == null) c.finish = "length";
                choices.add(c);
            }
        }
        if (req.echo()) {
            // the prompts are scored beside the scheduler while it already generates the choices
            for (int p = 0; p < prompts.size(); p++) {
                List<PromptToken> scored = req.logprobs() >= 0 ? batching.scorePrompt(prompts.get(p), 0, topLogprobs, cancel) : null;
                for (int i = 0; i < req.n(); i++) choices.get(p * req.n() + i).echo(prompts.get(p), scored);
            }
        }
        String id = (req.chat() ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        if (req.stream()) streamPlain(ctx, req, cancel, choices, id, created);
        else {
            for (Choice c : choices) {
                while (c.finish == null) absorb(c, c.job.take());
            }
            json(ctx, 200, response(req, choices, id, created, null));
        }
    }

    /** A generation by a backend that is not batched, as the events a job would have sent. */
    private Job remote(String prompt, SamplerSettings s, int maxTokens, List<String> stops) {
        if (stops.size() > 1) throw ApiError.invalid("stop", "this server's backend takes one stop sequence");
        String stop = stops.isEmpty() ? null : stops.getFirst();
        Generation g = s.greedy() ? backend.generate(prompt, maxTokens, stop)
                : backend.sample(prompt, 1, s.temperature(), maxTokens, stop, s.seed()).getFirst();
        List<Job.Event> events = new ArrayList<>();
        for (TokenSignal t : g.tokens()) events.add(new Job.Token(t, true, ""));
        events.add(new Job.Done(g.tokens().size() >= maxTokens ? "length" : "stop", g.reusedTokens() + g.prefilledTokens(),
                g.reusedTokens(), g.tokens().size(), g.text()));
        return Job.completed(events);
    }

    /** Folds one event into its choice; returns the token event (for streaming) or null. */
    private static Job.Token absorb(Choice c, Job.Event e) {
        switch (e) {
            case Job.Token t -> {
                if (t.included()) c.tokens.add(t.signal());
                c.text.append(t.text());
                return t;
            }
            case Job.Done d -> {
                c.text.append(d.tail());
                c.finish = d.finishReason();
                c.generated = d.generated();
                return null;
            }
            case Job.Failed f -> throw f.error();
        }
    }

    private void streamPlain(Context ctx, ChatRequest req, CancelToken cancel, List<Choice> choices, String id, long created) {
        Sse sse = openStream(ctx, cancel);
        if (req.chat()) for (Choice c : choices) sse.data(Json.write(chatChunk(id, created, c.index, roleDelta(), null, null)));
        if (req.echo()) {
            // the prompt first, as one chunk per choice (with the prompt's logprobs), then the generated tokens
            for (Choice c : choices) {
                ObjectNode lp = req.logprobs() >= 0 ? Json.completionLogprobs(c.echoed, List.of(), req.logprobs(), c.echoedLength) : null;
                sse.data(Json.write(completionChunk(id, created, c.index, c.text.toString(), lp, null)));
                if (c.finish != null) sendFinal(sse, req, id, created, c, "", null);
            }
        }
        int open = (int) choices.stream().filter(c -> c.finish == null).count();
        while (open > 0 && !sse.broken()) {
            for (Choice c : choices) {
                if (c.finish != null) continue;
                Job.Event e = c.job.poll(open == 1 ? 250 : 10);
                while (e != null && !sse.broken()) {
                    Job.Token t;
                    try {
                        t = absorb(c, e);
                    } catch (CancelledException ce) {
                        return;
                    } catch (RuntimeException re) {
                        sse.data(Json.write(Json.error(new ApiError(500, "server_error", null, null, "generation failed: " + re.getMessage()))));
                        return;
                    }
                    if (t != null) sendToken(sse, req, id, created, c, t);
                    if (c.finish != null) {
                        open--;
                        String tail = e instanceof Job.Done d ? d.tail() : "";
                        sendFinal(sse, req, id, created, c, tail, null);
                        break;
                    }
                    e = c.job.poll(0);
                }
            }
            sse.ping(1000);
        }
        if (sse.broken()) return;
        if (req.includeUsage()) sse.data(Json.write(usageChunk(req, id, created, choices)));
        sse.done();
    }

    private void sendToken(Sse sse, ChatRequest req, String id, long created, Choice c, Job.Token t) {
        boolean withLp = req.logprobs() >= 0 && t.included();
        if (t.text().isEmpty() && !withLp) return;
        if (req.chat()) {
            ObjectNode delta = Json.object().put("content", t.text());
            ObjectNode lp = null;
            if (withLp) {
                lp = Json.object();
                lp.putArray("content").add(Json.chatToken(tok, t.signal(), req.logprobs()));
                lp.putNull("refusal");
            }
            sse.data(Json.write(chatChunk(id, created, c.index, delta, lp, null)));
        } else {
            int at = c.text.codePointCount(0, c.text.length()) - t.text().codePointCount(0, t.text().length());
            ObjectNode lp = withLp ? Json.completionLogprobs(List.of(), List.of(t.signal()), req.logprobs(), at) : null;
            sse.data(Json.write(completionChunk(id, created, c.index, t.text(), lp, null)));
        }
    }

    private void sendFinal(Sse sse, ChatRequest req, String id, long created, Choice c, String tail, ObjectNode ponder) {
        if (req.chat()) {
            if (!tail.isEmpty()) sse.data(Json.write(chatChunk(id, created, c.index, Json.object().put("content", tail), null, null)));
            ObjectNode chunk = chatChunk(id, created, c.index, Json.object(), null, c.finish);
            if (ponder != null) chunk.set("ponder", ponder);
            sse.data(Json.write(chunk));
        } else {
            if (!tail.isEmpty()) sse.data(Json.write(completionChunk(id, created, c.index, tail, null, null)));
            sse.data(Json.write(completionChunk(id, created, c.index, "", null, c.finish)));
        }
    }

    private String chatPrompt(ChatRequest req) {
        if (template == null) {
            String q = req.lastUserMessage();
            if (q == null) throw ApiError.invalid("messages", "messages must include a user message");
            return format.prompt(q, List.of(), "");
        }
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (ChatRequest.Message m : req.messages()) {
            msgs.add(Map.of("role", m.role().equals("developer") ? "system" : m.role(), "content", m.content()));
        }
        try {
            return template.render(msgs, null, true, Map.of());
        } catch (RuntimeException e) {
            throw ApiError.invalid("messages", "the model's chat template refused the messages: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- slow thinking

    private void ponder(Context ctx, ChatRequest req, CancelToken cancel) {
        String question = req.lastUserMessage();
        if (question == null || question.isBlank()) throw ApiError.invalid("messages", "slow thinking needs a user message (the question)");
        question = question.strip();
        ChatRequest.PonderOptions po = req.ponder();
        Budget b = options.budget();
        int pauses = po != null && po.pauses() != null ? po.pauses() : b.maxPauses();
        int answerTokens = Math.min(req.maxTokens(), Math.max(b.maxAnswerTokens(), 1));
        Budget budget = new Budget(pauses, b.passagesPerPause(), b.maxEvidenceTokens(), b.maxNanos(), answerTokens);
        Backend be = batching != null ? batching.cancellable(cancel) : backend;
        Drafter drafter = new Drafter(be, format, options.calibration(), budget);
        if (po == null || po.tools()) drafter = drafter.withTools(tools);
        boolean answerAnyway = po != null && po.answerWhenUnsure();
        Method controller = method(question, drafter, po == null ? null : po.search(), answerAnyway, cancel);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        int promptTokens = be.countTokens(format.prompt(question, List.of(), ""));
        if (!req.stream()) {
            Result r = answer(controller, question, e -> {});
            List<TokenSignal> tokens = answerTokens(r);
            Choice c = new Choice(0, null, promptTokens);
            c.text.append(r.answer());
            c.finish = "stop";
            c.generated = r.generatedTokens();
            if (tokens != null) c.tokens.addAll(tokens);
            ObjectNode out = response(req, List.of(c), id, created, ponderObject(r));
            if (tokens == null && req.logprobs() >= 0) ((ObjectNode) out.get("choices").get(0)).putNull("logprobs");
            json(ctx, 200, out);
            return;
        }
        Sse sse = openStream(ctx, cancel);
        sse.data(Json.write(chatChunk(id, created, 0, roleDelta(), null, null)));
        Result r;
        try {
            r = answer(controller, question, e -> {
                if (!sse.comment("ponder " + Trace.toJson(e))) throw new CancelledException();
            });
        } catch (CancelledException e) {
            return;
        }
        Choice c = new Choice(0, null, promptTokens);
        c.finish = "stop";
        c.generated = r.generatedTokens();
        List<TokenSignal> tokens = answerTokens(r);
        if (tokens == null || r.abstained()) {
            sse.data(Json.write(chatChunk(id, created, 0, Json.object().put("content", r.answer()), null, null)));
        } else {
            List<String> pieces = answerPieces(tokens, r.answer());
            for (int i = 0; i < tokens.size(); i++) {
                c.tokens.add(tokens.get(i));
                sendToken(sse, req, id, created, c, new Job.Token(tokens.get(i), true, pieces.get(i)));
            }
        }
        c.text.append(r.answer());
        sendFinal(sse, req, id, created, c, "", ponderObject(r));
        if (req.includeUsage()) sse.data(Json.write(usageChunk(req, id, created, List.of(c))));
        sse.done();
    }

    /**
     * How to answer {@code question}: a countdown puzzle (a question the world's checker can verify) is drafted
     * and, when the draft does not verify, searched ({@link SearchMethod}, as {@code ponder ask}); any other
     * question goes to {@link Ponder}'s controller over the library. {@code search} is the request's choice
     * ({@code mcts}, {@code beam}, {@code none}; null: {@code mcts} when the engine is embedded, else none).
     */
    private Method method(String question, Drafter drafter, String search, boolean answerAnyway, CancelToken cancel) {
        boolean embedded = batching != null;
        if (search != null && !search.equals("none") && !embedded) {
            throw ApiError.invalid("ponder.search", "search needs the embedded engine (this server's backend is " + backend.name() + ")");
        }
        String algorithm = search != null ? search : embedded ? "mcts" : "none";
        Optional<CountdownVerifier> checkable = algorithm.equals("none") ? Optional.empty() : CountdownVerifier.forQuestion(question);
        if (checkable.isEmpty()) return new Ponder(drafter, library, answerAnyway ? Ponder.Mode.ANSWER : Ponder.Mode.ABSTAIN);
        SharedSearchModel sm = new SharedSearchModel(batching, cancel);
        Search searcher = algorithm.equals("beam")
                ? new BeamSearch(sm, BeamSearch.Settings.defaults().withWidth(SearchEval.beamWidth(options.searchNodes(), SEARCH_DEPTH)))
                : new Mcts(sm, Mcts.Settings.defaults());
        return new SearchMethod(drafter, searcher, q -> checkable.map(v -> (Verifier) v),
                SearchBudget.nodes(options.searchNodes()).withMaxNanos(options.budget().maxNanos()), answerAnyway);
    }

    /**
     * Answers with {@code method}, handing each trace event to {@code onEvent}: as it happens with {@link Ponder},
     * all at the end with another method (a search's events arrive when it is done).
     */
    private static Result answer(Method method, String question, java.util.function.Consumer<TraceEvent> onEvent) {
        if (method instanceof Ponder p) return p.answer(question, onEvent);
        Result r = method.answer(question);
        for (TraceEvent e : r.trace().events()) onEvent.accept(e);
        return r;
    }

    /**
     * The tokens of the final answer: the tokens of the first draft, and at each rollback the kept ones followed
     * by the new draft's. Null when abstained or when the tokens do not spell the answer.
     */
    private static List<TokenSignal> answerTokens(Result r) {
        if (r.abstained()) return null;
        List<TraceEvent.Draft> drafts = r.trace().of(TraceEvent.Draft.class);
        List<TraceEvent.Rollback> rollbacks = r.trace().of(TraceEvent.Rollback.class);
        if (drafts.isEmpty()) return null;
        List<TraceEvent.Token> cur = new ArrayList<>(drafts.getFirst().tokens());
        for (int i = 1; i < drafts.size(); i++) {
            TraceEvent.Draft d = drafts.get(i);
            int from = rollbacks.stream().filter(rb -> rb.pause() == d.pause()).mapToInt(TraceEvent.Rollback::fromToken).findFirst().orElse(0);
            cur = new ArrayList<>(cur.subList(0, Math.min(from, cur.size())));
            cur.addAll(d.tokens());
        }
        StringBuilder sb = new StringBuilder();
        List<TokenSignal> out = new ArrayList<>();
        for (TraceEvent.Token t : cur) {
            sb.append(t.text());
            List<dev.ponder.engine.sampling.TokenProb> alts = new ArrayList<>();
            for (TraceEvent.Alt a : t.top()) alts.add(new dev.ponder.engine.sampling.TokenProb(-1, a.text(), Math.log(a.prob())));
            out.add(new TokenSignal(-1, t.text(), Math.log(t.prob()), t.entropy(), t.varentropy(),
                    alts.isEmpty() ? t.prob() : alts.getFirst().prob(), t.margin(), alts));
        }
        return sb.toString().strip().equals(r.answer()) ? out : null;
    }

    /** Each token's share of the answer text (the joined tokens with surrounding whitespace removed). */
    private static List<String> answerPieces(List<TokenSignal> tokens, String answer) {
        StringBuilder all = new StringBuilder();
        for (TokenSignal t : tokens) all.append(t.text());
        int lead = all.indexOf(answer);
        List<String> out = new ArrayList<>();
        int pos = 0;
        for (TokenSignal t : tokens) {
            int s = Math.max(pos, lead), e = Math.min(pos + t.text().length(), lead + answer.length());
            out.add(e > s ? all.substring(s, e) : "");
            pos += t.text().length();
        }
        return out;
    }

    private static ObjectNode ponderObject(Result r) {
        ObjectNode p = Json.object();
        p.put("confidence", r.confidence());
        p.put("abstained", r.abstained());
        p.put("pauses", r.pauses());
        p.put("retrievals", r.retrievals());
        ArrayNode trace = p.putArray("trace");
        for (TraceEvent e : r.trace().events()) {
            try {
                trace.add(Json.MAPPER.readTree(Trace.toJson(e)));
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- response shapes

    private ObjectNode response(ChatRequest req, List<Choice> choices, String id, long created, ObjectNode ponder) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("object", req.chat() ? "chat.completion" : "text_completion");
        o.put("created", created);
        o.put("model", options.modelName());
        ArrayNode arr = o.putArray("choices");
        int prompt = 0, completion = 0;
        List<Integer> seenPrompts = new ArrayList<>();
        for (Choice c : choices) {
            ObjectNode ch = arr.addObject();
            ch.put("index", c.index);
            if (req.chat()) {
                ObjectNode m = ch.putObject("message");
                m.put("role", "assistant");
                m.put("content", c.text.toString());
                m.putNull("refusal");
                if (req.logprobs() >= 0) {
                    ObjectNode lp = ch.putObject("logprobs");
                    ArrayNode content = lp.putArray("content");
                    for (TokenSignal s : c.tokens) content.add(Json.chatToken(tok, s, req.logprobs()));
                    lp.putNull("refusal");
                } else ch.putNull("logprobs");
            } else {
                ch.put("text", c.text.toString());
                if (req.logprobs() >= 0) ch.set("logprobs", Json.completionLogprobs(c.echoed, c.tokens, req.logprobs(), c.echoedLength));
                else ch.putNull("logprobs");
            }
            ch.put("finish_reason", c.finish);
            int promptIndex = req.n() == 0 ? 0 : c.index / req.n();
            if (!seenPrompts.contains(promptIndex)) {
                seenPrompts.add(promptIndex);
                prompt += c.promptTokens;
            }
            completion += c.generated;
        }
        o.set("usage", Json.usage(prompt, completion));
        if (ponder != null) o.set("ponder", ponder);
        return o;
    }

    private ObjectNode usageChunk(ChatRequest req, String id, long created, List<Choice> choices) {
        ObjectNode o = response(req, List.of(), id, created, null);
        int prompt = 0, completion = 0;
        List<Integer> seen = new ArrayList<>();
        for (Choice c : choices) {
            if (!seen.contains(c.index / req.n())) {
                seen.add(c.index / req.n());
                prompt += c.promptTokens;
            }
            completion += c.generated;
        }
        o.put("object", req.chat() ? "chat.completion.chunk" : "text_completion");
        o.set("usage", Json.usage(prompt, completion));
        return o;
    }

    private static ObjectNode roleDelta() {
        return Json.object().put("role", "assistant").put("content", "");
    }

    private ObjectNode chatChunk(String id, long created, int index, ObjectNode delta, ObjectNode logprobs, String finish) {
        ObjectNode o = chunk(id, "chat.completion.chunk", created);
        ObjectNode c = o.putArray("choices").addObject().put("index", index);
        c.set("delta", delta);
        finish(c, logprobs, finish);
        return o;
    }

    private ObjectNode completionChunk(String id, long created, int index, String text, ObjectNode logprobs, String finish) {
        ObjectNode o = chunk(id, "text_completion", created);
        finish(o.putArray("choices").addObject().put("index", index).put("text", text), logprobs, finish);
        return o;
    }

    /** A streamed chunk's envelope: id, object, created, model. */
    private ObjectNode chunk(String id, String object, long created) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("object", object);
        o.put("created", created);
        o.put("model", options.modelName());
        return o;
    }

    /** Ends a chunk's choice with its logprobs (or null) and finish reason. */
    private static void finish(ObjectNode choice, ObjectNode logprobs, String finish) {
        if (logprobs != null) choice.set("logprobs", logprobs);
        else choice.putNull("logprobs");
        choice.put("finish_reason", finish);
    }

    // ---------------------------------------------------------------- HTTP plumbing

    private Sse openStream(Context ctx, CancelToken cancel) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        try {
            OutputStream out = ctx.res().getOutputStream();
            return new Sse(out, cancel, ctx.attribute(RELEASE));
        } catch (IOException e) {
            cancel.cancel();
            throw new CancelledException();
        }
    }

    /** Reads the body as JSON: over the size limit is 413, malformed JSON is 400. */
    private JsonNode readJson(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > options.maxBody()) throw tooLarge();
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            int n;
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
                if (buf.size() > options.maxBody()) throw tooLarge();
            }
            body = buf.toByteArray();
        } catch (IOException e) {
            throw ApiError.invalid(null, "cannot read the request body: " + e.getMessage());
        }
        if (body.length == 0) throw ApiError.invalid(null, "the request body is empty (expected JSON)");
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new ApiError(400, "invalid_request_error", null, "invalid_json", "the request body is not valid JSON: " + msg);
        }
    }

    private ApiError tooLarge() {
        return new ApiError(413, "invalid_request_error", null, "request_too_large",
                "the request body is larger than this server's limit of " + options.maxBody() + " bytes");
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
