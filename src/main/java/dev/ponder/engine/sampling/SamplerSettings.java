package dev.ponder.engine.sampling;

/**
 * How to choose a token. {@code temperature <= 0} is greedy (argmax), the other filters then do nothing
 * except the repetition penalty, which changes the ranking. Filters apply in llama.cpp's order: repetition
 * penalty, top-k, top-p, min-p, temperature, then a draw from a seeded RNG.
 *
 * @param temperature       softmax temperature; ≤ 0 means greedy
 * @param topK              keep the k most likely (≤ 0: off)
 * @param topP              keep the smallest set whose mass ≥ p (≥ 1: off)
 * @param minP              drop tokens with p &lt; minP · p(top) (≤ 0: off)
 * @param repeatPenalty     divide positive (multiply negative) logits of recent tokens (1: off)
 * @param repeatLastN       how many recent tokens the penalty looks at
 * @param seed              RNG seed
 */
public record SamplerSettings(float temperature, int topK, float topP, float minP, float repeatPenalty, int repeatLastN, long seed) {
    public static final SamplerSettings GREEDY = new SamplerSettings(0f, 0, 1f, 0f, 1f, 64, 0L);

    public static SamplerSettings temperature(float t, long seed) {
        return new SamplerSettings(t, 0, 1f, 0f, 1f, 64, seed);
    }

    public boolean greedy() {
        return temperature <= 0;
    }
}
