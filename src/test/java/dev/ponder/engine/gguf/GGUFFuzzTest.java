package dev.ponder.engine.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds thousands of mutated and truncated GGUF files to the reader: each must either parse or end in a
 * {@link PonderException} with a one-line message — never another exception, a hang or running out of memory.
 */
public class GGUFFuzzTest {
    static final int CASES = 1500;
    @TempDir Path dir;

    static byte[] seedFile(Path dir) throws IOException {
        float[] w = new float[64 * 4];
        byte[] f32 = new byte[w.length * 4];
        ByteBuffer.wrap(f32).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(w);
        Path f = dir.resolve("seed.gguf");
        GGUFRoundTripTest.everyValueType()
                .putString("general.architecture", "llama")
                .putStrings("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "a", "b"))
                .addTensor("token_embd.weight", GGMLType.F32, new long[] {64, 4}, f32)
                .addTensor("blk.0.attn_q.weight", GGMLType.Q8_0, new long[] {64, 2}, new byte[34 * 4])
                .addTensor("blk.0.ffn_up.weight", GGMLType.Q4_K, new long[] {256, 1}, new byte[144])
                .write(f);
        return Files.readAllBytes(f);
    }

    @Test
    void mutatedAndTruncatedFilesEndInOurOwnError() throws Exception {
        byte[] seed = seedFile(dir);
        SplittableRandom rnd = new SplittableRandom(20261129);
        int parsed = 0, rejected = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] b = mutate(seed, rnd, c);
            long t0 = System.nanoTime();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = arena.allocate(Math.max(1, b.length));
                MemorySegment.copy(MemorySegment.ofArray(b), 0, seg, 0, b.length);
                try (GGUFFile g = GGUFFile.of(seg.asSlice(0, b.length))) {
                    for (TensorInfo t : g.tensors().values()) g.tensorData(t); // every slice must be in range
                    g.metadata().values().forEach(GGUFValue::toString);
                    parsed++;
                } catch (PonderException e) {
                    String m = e.getMessage();
                    assertNotNull(m);
                    assertFalse(m.contains("\n"), "one line: " + m);
                    assertTrue(m.startsWith("malformed GGUF") || m.startsWith("not a GGUF"), m);
                    rejected++;
                } catch (Throwable t) {
                    fail("case " + c + " ended in " + t, t);
                }
            }
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "case " + c + " took too long");
        }
        assertEquals(CASES, parsed + rejected);
        assertTrue(rejected > CASES / 3, "most mutations should be caught, rejected " + rejected);
        System.out.printf("GGUF fuzz: %d cases, %d parsed, %d rejected with our error%n", CASES, parsed, rejected);
    }

    @Test
    void filesOnDiskToo() throws Exception {
        byte[] seed = seedFile(dir);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int c = 0; c < 50; c++) {
            Path f = dir.resolve("m" + c + ".gguf");
            Files.write(f, mutate(seed, rnd, c));
            try (GGUFFile g = GGUFFile.open(f)) {
                assertNotNull(g.metadata());
            } catch (PonderException e) {
                assertFalse(e.getMessage().contains("\n"));
            }
        }
        Path empty = dir.resolve("empty.gguf");
        Files.write(empty, new byte[0]);
        assertThrows(PonderException.class, () -> GGUFFile.open(empty));
        assertThrows(PonderException.class, () -> GGUFFile.open(dir));
    }

    /** One of several kinds of damage, cycling so each kind is well represented. */
    public static byte[] mutate(byte[] seed, SplittableRandom rnd, int c) {
        byte[] b = seed.clone();
        switch (c % 6) {
            case 0 -> { // truncate anywhere
                return java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            case 1 -> { // flip a few random bytes in the header region
                int n = 1 + rnd.nextInt(4);
                int headerEnd = Math.min(b.length, 1200);
                for (int i = 0; i < n; i++) b[rnd.nextInt(headerEnd)] ^= (byte) (1 + rnd.nextInt(255));
            }
            case 2 -> { // overwrite 8 bytes with a huge or negative length
                int at = rnd.nextInt(Math.min(b.length - 8, 1200));
                long v = switch (rnd.nextInt(4)) {
                    case 0 -> -1L;
                    case 1 -> Long.MAX_VALUE;
                    case 2 -> 1L << (32 + rnd.nextInt(30));
                    default -> rnd.nextInt(1 << 20);
                };
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
            }
            case 3 -> { // random bytes anywhere
                for (int i = 0; i < 16; i++) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            case 4 -> { // 32-bit field damage (types, dims counts, version)
                int at = rnd.nextInt(Math.min(b.length - 4, 1200));
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, rnd.nextInt());
            }
            default -> { // delete a chunk from the middle
                int at = rnd.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                byte[] r = new byte[b.length - len];
                System.arraycopy(b, 0, r, 0, at);
                System.arraycopy(b, at + len, r, at, b.length - at - len);
                return r;
            }
        }
        return b;
    }
}
