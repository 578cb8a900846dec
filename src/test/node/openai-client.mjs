// Drives `ponder serve` with the official `openai` npm package, unchanged, and checks what it gets back.
//
//   PONDER_BASE_URL   the API root, e.g. http://127.0.0.1:8080/v1
//   PONDER_API_KEY    the server's key
//   PONDER_MODEL      the model id the server shows (default: ponder-nano)
//   PONDER_QUESTION   the question asked (default: When was Lurku Pikirken born?)
//   PONDER_EXPECTED   optional: the greedy answer to the world-format question, which chat (for a model without a
//                     chat template) and the completion must both give; the test computes it with the engine
//
// Prints one line per check and exits 1 on the first mismatch (2 on a usage error).
import OpenAI from "openai";

const baseURL = process.env.PONDER_BASE_URL;
const apiKey = process.env.PONDER_API_KEY;
const model = process.env.PONDER_MODEL ?? "ponder-nano";
const expected = process.env.PONDER_EXPECTED;
if (!baseURL || !apiKey) {
  console.error("openai-client: set PONDER_BASE_URL and PONDER_API_KEY");
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const question = process.env.PONDER_QUESTION ?? "When was Lurku Pikirken born?";
const messages = [{ role: "user", content: question }];

function check(ok, what, detail) {
  if (!ok) throw new Error(`${what}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`);
}

function isLogprobEntry(e, top) {
  return typeof e?.token === "string" && typeof e.logprob === "number" && e.logprob <= 0
    && Array.isArray(e.bytes) && Array.isArray(e.top_logprobs) && e.top_logprobs.length === top
    && e.top_logprobs.every((t) => typeof t.token === "string" && typeof t.logprob === "number" && t.logprob <= 0);
}

const checks = {
  async models() {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    check(ids.includes(model), `models.list() lacks ${model}`, ids);
    return ids.join(",");
  },

  async chat() {
    const r = await client.chat.completions.create({ model, messages, temperature: 0, max_tokens: 16 });
    const c = r.choices[0];
    check(r.object === "chat.completion", "object", r.object);
    check(c.message.role === "assistant", "role", c.message.role);
    check(typeof c.message.content === "string" && c.message.content.trim().length > 0, "empty answer", c.message.content);
    check(["stop", "length"].includes(c.finish_reason), "finish_reason", c.finish_reason);
    check(r.usage.total_tokens === r.usage.prompt_tokens + r.usage.completion_tokens && r.usage.completion_tokens > 0, "usage", r.usage);
    if (expected !== undefined) check(c.message.content === expected, "answer differs from the engine's greedy text", { got: c.message.content, expected });
    this.text = c.message.content;
    return JSON.stringify(c.message.content);
  },

  async streaming() {
    const stream = await client.chat.completions.create({
      model, messages, temperature: 0, max_tokens: 16, stream: true, stream_options: { include_usage: true },
    });
    let text = "", chunks = 0, finish = null, usage = null, role = null;
    for await (const chunk of stream) {
      chunks++;
      check(chunk.object === "chat.completion.chunk", "chunk object", chunk.object);
      if (chunk.usage) usage = chunk.usage;
      for (const ch of chunk.choices) {
        role ??= ch.delta.role ?? null;
        text += ch.delta.content ?? "";
        if (ch.finish_reason) finish = ch.finish_reason;
      }
    }
    check(role === "assistant", "no assistant role delta", role);
    check(finish !== null, "no finish_reason in the stream");
    check(usage !== null && usage.completion_tokens > 0, "no usage chunk", usage);
    check(text === this.text, "streamed text differs from the non-streamed text", { streamed: text, whole: this.text });
    return `${chunks} chunks, ${JSON.stringify(text)}`;
  },

  async chatLogprobs() {
    const r = await client.chat.completions.create({
      model, messages, temperature: 0, max_tokens: 16, logprobs: true, top_logprobs: 3,
    });
    const c = r.choices[0];
    const content = c.logprobs?.content;
    check(Array.isArray(content) && content.length > 0, "no logprobs.content", c.logprobs);
    for (const e of content) check(isLogprobEntry(e, 3), "malformed logprob entry", e);
    for (const e of content) check(e.top_logprobs[0].logprob >= e.logprob - 1e-6, "greedy token is not the top one", e);
    check(content.map((e) => e.token).join("") === c.message.content, "logprob tokens do not spell the answer",
      { tokens: content.map((e) => e.token), content: c.message.content });
    check(c.message.content === this.text, "logprobs changed the answer", c.message.content);
    return `${content.length} tokens, first ${JSON.stringify(content[0].token)} p=${Math.exp(content[0].logprob).toFixed(3)}`;
  },

  async completionLogprobs() {
    const prompt = `Question: ${question}\nAnswer:`;
    const r = await client.completions.create({ model, prompt, temperature: 0, max_tokens: 8, logprobs: 2, stop: ["\n"] });
    const c = r.choices[0];
    check(r.object === "text_completion", "object", r.object);
    const lp = c.logprobs;
    check(lp && Array.isArray(lp.tokens) && lp.tokens.length > 0, "no logprobs", lp);
    const n = lp.tokens.length;
    check(lp.token_logprobs.length === n && lp.top_logprobs.length === n && lp.text_offset.length === n, "logprobs arrays differ in length", lp);
    let offset = 0;
    for (let i = 0; i < n; i++) {
      check(lp.text_offset[i] === offset, "text_offset", { i, offsets: lp.text_offset });
      offset += lp.tokens[i].length;
      check(lp.token_logprobs[i] <= 0, "token_logprob > 0", lp.token_logprobs[i]);
      check(Object.keys(lp.top_logprobs[i]).length === 2, "top_logprobs size", lp.top_logprobs[i]);
    }
    check(lp.tokens.join("") === c.text, "tokens do not spell the text", { tokens: lp.tokens, text: c.text });
    // a model without a chat template chats in the world's Question/Answer format: the same greedy answer
    if (expected !== undefined) check(c.text === expected, "completion and chat answers differ", { completion: c.text, chat: expected });
    return `${n} tokens, ${JSON.stringify(c.text)}`;
  },

  async errors() {
    try {
      await new OpenAI({ baseURL, apiKey: "wrong", maxRetries: 0 }).models.list();
    } catch (e) {
      check(e instanceof OpenAI.AuthenticationError && e.status === 401, "a wrong key is not an AuthenticationError", String(e));
      try {
        await client.chat.completions.create({ model, messages, max_tokens: 100000 });
      } catch (e2) {
        check(e2 instanceof OpenAI.BadRequestError && typeof e2.message === "string", "an oversized max_tokens is not a BadRequestError", String(e2));
        return `401 ${e.constructor.name}, 400 ${e2.constructor.name}: ${e2.message}`;
      }
      throw new Error("max_tokens 100000 was accepted");
    }
    throw new Error("a wrong API key was accepted");
  },
};

const state = {};
let failed = false;
for (const [name, fn] of Object.entries(checks)) {
  try {
    console.log(`ok   ${name}: ${await fn.call(state)}`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e?.message ?? e}`);
    failed = true;
    break;
  }
}
process.exit(failed ? 1 : 0);
