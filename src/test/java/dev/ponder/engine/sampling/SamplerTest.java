package dev.ponder.engine.sampling;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {
    static final Distribution D = new Distribution(new float[] {2f, 1.9f, 1.8f, 0f, -1f, -3f}, null);

    @Test
    void greedyTakesArgmaxAndLeavesTheDistributionAlone() {
        Sampler s = new Sampler(SamplerSettings.GREEDY);
        assertEquals(0, s.sample(D, null));
        assertEquals(2f, D.logit(0));
    }

    @Test
    void sameSeedSameChoices() {
        int[] a = new int[50], b = new int[50];
        Sampler s1 = new Sampler(SamplerSettings.temperature(1f, 7)), s2 = new Sampler(SamplerSettings.temperature(1f, 7));
        for (int i = 0; i < 50; i++) {
            a[i] = s1.sample(D, null);
            b[i] = s2.sample(D, null);
        }
        assertArrayEquals(a, b);
        assertTrue(Set.of(0, 1, 2).stream().allMatch(x -> java.util.Arrays.stream(a).anyMatch(y -> y == x)), "temperature 1 explores");
    }

    Set<Integer> support(SamplerSettings st) {
        Sampler s = new Sampler(st);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) seen.add(s.sample(D, null));
        return seen;
    }

    @Test
    void filtersRestrictTheSupport() {
        assertEquals(Set.of(0, 1), support(new SamplerSettings(5f, 2, 1f, 0f, 1f, 64, 1)));
        assertEquals(Set.of(0, 1, 2), support(new SamplerSettings(5f, 0, 1f, 0.5f, 1f, 64, 1)));
        assertEquals(Set.of(0), support(new SamplerSettings(5f, 0, 0.2f, 0f, 1f, 64, 1)));
        assertTrue(support(new SamplerSettings(100f, 0, 1f, 0f, 1f, 64, 1)).size() == 6);
    }

    @Test
    void noSamplerChangesTheDistributionItReads() {
        // samplers read the distribution's own logits without a copy (a copy only where the penalty changes them)
        Distribution d = new Distribution(new float[] {2f, 1.9f, 1.8f, 0f, -1f, -3f}, null);
        float[] before = d.logits();
        for (SamplerSettings st : new SamplerSettings[] {SamplerSettings.GREEDY, SamplerSettings.temperature(0.7f, 3),
                new SamplerSettings(1f, 2, 0.9f, 0.1f, 1f, 64, 3), new SamplerSettings(1f, 0, 1f, 0f, 1.5f, 64, 3)}) {
            Sampler s = new Sampler(st);
            for (int i = 0; i < 100; i++) s.sample(d, new int[] {0, 1});
            assertArrayEquals(before, d.logits(), st.toString());
        }
    }

    @Test
    void temperatureNeverDrawsATokenOfZeroProbability() {
        Distribution d = new Distribution(new float[] {Float.NEGATIVE_INFINITY, 0.5f, Float.NEGATIVE_INFINITY, 0.4f, -200f}, null);
        for (float t : new float[] {0.05f, 1f, 3f}) {
            Sampler s = new Sampler(SamplerSettings.temperature(t, 5));
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 3000; i++) seen.add(s.sample(d, null));
            assertTrue(Set.of(1, 3).containsAll(seen) && seen.contains(1), "T " + t + " drew " + seen);
        }
    }

    @Test
    void repetitionPenaltyChangesTheGreedyChoice() {
        Sampler s = new Sampler(new SamplerSettings(0f, 0, 1f, 0f, 1.5f, 64, 1));
        assertEquals(1, s.sample(D, new int[] {0}));
        assertEquals(2, s.sample(D, new int[] {0, 1}));
        assertEquals(0, s.sample(D, new int[] {}));
    }

    @Test
    void primitiveRankingEqualsTheComparator() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        float[] l = new float[3000];
        for (int i = 0; i < l.length; i++) l[i] = switch (rnd.nextInt(6)) {
            case 0 -> 0f;
            case 1 -> -0f;
            case 2 -> Float.NEGATIVE_INFINITY;
            case 3 -> (float) rnd.nextInt(-3, 4); // many ties
            default -> (float) rnd.nextGaussian() * 5;
        };
        Integer[] ref = new Integer[l.length];
        for (int i = 0; i < l.length; i++) ref[i] = i;
        java.util.Arrays.sort(ref, (a, b) -> l[a] != l[b] ? Float.compare(l[b], l[a]) : Integer.compare(a, b));
        assertArrayEquals(java.util.Arrays.stream(ref).mapToInt(Integer::intValue).toArray(), Sampler.sortedIds(l));
    }

    @Test
    void temperatureAloneDrawsEachTokenAtItsSoftmaxProbability() {
        for (float t : new float[] {1f, 0.5f}) {
            Sampler s = new Sampler(SamplerSettings.temperature(t, 11));
            int n = 40_000;
            int[] count = new int[D.size()];
            for (int i = 0; i < n; i++) count[s.sample(D, null)]++;
            double z = 0;
            for (int i = 0; i < D.size(); i++) z += Math.exp(D.logit(i) / t);
            for (int i = 0; i < D.size(); i++) {
                double p = Math.exp(D.logit(i) / t) / z;
                assertEquals(p, count[i] / (double) n, 4 * Math.sqrt(p * (1 - p) / n) + 1e-4, "token " + i + " at T " + t);
            }
        }
    }
}
