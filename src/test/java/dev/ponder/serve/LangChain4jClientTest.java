package dev.ponder.serve;

import static org.junit.jupiter.api.Assertions.*;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.ponder.engine.model.Model;
import dev.ponder.eval.WorldFormat;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import dev.ponder.think.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI module, unchanged, against {@code ponder serve} in-process: chat, logprobs and streaming. */
class LangChain4jClientTest {
    static final String KEY = "lc4j-key";
    static final String QUESTION = "When was Lurku Pikirken born?";

    static Model model;
    static BatchingBackend batching;
    static PonderServer server;
    static String base;
    /** The engine's greedy answer in the world's Question/Answer format, which chat uses for this model. */
    static String expected;

    @BeforeAll
    static void start() {
        model = Model.load(Path.of("models/ponder-nano.gguf"));
        assertNull(model.gguf().getString("tokenizer.chat_template", null), "this test expects a model that chats in the world's format");
        try (Model own = Model.load(Path.of("models/ponder-nano.gguf")); EmbeddedBackend eb = new EmbeddedBackend(own, "nano")) {
            expected = eb.generate(new WorldFormat().prompt(QUESTION, List.of(), ""), 16, "\n").text();
        }
        assertFalse(expected.isBlank());
        batching = new BatchingBackend(model, "nano", 4, 16);
        server = new PonderServer(batching, null, new PonderServer.Options("ponder-nano", KEY, 1 << 20, 512, 8,
                Calibration.fallback(), Budget.defaults())).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port() + "/v1";
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (batching != null) batching.close();
        if (model != null) model.close();
    }

    @Test
    void chatModelAnswersWithTheEnginesGreedyText() {
        OpenAiChatModel chat = OpenAiChatModel.builder().baseUrl(base).apiKey(KEY).modelName("ponder-nano")
                .temperature(0.0).maxTokens(16).logprobs(true).topLogprobs(2).maxRetries(0).timeout(Duration.ofSeconds(60)).build();
        ChatResponse r = chat.chat(UserMessage.from(QUESTION));
        assertEquals(expected, r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals("ponder-nano", r.modelName());
        assertTrue(r.tokenUsage().outputTokenCount() > 0 && r.tokenUsage().inputTokenCount() > 0, String.valueOf(r.tokenUsage()));
        List<LogProb> lps = ((OpenAiChatResponseMetadata) r.metadata()).logProbs();
        assertNotNull(lps, "logprobs missing from the response metadata");
        StringBuilder spelled = new StringBuilder();
        for (LogProb lp : lps) {
            spelled.append(lp.token());
            assertTrue(lp.logprob() <= 0, lp.toString());
            assertEquals(2, lp.topLogprobs().size(), lp.toString());
        }
        assertEquals(expected, spelled.toString());
        // the plain-string convenience call gives the same answer
        assertEquals(expected, chat.chat(QUESTION));
    }

    @Test
    void streamingChatModelStreamsTheSameAnswer() throws Exception {
        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().baseUrl(base).apiKey(KEY).modelName("ponder-nano")
                .temperature(0.0).maxTokens(16).timeout(Duration.ofSeconds(60)).build();
        StringBuilder partial = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat(List.of(UserMessage.from(QUESTION)), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                synchronized (partial) {
                    partial.append(text);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(60, TimeUnit.SECONDS);
        synchronized (partial) {
            assertEquals(expected, partial.toString(), "the concatenated partial responses");
        }
        assertEquals(expected, r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
    }

    @Test
    void serverErrorsReachTheCaller() {
        OpenAiChatModel wrongKey = OpenAiChatModel.builder().baseUrl(base).apiKey("wrong").modelName("ponder-nano").maxRetries(0).build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> wrongKey.chat(QUESTION));
        assertTrue(String.valueOf(e.getMessage()).contains("incorrect API key"), String.valueOf(e));
    }
}
