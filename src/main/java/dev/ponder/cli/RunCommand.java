package dev.ponder.cli;

import dev.ponder.chat.ChatTemplate;
import dev.ponder.engine.PonderException;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.sampling.Sampler;
import dev.ponder.engine.sampling.SamplerSettings;
import dev.ponder.engine.sampling.TokenProb;
import dev.ponder.engine.tokenizer.StreamDecoder;
import dev.ponder.engine.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponder run}: generates a continuation of a prompt, streaming the text and reporting speed. With
 * {@code --logprobs} each token is shown with its probability and the top alternatives; with {@code --json}
 * every generated token is one JSON line {@code {"id":…,"text":…,"logprob":…,"top":[[id,logprob],…]}}.
 * Logprobs are always the plain softmax of the model's logits, whatever sampler chose the token.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Generate text from a prompt.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "GGUF model file.")
    Path model;

    @Option(names = {"-p", "--prompt"}, required = true, description = "Prompt text.")
    String prompt;

    @Option(names = "--chat", description = "Wrap the prompt as a user message with the model's chat template.")
    boolean chat;

    @Option(names = "--system", description = "System message (with --chat).")
    String system;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "128", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temp", defaultValue = "0", description = "Temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k-sampling", defaultValue = "0", description = "Sample from the k most likely tokens (0 = off).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus sampling mass (1 = off).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0", description = "Drop tokens below min-p × p(top) (0 = off).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1", description = "Repetition penalty (1 = off).")
    float repeatPenalty;

    @Option(names = "--seed", defaultValue = "42", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--logprobs", description = "Show each token's probability and its top alternatives.")
    boolean logprobs;

    @Option(names = "--json", description = "One JSON object per generated token and line.")
    boolean json;

    @Option(names = "--top-k", defaultValue = "5", description = "Alternatives shown with --logprobs/--json (default: ${DEFAULT-VALUE}).")
    int topAlternatives;

    @Override
    public Integer call() {
        if (maxTokens < 0) throw new PonderException("-n must not be negative");
        if (topAlternatives < 0) throw new PonderException("--top-k must not be negative");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Model m = Model.load(model)) {
            Tokenizer tok = m.tokenizer();
            if (tok == null) throw new PonderException(model.getFileName() + " has no tokenizer (tokenizer.ggml.* metadata)");
            int[] ids = promptIds(m, tok);
            Sampler sampler = new Sampler(new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, 64, seed));
            Sequence seq = m.newSequence();
            long t0 = System.nanoTime();
            Distribution d = m.prefill(seq, ids);
            long t1 = System.nanoTime();
            int generated = 0;
            StreamDecoder stream = tok.streamDecoder(false);
            for (int i = 0; i < maxTokens; i++) {
                int id = sampler.sample(d, seq.tokens());
                if (tok.isEog(id)) break;
                generated++;
                if (json) {
                    out.println(jsonLine(id, tok, d));
                } else if (logprobs) {
                    out.println(logprobLine(id, tok, d));
                } else {
                    out.print(stream.push(id)); // holds back a UTF-8 character split across tokens
                    out.flush();
                }
                if (i + 1 < maxTokens) d = m.decode(seq, id);
            }
            long t2 = System.nanoTime();
            if (!json && !logprobs) out.println(stream.flush());
            double pre = (t1 - t0) / 1e9, dec = (t2 - t1) / 1e9;
            System.err.printf(Locale.ROOT, "[prompt %d tokens, %.1f tok/s | generated %d tokens, %.1f tok/s]%n",
                    ids.length, ids.length / pre, generated, generated == 0 ? 0 : generated / dec);
        }
        return 0;
    }

    private int[] promptIds(Model m, Tokenizer tok) {
        if (!chat) return tok.encode(prompt, tok.addsBos(), false);
        String template = m.gguf().getString("tokenizer.chat_template", null);
        if (template == null) throw new PonderException("--chat: the model has no tokenizer.chat_template");
        String bos = tok.bos() >= 0 ? tok.tokenText(tok.bos()) : "";
        String eos = tok.eos() >= 0 ? tok.tokenText(tok.eos()) : "";
        List<Map<String, Object>> messages = new ArrayList<>();
        if (system != null) messages.add(Map.of("role", "system", "content", system));
        messages.add(Map.of("role", "user", "content", prompt));
        String text = new ChatTemplate(template, bos, eos).render(messages, null, true, Map.of());
        boolean addBos = tok.addsBos() && !(bos.length() > 0 && text.startsWith(bos));
        return tok.encode(text, addBos, true);
    }

    String jsonLine(int id, Tokenizer tok, Distribution d) {
        StringBuilder b = new StringBuilder();
        b.append("{\"id\":").append(id).append(",\"text\":").append(Json.quote(tok.tokenText(id)))
                .append(",\"logprob\":").append(fmt(d.logprob(id))).append(",\"top\":[");
        List<TokenProb> top = d.top(topAlternatives);
        for (int i = 0; i < top.size(); i++) {
            if (i > 0) b.append(',');
            b.append('[').append(top.get(i).id()).append(',').append(fmt(top.get(i).logprob())).append(']');
        }
        return b.append("]}").toString();
    }

    String logprobLine(int id, Tokenizer tok, Distribution d) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-16s p=%.4f", Json.quote(tok.tokenText(id)), d.prob(id)));
        for (TokenProb t : d.top(topAlternatives))
            if (t.id() != id) b.append(String.format(Locale.ROOT, "  %s %.4f", Json.quote(tok.tokenText(t.id())), t.prob()));
        return b.toString();
    }

    private static String fmt(double v) {
        return Double.toString(v);
    }
}
