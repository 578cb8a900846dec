package dev.ponder.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.gguf.GGMLType;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class WeightMatrixTest {
    static MemorySegment bytes(long n) {
        return MemorySegment.ofArray(new byte[(int) n]);
    }

    @Test
    void unsupportedTypeIsNamed() {
        PonderException e = assertThrows(PonderException.class, () -> WeightMatrix.of(GGMLType.Q5_K, bytes(176), 1, 256));
        assertTrue(e.getMessage().contains("Q5_K"), e.getMessage());
    }

    @Test
    void badSizesAreReported() {
        PonderException e = assertThrows(PonderException.class, () -> WeightMatrix.of(GGMLType.Q8_0, bytes(34 * 3), 2, 32));
        assertTrue(e.getMessage().contains("68"), e.getMessage());
        e = assertThrows(PonderException.class, () -> WeightMatrix.of(GGMLType.Q4_K, bytes(144), 1, 100));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
        assertThrows(PonderException.class, () -> WeightMatrix.of(GGMLType.F32, bytes(0), 0, 4));
    }

    @Test
    void shapesAndDefaults() {
        WeightMatrix w = WeightMatrix.of(GGMLType.Q4_0, bytes(18L * 4 * 3), 3, 128);
        assertEquals(3, w.rows());
        assertEquals(128, w.cols());
        assertEquals(GGMLType.Q4_0, w.type());
        assertSame(Q4_0Matrix.class, w.getClass());
        assertEquals(VectorWidth.DEFAULT, w.species());
        assertEquals("Q4_0[3x128]", w.toString());
    }

    @Test
    void otherWidthsAreHiddenCopies() {
        int other = VectorWidth.DEFAULT.vectorBitSize() == 256 ? 128 : 256;
        WeightMatrix w = WeightMatrix.of(GGMLType.Q8_0, bytes(34), 1, 32, VectorWidth.forBits(other));
        assertEquals(other, w.species().vectorBitSize());
        assertNotSame(Q8_0Matrix.class, w.getClass());
        assertTrue(w.getClass().isHidden());
        // one copy per width
        assertSame(w.getClass(), WeightMatrix.of(GGMLType.Q8_0, bytes(34), 1, 32, VectorWidth.forBits(other)).getClass());
    }

    @Test
    void argumentsAreChecked() {
        WeightMatrix w = WeightMatrix.of(GGMLType.F32, bytes(4 * 8), 2, 4);
        assertThrows(IndexOutOfBoundsException.class, () -> w.dot(2, new float[4], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> w.dot(0, new float[4], 1));
        assertThrows(IndexOutOfBoundsException.class, () -> w.dequantizeRow(0, new float[3], 0));
        assertThrows(PonderException.class, () -> w.matvec(new float[3], new float[2]));
        assertThrows(PonderException.class, () -> w.matmul(new float[8], 2, new float[3]));
        assertThrows(PonderException.class, () -> w.matmul(new float[8], 0, new float[4]));
    }
}
