package dev.ponder.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ponder.engine.PonderException;
import org.junit.jupiter.api.Test;

class TokenStreamWeightsTest {
    @Test
    void eachTargetCarriesItsTokensWeight() {
        int[] tokens = new int[100];
        float[] w = new float[100];
        for (int i = 0; i < 100; i++) { tokens[i] = i; w[i] = i % 7; }
        TokenStream s = new TokenStream(tokens, w, 3, 10, 5);
        Batch b = s.batch(2);
        for (int r = 0; r < b.rows(); r++) assertEquals(w[b.targets()[r]], b.weights()[r]);
        Batch plain = new TokenStream(tokens, 3, 10, 5).batch(2);
        for (float x : plain.weights()) assertEquals(1f, x);
        assertEquals(java.util.Arrays.toString(plain.targets()), java.util.Arrays.toString(b.targets()), "weights do not change sampling");
    }

    @Test
    void weightsMustMatchTheTokens() {
        assertThrows(PonderException.class, () -> new TokenStream(new int[50], new float[49], 2, 10, 1));
    }
}
