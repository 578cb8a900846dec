package dev.ponder.serve;

import java.util.List;

/**
 * A validated {@code /v1/completions} or {@code /v1/chat/completions} request.
 *
 * @param chat true for chat completions
 * @param prompts the prompts (completions; one choice set per prompt), empty for chat
 * @param messages the conversation (chat), empty for completions
 * @param maxTokens tokens to generate at most per choice
 * @param temperature sampling temperature (0: greedy)
 * @param topP nucleus mass (1: off)
 * @param seed RNG seed (random when the request gives none)
 * @param stops stop strings (at most 4)
 * @param n choices per prompt
 * @param stream answer as server-sent events
 * @param includeUsage send a usage chunk before {@code [DONE]} when streaming
 * @param logprobs completions: alternatives per token (-1: no logprobs); chat: 0 or more when logprobs is true, -1 when false
 * @param ignoreEos keep going past end-of-generation tokens (llama.cpp's {@code ignore_eos})
 * @param echo completions: the choice's text starts with its prompt, and its logprobs cover the prompt's tokens first
 *             (then {@code maxTokens} may be 0: the prompt alone is scored)
 * @param ponder slow-thinking settings (chat only; null: server default)
 */
public record ChatRequest(boolean chat, List<String> prompts, List<Message> messages, int maxTokens, double temperature,
                          double topP, long seed, List<String> stops, int n, boolean stream, boolean includeUsage,
                          int logprobs, boolean ignoreEos, boolean echo, PonderOptions ponder) {
    /** A chat message with its content as text. */
    public record Message(String role, String content) {}

    /**
     * The {@code ponder} request object.
     *
     * @param enabled slow thinking on (null: on when the server has a library)
     * @param pauses pauses at most (null: default)
     * @param answerWhenUnsure {@code mode: "answer"} (else abstain when unsure)
     * @param tools drafts run the model's inline tool calls with the built-in tools ({@code "tools": false}: off)
     * @param search how a checkable (countdown) question whose draft does not verify is searched: {@code mcts},
     *               {@code beam} or {@code none} (null: the server's default, as {@code ponder ask})
     */
    public record PonderOptions(Boolean enabled, Integer pauses, boolean answerWhenUnsure, boolean tools, String search) {
        /** Settings with tools on and the default search. */
        public PonderOptions(Boolean enabled, Integer pauses, boolean answerWhenUnsure) {
            this(enabled, pauses, answerWhenUnsure, true, null);
        }
    }

    /** The content of the last user message. */
    public String lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) if (messages.get(i).role().equals("user")) return messages.get(i).content();
        return null;
    }
}
