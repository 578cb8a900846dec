package dev.ponder.eval;

import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.tokenizer.StreamDecoder;
import dev.ponder.engine.tokenizer.Tokenizer;
import dev.ponder.learn.world.CalcTool;
import dev.ponder.learn.world.PromptFormat;
import dev.ponder.think.ToolPause;
import java.util.Optional;

/**
 * Fast mode: answers a world-format prompt in one greedy pass, no retrieval. The answer ends at the first
 * newline (or end of generation). With tools on, a calculator call the model writes ({@code <<calc …>>}) is
 * executed as soon as it is closed: the text is cut after the call, the exact result appended, and decoding
 * continues from there, reusing the KV cache of the prompt.
 */
public final class GreedyAnswerer {
    /** What one answer cost and produced. */
    public record Answer(String continuation, String answer, int generatedTokens, int toolCalls, long nanos) {}

    private final Model model;
    private final Tokenizer tok;
    private final int maxTokens;
    private final boolean tools;

    public GreedyAnswerer(Model model, Tokenizer tok, int maxTokens, boolean tools) {
        this.model = model;
        this.tok = tok;
        this.maxTokens = maxTokens;
        this.tools = tools;
    }

    /** The most likely token that does not extend the number a tool has just inserted ({@link ToolPause#extendsResult}). */
    static int firstNotExtending(Distribution d) {
        for (var t : d.top(64)) {
            String text = d.text(t.id());
            if (text.isEmpty() || !ToolPause.extendsResult(text.charAt(0))) return t.id();
        }
        return d.argmax();
    }

    public Answer answer(String prompt) {
        long t0 = System.nanoTime();
        int[] promptIds = tok.encode(prompt, tok.addsBos(), false);
        try (Sequence seq = model.newSequence()) {
            Distribution d = model.prefill(seq, promptIds);
            StringBuilder text = new StringBuilder();
            StreamDecoder stream = tok.streamDecoder(false);
            int generated = 0, calls = 0, scanFrom = 0;
            boolean afterResult = false;
            while (generated < maxTokens) {
                int id = afterResult ? firstNotExtending(d) : d.argmax();
                afterResult = false;
                if (tok.isEog(id)) break;
                generated++;
                text.append(stream.push(id));
                int nl = text.indexOf("\n");
                if (nl >= 0) {
                    text.setLength(nl);
                    break;
                }
                if (tools) {
                    Optional<CalcTool.Call> call = CalcTool.firstCall(text.toString(), scanFrom);
                    if (call.isPresent()) {
                        calls++;
                        text.setLength(call.get().end());
                        text.append(call.get().result());
                        scanFrom = text.length();
                        // re-decode from the prompt: the cut text plus the inserted result
                        seq.truncate(promptIds.length);
                        int[] cont = tok.encode(text.toString(), false, false);
                        d = model.prefill(seq, cont);
                        stream = tok.streamDecoder(false);
                        afterResult = true;
                        continue;
                    }
                }
                d = model.decode(seq, id);
            }
            text.append(stream.flush());
            String cont = text.toString();
            int nl = cont.indexOf('\n');
            if (nl >= 0) cont = cont.substring(0, nl);
            return new Answer(cont, PromptFormat.answerOf(cont), generated, calls, System.nanoTime() - t0);
        }
    }
}
