package dev.ponder.learn.world;

import dev.ponder.knowledge.tools.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds countdown solutions by dynamic programming over subsets of the numbers: for every subset it keeps
 * one expression per reachable value, combining two disjoint subsets with {@code + - * /}. It explores
 * positive whole intermediate values up to {@value #MAX_VALUE} only (the classic rules), so a solution it
 * returns is valid under the looser rules {@link CountdownPuzzle#check} applies; a value it cannot reach
 * might still be reachable through fractions.
 */
public final class CountdownSolver {
    /** Most numbers a puzzle may have (the search grows quickly beyond this). */
    public static final int MAX_NUMBERS = 6;
    /** Largest intermediate value explored. */
    public static final long MAX_VALUE = 1_000_000;

    private final List<Integer> numbers;
    /** byMask[m]: value to one expression using exactly the numbers in subset m; [2^n]. */
    private final List<Map<Long, Expr>> byMask;

    private CountdownSolver(List<Integer> numbers) {
        if (numbers.isEmpty() || numbers.size() > MAX_NUMBERS) {
            throw new IllegalArgumentException("countdown needs 1.." + MAX_NUMBERS + " numbers, got " + numbers.size());
        }
        this.numbers = List.copyOf(numbers);
        int n = numbers.size(), full = (1 << n) - 1;
        byMask = new ArrayList<>(full + 1);
        for (int m = 0; m <= full; m++) byMask.add(new LinkedHashMap<>());
        for (int m = 1; m <= full; m++) { // every proper submask of m is smaller than m: already filled
            Map<Long, Expr> out = byMask.get(m);
            if (Integer.bitCount(m) == 1) {
                int v = numbers.get(Integer.numberOfTrailingZeros(m));
                out.put((long) v, Expr.Num.of(v));
                continue;
            }
            for (int a = (m - 1) & m; a > 0; a = (a - 1) & m) {
                int b = m ^ a;
                if (a < b) continue; // each unordered split once
                for (Map.Entry<Long, Expr> x : byMask.get(a).entrySet()) {
                    for (Map.Entry<Long, Expr> y : byMask.get(b).entrySet()) {
                        combine(out, x.getKey(), x.getValue(), y.getKey(), y.getValue());
                    }
                }
            }
        }
    }

    private static void combine(Map<Long, Expr> out, long a, Expr ea, long b, Expr eb) {
        put(out, a + b, new Expr.Bin('+', ea, eb));
        if (a != 1 && b != 1) put(out, a * b, new Expr.Bin('*', ea, eb));
        if (a > b) put(out, a - b, new Expr.Bin('-', ea, eb));
        if (b > a) put(out, b - a, new Expr.Bin('-', eb, ea));
        if (b != 1 && a % b == 0) put(out, a / b, new Expr.Bin('/', ea, eb));
        if (a != 1 && a != b && b % a == 0) put(out, b / a, new Expr.Bin('/', eb, ea));
    }

    private static void put(Map<Long, Expr> out, long v, Expr e) {
        if (v > 0 && v <= MAX_VALUE) out.putIfAbsent(v, e);
    }

    /** Runs the search over {@code numbers} (1 to {@value #MAX_NUMBERS} positive numbers). */
    public static CountdownSolver of(List<Integer> numbers) {
        return new CountdownSolver(numbers);
    }

    /** A solution of {@code puzzle} using as few numbers as possible, or empty when the search finds none. */
    public static Optional<Expr> solve(CountdownPuzzle puzzle) {
        return of(puzzle.numbers()).solve(puzzle.target());
    }

    /** An expression reaching {@code target} with as few numbers as possible, or empty. */
    public Optional<Expr> solve(int target) {
        int full = (1 << numbers.size()) - 1;
        for (int k = 1; k <= numbers.size(); k++) {
            for (int m = 1; m <= full; m++) {
                if (Integer.bitCount(m) != k) continue;
                Expr e = byMask.get(m).get((long) target);
                if (e != null) return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Every reachable value, ascending, mapped to the fewest numbers needed to reach it. */
    public TreeMap<Long, Integer> fewestNumbers() {
        TreeMap<Long, Integer> out = new TreeMap<>();
        for (int m = 1; m < byMask.size(); m++) {
            int k = Integer.bitCount(m);
            for (long v : byMask.get(m).keySet()) out.merge(v, k, Math::min);
        }
        return out;
    }

    /** A generated puzzle with the solution that proves it solvable. */
    public record Solved(CountdownPuzzle puzzle, Expr solution) {}

    /**
     * A random solvable puzzle: {@code count} numbers (mostly 1..10, sometimes one or two of 25, 50, 75,
     * 100), and a target in {@code [minTarget, maxTarget]} that needs at least {@code min(3, count)} of them.
     */
    public static Solved randomPuzzle(Rng rng, int count, int minTarget, int maxTarget) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            List<Integer> nums = new ArrayList<>();
            int large = 0;
            for (int i = 0; i < count; i++) {
                if (large < 2 && rng.chance(0.25)) {
                    nums.add(rng.pick(25, 50, 75, 100));
                    large++;
                } else {
                    nums.add(rng.between(1, 10));
                }
            }
            nums.sort(null);
            CountdownSolver solver = of(nums);
            int need = Math.min(3, count);
            List<Long> candidates = new ArrayList<>();
            for (Map.Entry<Long, Integer> e : solver.fewestNumbers().subMap((long) minTarget, true, (long) maxTarget, true).entrySet()) {
                if (e.getValue() >= need) candidates.add(e.getKey());
            }
            if (candidates.isEmpty()) continue;
            int target = (int) (long) rng.pick(candidates);
            CountdownPuzzle puzzle = new CountdownPuzzle(nums, target);
            Expr solution = solver.solve(target).orElseThrow();
            if (!puzzle.check(solution.toString()).valid()) {
                throw new IllegalStateException("solver produced an invalid solution " + solution + " for " + puzzle);
            }
            return new Solved(puzzle, solution);
        }
        throw new IllegalStateException("no solvable puzzle with " + count + " numbers and targets " + minTarget + ".." + maxTarget);
    }
}
