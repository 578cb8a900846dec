package dev.ponder.engine.sampling;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionTest {
    static Distribution of(float... logits) {
        return new Distribution(logits, id -> "t" + id);
    }

    /** Exponentials in float (within 2 ulp), sums in double: a few 1e-7 relative at most, far below a float logit's own rounding. */
    static final double TOL = 1e-6;

    @Test
    void probabilitiesAreThePlainSoftmax() {
        Distribution d = of(1f, 2f, 3f);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(3) / z, d.prob(2), TOL * Math.exp(3) / z);
        assertEquals(Math.log(Math.exp(1) / z), d.logprob(0), TOL);
        assertEquals(2, d.argmax());
        assertEquals(1.0, d.prob(0) + d.prob(1) + d.prob(2), TOL);
    }

    @Test
    void aVocabularyOfLogitsMatchesTheDoubleSoftmaxEntropyAndVarentropy() {
        java.util.Random rnd = new java.util.Random(3);
        for (int vocab : new int[] {5, 4096, 151_936}) {
            float[] l = new float[vocab];
            for (int i = 0; i < vocab; i++) l[i] = (float) (rnd.nextGaussian() * 4);
            l[vocab / 2] = Float.NEGATIVE_INFINITY; // a masked token: probability 0, adds nothing to the entropy
            Distribution d = new Distribution(l.clone(), null);
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float x : l) max = Math.max(max, x);
            for (float x : l) sum += Math.exp(x - max);
            double z = max + Math.log(sum), h = 0, h2 = 0;
            for (float x : l) {
                double p = Math.exp(x - z);
                if (p == 0) continue;
                h -= p * (x - z);
                h2 += p * (x - z) * (x - z);
            }
            for (int i = 0; i < vocab; i += Math.max(1, vocab / 97)) assertEquals(l[i] - z, d.logprob(i), TOL, "vocab " + vocab + " token " + i);
            assertEquals(0.0, d.prob(vocab / 2));
            assertEquals(h, d.entropy(), TOL * h, "entropy, vocab " + vocab);
            assertEquals(h2 - h * h, d.varentropy(), TOL * (h2 - h * h) + 1e-9, "varentropy, vocab " + vocab);
        }
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
        assertEquals(Math.log(4), uniform.entropy(), TOL);
        assertEquals(0, uniform.varentropy(), TOL);
        assertEquals(0, uniform.margin(), TOL);
        Distribution peaked = of(20f, 0f, 0f);
        assertTrue(peaked.entropy() < 1e-6);
        assertTrue(peaked.margin() > 0.999);
        // two-way split with a long tail has positive varentropy
        assertTrue(of(5f, 5f, 0f, 0f, 0f, 0f).varentropy() > 0.1);
    }
}
