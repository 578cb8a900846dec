package dev.ponder.engine.sampling;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionTest {
    static Distribution of(float... logits) {
        return new Distribution(logits, id -> "t" + id);
    }

    @Test
    void probabilitiesAreThePlainSoftmax() {
        Distribution d = of(1f, 2f, 3f);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(3) / z, d.prob(2), 1e-12);
        assertEquals(Math.log(Math.exp(1) / z), d.logprob(0), 1e-12);
        assertEquals(2, d.argmax());
        assertEquals(1.0, d.prob(0) + d.prob(1) + d.prob(2), 1e-12);
    }

    @Test
    void isImmutable() {
        float[] raw = {0f, 5f, 1f};
        Distribution d = new Distribution(raw.clone(), null);
        float[] copy = d.logits();
        copy[1] = -100f;
        assertEquals(5f, d.logit(1));
        assertEquals(1, d.argmax());
    }

    @Test
    void topKIsSortedWithTextAndStableTies() {
        Distribution d = of(0f, 3f, 3f, -1f, 2f);
        List<TokenProb> top = d.top(3);
        assertEquals(List.of(1, 2, 4), top.stream().map(TokenProb::id).toList());
        assertEquals("t1", top.get(0).text());
        assertEquals(5, d.top(99).size());
    }

    @Test
    void entropyVarentropyMargin() {
        Distribution uniform = of(0f, 0f, 0f, 0f);
        assertEquals(Math.log(4), uniform.entropy(), 1e-12);
        assertEquals(0, uniform.varentropy(), 1e-12);
        assertEquals(0, uniform.margin(), 1e-12);
        Distribution peaked = of(20f, 0f, 0f);
        assertTrue(peaked.entropy() < 1e-6);
        assertTrue(peaked.margin() > 0.999);
        // two-way split with a long tail has positive varentropy
        assertTrue(of(5f, 5f, 0f, 0f, 0f, 0f).varentropy() > 0.1);
    }
}
