package dev.ponder.engine.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.PonderException;
import dev.ponder.testutil.Reference;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GGUFRoundTripTest {
    @TempDir Path dir;

    static GGUFWriter everyValueType() {
        return new GGUFWriter()
                .put("u8", GGUFValue.of(GGUFValueType.UINT8, 250))
                .put("i8", GGUFValue.of(GGUFValueType.INT8, -5))
                .put("u16", GGUFValue.of(GGUFValueType.UINT16, 65000))
                .put("i16", GGUFValue.of(GGUFValueType.INT16, -30000))
                .putUInt32("u32", 4_000_000_000L)
                .putInt32("i32", -7)
                .putFloat32("f32", 1.5f)
                .putBool("bool", true)
                .putString("str", "héllo ▁world")
                .putUInt64("u64", -1L)
                .put("i64", GGUFValue.of(GGUFValueType.INT64, Long.MIN_VALUE))
                .put("f64", GGUFValue.of(GGUFValueType.FLOAT64, Math.PI))
                .putStrings("a.str", List.of("a", "", "ü"))
                .putInt32s("a.i32", new int[] {1, -2, 3})
                .putFloat32s("a.f32", new float[] {0.5f, -0f})
                .put("a.u8", GGUFValue.array(GGUFValueType.UINT8, new byte[] {1, (byte) 255}))
                .put("a.i16", GGUFValue.array(GGUFValueType.INT16, new short[] {-1, 2}))
                .put("a.u64", GGUFValue.array(GGUFValueType.UINT64, new long[] {1L << 40}))
                .put("a.f64", GGUFValue.array(GGUFValueType.FLOAT64, new double[] {1e300}))
                .put("a.bool", GGUFValue.array(GGUFValueType.BOOL, new boolean[] {true, false}))
                .put("a.nested", GGUFValue.array(GGUFValueType.ARRAY, new GGUFValue[] {GGUFValue.int32s(new int[] {4}), GGUFValue.strings(List.of("x"))}));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyMetadataTypeRoundTrips(int version) throws Exception {
        GGUFWriter w = everyValueType().version(version);
        Path f = dir.resolve("all.gguf");
        w.write(f);
        try (GGUFFile g = GGUFFile.open(f)) {
            assertEquals(version, g.version());
            assertEquals(21, g.metadata().size());
            assertEquals(250, g.get("u8").value());
            assertEquals(-5, g.get("i8").value());
            assertEquals(65000, g.get("u16").value());
            assertEquals(-30000, g.get("i16").value());
            assertEquals(4_000_000_000L, g.getLong("u32"));
            assertEquals(-7, g.getInt("i32"));
            assertEquals(1.5f, g.getFloat("f32"));
            assertTrue(g.getBool("bool", false));
            assertEquals("héllo ▁world", g.getString("str"));
            assertEquals(-1L, g.getLong("u64"));
            assertEquals(Long.MIN_VALUE, g.getLong("i64"));
            assertEquals(Math.PI, (Double) g.get("f64").value());
            assertArrayEquals(new String[] {"a", "", "ü"}, g.getStrings("a.str"));
            assertArrayEquals(new int[] {1, -2, 3}, g.getInts("a.i32"));
            assertArrayEquals(new int[] {1, 255}, g.getInts("a.u8"));
            assertArrayEquals(new int[] {-1, 2}, g.getInts("a.i16"));
            assertArrayEquals(new float[] {0.5f, -0f}, g.getFloats("a.f32"));
            GGUFValue nested = g.get("a.nested");
            assertEquals(GGUFValueType.ARRAY, nested.elementType());
            assertEquals(GGUFValue.strings(List.of("x")), ((GGUFValue[]) nested.value())[1]);
            // re-writing what was read gives the same bytes
            Path f2 = dir.resolve("again.gguf");
            new GGUFWriter().version(version).putAll(g.metadata()).write(f2);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(f2));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 64, 4096})
    void tensorsAreAlignedAndSliced(int alignment) throws Exception {
        byte[] a = new byte[4 * 6];
        for (int i = 0; i < a.length; i++) a[i] = (byte) i;
        byte[] b = new byte[34 * 2]; // Q8_0: 2 blocks
        b[0] = 7;
        Path f = dir.resolve("t.gguf");
        new GGUFWriter().alignment(alignment).putString("general.architecture", "llama")
                .addTensor("a", GGMLType.F32, new long[] {3, 2}, a)
                .addTensor("b", GGMLType.Q8_0, new long[] {64}, b)
                .write(f);
        try (GGUFFile g = GGUFFile.open(f)) {
            assertEquals(alignment, g.alignment());
            assertEquals(0, g.dataStart() % alignment);
            TensorInfo ta = g.tensor("a");
            assertEquals(2, ta.rows());
            assertEquals(3, ta.cols());
            assertArrayEquals(a, g.tensorData("a").toArray(ValueLayout.JAVA_BYTE));
            TensorInfo tb = g.tensor("b");
            assertEquals(0, tb.offset() % alignment);
            assertArrayEquals(b, g.tensorData(tb).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, g.fileSize() % alignment, "data section padded to alignment");
        }
    }

    @Test
    void writerRejectsWrongSizes() {
        GGUFWriter w = new GGUFWriter();
        assertThrows(PonderException.class, () -> w.addTensor("x", GGMLType.Q8_0, new long[] {33}, new byte[34]));
        assertThrows(PonderException.class, () -> w.addTensor("x", GGMLType.F32, new long[] {4}, new byte[15]));
    }

    @Test
    void readsRealFilesFromLlamaCpp() {
        try (GGUFFile g = GGUFFile.open(Reference.file("models/stories260K.gguf"))) {
            assertEquals("llama", g.getString("general.architecture"));
            assertEquals(64, g.getInt("llama.embedding_length"));
            assertEquals(512, g.getStrings("tokenizer.ggml.tokens").length);
            assertEquals(GGMLType.F32, g.tensor("blk.0.attn_q.weight").type());
            assertEquals(64, g.tensor("token_embd.weight").cols());
            assertEquals(512, g.tensor("token_embd.weight").rows());
        }
        try (GGUFFile g = GGUFFile.open(Reference.file("tokenizers/ggml-vocab-gpt-2.gguf"))) {
            assertEquals("gpt2", g.getString("tokenizer.ggml.model"));
            assertTrue(g.tensors().isEmpty());
        }
    }

    @Test
    void missingFileIsOneClearLine() {
        PonderException e = assertThrows(PonderException.class, () -> GGUFFile.open(dir.resolve("nope.gguf")));
        assertTrue(e.getMessage().startsWith("no such file"), e.getMessage());
    }
}
