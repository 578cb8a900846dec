package dev.ponder.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import dev.ponder.engine.gguf.GGUFFile;
import dev.ponder.engine.gguf.TensorInfo;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaGgufTest {
    @Test
    void exportsLlamaCppNamesShapesAndMetadata(@TempDir Path dir) throws Exception {
        for (boolean tied : new boolean[] {true, false}) {
            LlamaConfig c = new LlamaConfig(32, 2, 4, 2, 64, ByteVocab.SIZE, 48, 5000f, 1e-6f, tied);
            LlamaWeights w = new LlamaWeights(c).initialize(3);
            Path p = dir.resolve("m" + tied + ".gguf");
            LlamaGguf.export(w, "tiny", ByteVocab.metadata(), GGMLType.F32, p);
            try (GGUFFile f = GGUFFile.open(p)) {
                assertEquals("llama", f.getString("general.architecture"));
                assertEquals("tiny", f.getString("general.name"));
                assertEquals(48, f.getInt("llama.context_length"));
                assertEquals(32, f.getInt("llama.embedding_length"));
                assertEquals(2, f.getInt("llama.block_count"));
                assertEquals(64, f.getInt("llama.feed_forward_length"));
                assertEquals(4, f.getInt("llama.attention.head_count"));
                assertEquals(2, f.getInt("llama.attention.head_count_kv"));
                assertEquals(5000f, f.getFloat("llama.rope.freq_base"));
                assertEquals(1e-6f, f.getFloat("llama.attention.layer_norm_rms_epsilon"));
                assertEquals(8, f.getInt("llama.rope.dimension_count"));
                assertEquals(ByteVocab.SIZE, f.getInt("llama.vocab_size"));
                assertEquals(0, f.getInt("general.file_type"));
                assertEquals("gpt2", f.getString("tokenizer.ggml.model"));
                assertEquals(ByteVocab.SIZE, f.getStrings("tokenizer.ggml.tokens").length);

                assertDims(f, "token_embd.weight", 32, ByteVocab.SIZE);
                assertDims(f, "blk.1.attn_norm.weight", 32);
                assertDims(f, "blk.1.attn_q.weight", 32, 32);
                assertDims(f, "blk.1.attn_k.weight", 32, 16);
                assertDims(f, "blk.1.attn_v.weight", 32, 16);
                assertDims(f, "blk.1.attn_output.weight", 32, 32);
                assertDims(f, "blk.1.ffn_norm.weight", 32);
                assertDims(f, "blk.1.ffn_gate.weight", 32, 64);
                assertDims(f, "blk.1.ffn_up.weight", 32, 64);
                assertDims(f, "blk.1.ffn_down.weight", 64, 32);
                assertDims(f, "output_norm.weight", 32);
                assertEquals(!tied, f.tensors().containsKey("output.weight"));
                if (!tied) assertDims(f, "output.weight", 32, ByteVocab.SIZE);
                assertEquals(w.params().size(), f.tensors().size());

                // row-major W[out][in]: element (row 5, col 7) of ffn_down is at 5·in + 7
                float[] down = f.tensorData("blk.0.ffn_down.weight").toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
                assertEquals(w.layers[0].w2.w[5 * 64 + 7], down[5 * 64 + 7]);
                for (TensorInfo t : f.tensors().values()) assertEquals(GGMLType.F32, t.type());
            }
            LlamaWeights back = LlamaGguf.load(p);
            assertEquals(c, back.config);
            for (int i = 0; i < w.params().size(); i++) assertArrayEquals(w.params().get(i).w, back.params().get(i).w, w.params().get(i).name);
        }
    }

    private static void assertDims(GGUFFile f, String name, long... dims) {
        assertArrayEquals(dims, f.tensor(name).dims(), name);
    }

    @Test
    void q8ExportQuantizesWholeBlockMatricesOnly(@TempDir Path dir) throws Exception {
        LlamaConfig c = new LlamaConfig(32, 1, 2, 2, 48, 40, 16, 10000f, 1e-5f, false); // ffn_down rows of 48: not whole blocks
        LlamaWeights w = new LlamaWeights(c).initialize(1);
        Path p = dir.resolve("q.gguf");
        LlamaGguf.export(w, "x", null, GGMLType.Q8_0, p);
        try (GGUFFile f = GGUFFile.open(p)) {
            assertEquals(GGMLType.Q8_0, f.tensor("token_embd.weight").type());
            assertEquals(GGMLType.Q8_0, f.tensor("blk.0.attn_q.weight").type());
            assertEquals(GGMLType.Q8_0, f.tensor("output.weight").type());
            assertEquals(GGMLType.F32, f.tensor("blk.0.ffn_down.weight").type());
            assertEquals(GGMLType.F32, f.tensor("blk.0.attn_norm.weight").type());
        }
        // the trainer loads it back (to fine-tune a shipped Q8_0 model): each value within half a quantisation step
        LlamaWeights back = LlamaGguf.load(p);
        for (int i = 0; i < w.params().size(); i++) {
            Param a = w.params().get(i), b = back.params().get(i);
            float max = 0;
            for (float v : a.w) max = Math.max(max, Math.abs(v));
            for (int j = 0; j < a.size(); j++)
                assertEquals(a.w[j], b.w[j], max / 127 * 0.5 + 1e-6, a.name + "[" + j + "]");
        }
    }

    @Test
    void byteVocabularyIsABijection() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int b = 0; b < 256; b++) {
            String s = ByteVocab.byteSymbol(b);
            assertEquals(1, s.length());
            assertTrue(seen.add(s), "symbol of byte " + b + " is unique");
        }
        assertEquals("A", ByteVocab.byteSymbol('A'));
        assertEquals("\u0120", ByteVocab.byteSymbol(' ')); // space is the 33rd non-printable byte: 256 + 32
        byte[] text = "héllo, world\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertArrayEquals(text, ByteVocab.decode(ByteVocab.encode(text)));
    }

    @Test
    void lossCurveIsWellFormedSvg(@TempDir Path dir) throws Exception {
        List<StepRecord> h = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) h.add(new StepRecord(i, 5.5 * Math.exp(-i / 80.0) + 0.3 + 0.1 * Math.sin(i), 1e-3f, 1, 100, 1000));
        Path p = dir.resolve("loss.svg");
        LossCurve.write(h, List.of(new double[] {99, 1.9}, new double[] {199, 1.0}), "test <run>", p);
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(p.toFile());
        assertEquals("svg", doc.getDocumentElement().getTagName());
        var lines = doc.getElementsByTagName("polyline");
        assertEquals(2, lines.getLength());
        assertEquals(300, lines.item(0).getAttributes().getNamedItem("points").getNodeValue().split(" ").length);
        assertEquals(2 + 1, doc.getElementsByTagName("circle").getLength()); // two evals + legend marker
        assertFalse(java.nio.file.Files.readString(p).contains("NaN"));
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6}, LossCurve.ticks(0, 5.8));
    }
}
