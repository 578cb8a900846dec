package dev.ponder.engine.bench;

import dev.ponder.engine.PonderException;
import dev.ponder.engine.kv.Sequence;
import dev.ponder.engine.model.Model;
import dev.ponder.engine.sampling.Distribution;
import dev.ponder.engine.sampling.Sampler;
import dev.ponder.engine.sampling.SamplerSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decode timings that hold up on small models, where one step takes well under a millisecond and a single
 * timed loop mostly measures the JIT and whatever else the machine is doing:
 *
 * <ul>
 *   <li>{@link #warmUp}: every batch size in turn, until a wall-clock budget is spent (the JIT settles);
 *   <li>{@link #batched}: rounds in which every batch size is timed once, interleaved (B=1,2,4,8, B=1,2,4,8,
 *       ...), so a noisy moment hits all of them; a figure is the median over rounds;
 *   <li>{@link #consult}: one greedy decode against a K-way sampled consultation of the same prefix and length.
 * </ul>
 *
 * Every timed batch forks its sequences from one prefilled root, so every round decodes the same positions.
 */
public final class DecodeBench {
    private DecodeBench() {}

    /** Milliseconds per decode step of each batch size: one sample per round, in round order. */
    public record Batched(Map<Integer, double[]> msPerStep) {
        /** The median ms/step of batch size {@code b}. */
        public double median(int b) {
            return DecodeBench.median(msPerStep.get(b));
        }

        /** The median ms/step of {@code b} over that of batch size 1 (NaN without a B=1 figure). */
        public double ratioToSingle(int b) {
            return msPerStep.containsKey(1) ? median(b) / median(1) : Double.NaN;
        }
    }

    /**
     * Runs {@code steps} decode steps at every batch size of {@code batches} in turn (forks of {@code root}),
     * again and again until {@code seconds} of wall time have passed (at least one pass). Returns the passes made.
     */
    public static int warmUp(Model m, Sequence root, List<Integer> batches, int steps, double seconds) {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        SplittableRandom rnd = new SplittableRandom(7);
        int passes = 0;
        do {
            for (int b : batches) timeSteps(m, root, b, steps, rnd);
            passes++;
        } while (System.nanoTime() < until);
        return passes;
    }

    /**
     * {@code rounds} rounds; in each, every batch size of {@code batches} decodes {@code steps} greedy steps
     * (B forks of {@code root}, each starting from a different random token) and its ms/step is recorded.
     */
    public static Batched batched(Model m, Sequence root, List<Integer> batches, int steps, int rounds) {
        if (steps < 1 || rounds < 1) throw new PonderException("decode steps and rounds must be at least 1");
        Map<Integer, double[]> out = new LinkedHashMap<>();
        for (int b : batches) {
            if (b < 1) throw new PonderException("batch sizes must be at least 1, got " + b);
            out.put(b, new double[rounds]);
        }
        SplittableRandom rnd = new SplittableRandom(1);
        for (int r = 0; r < rounds; r++)
            for (int b : out.keySet()) out.get(b)[r] = timeSteps(m, root, b, steps, rnd) / 1e6 / steps;
        return new Batched(out);
    }

    /** Nanoseconds for {@code steps} greedy decode steps of {@code b} forks of {@code root} (forking not timed). */
    private static long timeSteps(Model m, Sequence root, int b, int steps, SplittableRandom rnd) {
        Sequence[] seqs = new Sequence[b];
        int[] toks = new int[b];
        for (int i = 0; i < b; i++) {
            seqs[i] = root.fork();
            toks[i] = rnd.nextInt(m.config().vocabSize());
        }
        try {
            long t0 = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                Distribution[] ds = m.decode(seqs, toks);
                for (int i = 0; i < b; i++) toks[i] = ds[i].argmax();
            }
            return System.nanoTime() - t0;
        } finally {
            for (Sequence s : seqs) s.close();
        }
    }

    /**
     * Consultation cost, per length L of {@code lengths} (ascending): {@code greedyMs[i][r]} is round r's time for
     * prefilling {@code prompt} into a new sequence and decoding L greedy steps; {@code consultMs[i][r]} the time
     * for prefilling it once, forking it {@code k} ways and decoding L batched steps, each sequence sampling its
     * next token (temperature 1, its own seed; no early stop).
     */
    public record Consult(int k, int promptTokens, int[] lengths, double[][] greedyMs, double[][] consultMs) {
        /** Median consultation time over median greedy time at {@code lengths[i]}. */
        public double ratio(int i) {
            return median(consultMs[i]) / median(greedyMs[i]);
        }
    }

    /** Measures {@link Consult} over {@code rounds} rounds, greedy and consultation interleaved. */
    public static Consult consult(Model m, int[] prompt, int k, int[] lengths, int rounds) {
        if (k < 1 || rounds < 1 || lengths.length == 0) throw new PonderException("consult needs k, rounds and lengths of at least 1");
        int maxL = Arrays.stream(lengths).max().getAsInt();
        double[][] greedy = new double[lengths.length][rounds], consult = new double[lengths.length][rounds];
        for (int r = 0; r < rounds; r++) {
            double[] g = greedyRun(m, prompt, maxL, lengths), c = consultRun(m, prompt, k, maxL, lengths, 1000L * r);
            for (int i = 0; i < lengths.length; i++) {
                greedy[i][r] = g[i];
                consult[i][r] = c[i];
            }
        }
        return new Consult(k, prompt.length, lengths.clone(), greedy, consult);
    }

    /** Elapsed ms after each length of {@code lengths}, for prefill + greedy decode steps. */
    private static double[] greedyRun(Model m, int[] prompt, int maxL, int[] lengths) {
        double[] at = new double[lengths.length];
        try (Sequence s = m.newSequence()) {
            long t0 = System.nanoTime();
            Distribution d = m.prefill(s, prompt);
            for (int step = 1, i = 0; step <= maxL; step++) {
                d = m.decode(s, d.argmax());
                while (i < lengths.length && lengths[i] == step) at[i++] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return at;
    }

    /** Elapsed ms after each length of {@code lengths}, for prefill + fork + k-way sampled decode steps. */
    private static double[] consultRun(Model m, int[] prompt, int k, int maxL, int[] lengths, long seed) {
        double[] at = new double[lengths.length];
        Sequence[] seqs = new Sequence[k];
        try (Sequence root = m.newSequence()) {
            long t0 = System.nanoTime();
            Distribution first = m.prefill(root, prompt);
            Sampler[] samplers = new Sampler[k];
            Distribution[] ds = new Distribution[k];
            int[] toks = new int[k];
            for (int b = 0; b < k; b++) {
                seqs[b] = root.fork();
                samplers[b] = new Sampler(SamplerSettings.temperature(1f, seed + b));
                ds[b] = first;
            }
            for (int step = 1, i = 0; step <= maxL; step++) {
                for (int b = 0; b < k; b++) toks[b] = samplers[b].sample(ds[b], null);
                ds = m.decode(seqs, toks);
                while (i < lengths.length && lengths[i] == step) at[i++] = (System.nanoTime() - t0) / 1e6;
            }
        } finally {
            for (Sequence s : seqs) if (s != null) s.close();
        }
        return at;
    }

    /** The median of {@code xs} (the mean of the middle two for an even count). */
    public static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
