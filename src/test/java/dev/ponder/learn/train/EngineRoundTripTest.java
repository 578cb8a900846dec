package dev.ponder.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.gguf.GGUFFile;
import dev.ponder.engine.kv.KVCache;
import dev.ponder.engine.kv.KVPrecision;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained here, exported, and run by Ponder's inference engine (with an f32 KV cache): the engine's
 * next-token logprobs must equal the trainer's own forward pass (F32), and stay close after Q8_0 export. Covers GQA, tied and untied
 * output.
 */
class EngineRoundTripTest {
    @Test
    void engineReproducesTheTrainersDistributions(@TempDir Path dir) throws Exception {
        for (boolean tied : new boolean[] {true, false}) {
            LlamaConfig c = new LlamaConfig(64, 2, 4, 2, 96, ByteVocab.SIZE, 64, 10000f, 1e-5f, tied);
            int[] text = ByteVocab.encode("one two three four five six seven eight nine ten. ".repeat(20).getBytes());
            Trainer t = new Trainer(new LlamaWeights(c).initialize(5), TrainConfig.defaults(25).withLr(3e-3f, 3e-4f));
            TokenStream data = new TokenStream(text, 4, 32, 1);
            for (int i = 0; i < 25; i++) t.step(data);

            int seq = 24;
            int[] prompt = java.util.Arrays.copyOfRange(text, 3, 3 + seq);
            float[] ours = t.model().logits(1, seq, prompt);
            Path f32 = dir.resolve("m" + tied + ".gguf"), q8 = dir.resolve("m" + tied + ".q8.gguf");
            LlamaGguf.export(t.weights(), "rt", ByteVocab.metadata(), GGMLType.F32, f32);
            LlamaGguf.export(t.weights(), "rt", ByteVocab.metadata(), GGMLType.Q8_0, q8);
            double f32Err = maxLogprobError(f32, prompt, ours, c.vocab());
            double q8Err = maxLogprobError(q8, prompt, ours, c.vocab());
            System.out.printf("engine round trip (%s): max |logprob| difference F32 %.2e, Q8_0 %.2e; Q8_0 file %.0f%% of F32%n",
                    tied ? "tied" : "untied", f32Err, q8Err, 100.0 * Files.size(q8) / Files.size(f32));
            assertTrue(f32Err < 1e-4, "F32 export must run identically in the engine, off by " + f32Err);
            assertTrue(q8Err < 0.05, "Q8_0 export should stay close, off by " + q8Err);
            try (GGUFFile g = GGUFFile.open(q8)) {
                assertEquals(7, g.getInt("general.file_type"));
                assertEquals(GGMLType.Q8_0, g.tensor("blk.0.ffn_down.weight").type());
                assertEquals(GGMLType.F32, g.tensor("blk.0.ffn_norm.weight").type());
            }
        }
    }

    /** Feeds {@code prompt} to the engine token by token and compares every next-token distribution with ours. */
    static double maxLogprobError(Path model, int[] prompt, float[] ours, int vocab) {
        double worst = 0;
        try (Model m = Model.load(model)) {
            // an f32 KV cache: the engine's default f16 cache imitates llama.cpp and would round keys and values
            KVCache cache = new KVCache(m.config().layers(), m.config().kvDim(), 16, KVPrecision.F32);
            Sequence s = cache.newSequence();
            Distribution d = m.prefill(s, new int[] {prompt[0]});
            for (int pos = 0; pos < prompt.length; pos++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int i = 0; i < vocab; i++) max = Math.max(max, ours[pos * vocab + i]);
                for (int i = 0; i < vocab; i++) sum += Math.exp(ours[pos * vocab + i] - max);
                double lse = max + Math.log(sum);
                for (int i = 0; i < vocab; i++) worst = Math.max(worst, Math.abs(d.logprob(i) - (ours[pos * vocab + i] - lse)));
                if (pos + 1 < prompt.length) d = m.decode(s, prompt[pos + 1]);
            }
            s.close();
        }
        return worst;
    }
}
