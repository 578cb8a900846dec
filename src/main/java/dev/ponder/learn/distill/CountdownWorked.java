package dev.ponder.learn.distill;

import dev.ponder.engine.PonderException;
import dev.ponder.knowledge.tools.Expr;
import dev.ponder.learn.world.CalcTool;
import dev.ponder.learn.world.CountdownPuzzle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A verified countdown solution rewritten as a worked answer for fast mode, which cannot search: first the
 * calculator shows what is left to make once the solution's largest listed number is used, then the solution,
 * led by that number. {@code 7+75+7} for 89 becomes {@code <<calc 89-75>>14; 75+7+7}; {@code (10+8)*10} for 180
 * becomes {@code <<calc 180/10>>18; 10*(10+8)}. Decoding it, the model picks one number and one kind of operation
 * (the step a person would take first), the runtime computes the rest to make, and the model then composes a
 * small sub-puzzle whose target it can now see. {@link CountdownPuzzle#check} reads the expression after the
 * calculation ({@link CountdownPuzzle#expressionOf}).
 */
public final class CountdownWorked {
    private CountdownWorked() {}

    /**
     * The worked answer for {@code solution} of {@code puzzle}, or empty when the solution has no listed number as a
     * term of its top-level sum or a factor (numerator) of its top-level product, or the rewritten answer would not
     * check (never expected; checked all the same).
     */
    public static Optional<String> of(CountdownPuzzle puzzle, String solution) {
        Expr e;
        try {
            e = Expr.parse(CountdownPuzzle.expressionOf(solution));
        } catch (PonderException ex) {
            return Optional.empty();
        }
        if (!(e instanceof Expr.Bin root)) return Optional.empty();
        boolean additive = root.op() == '+' || root.op() == '-';
        List<Expr> parts = new ArrayList<>();
        List<Boolean> inverse = new ArrayList<>(); // '-' term, or '/' factor
        flatten(e, additive, false, parts, inverse);
        int lead = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (inverse.get(i) || !(parts.get(i) instanceof Expr.Num n)) continue;
            if (lead < 0 || n.eval().compareTo(parts.get(lead).eval()) > 0) lead = i;
        }
        if (lead < 0) return Optional.empty();
        Expr.Num l = (Expr.Num) parts.get(lead);
        String step = puzzle.target() + (additive ? "-" : "/") + l.text();
        StringBuilder full = new StringBuilder(l.text());
        for (int i = 0; i < parts.size(); i++) {
            if (i == lead) continue;
            full.append(additive ? (inverse.get(i) ? '-' : '+') : (inverse.get(i) ? '/' : '*'));
            full.append(render(parts.get(i), additive));
        }
        String answer = CalcTool.callWithResult(step) + "; " + full;
        return puzzle.check(answer).valid() ? Optional.of(answer) : Optional.empty();
    }

    /** The terms (additive) or factors of {@code e}'s top-level chain, each with whether it is subtracted or divided. */
    private static void flatten(Expr e, boolean additive, boolean inv, List<Expr> parts, List<Boolean> inverse) {
        if (e instanceof Expr.Bin b && (additive ? b.op() == '+' || b.op() == '-' : b.op() == '*' || b.op() == '/')) {
            flatten(b.left(), additive, inv, parts, inverse);
            boolean flips = b.op() == '-' || b.op() == '/';
            if (flips) { // the right operand stays whole: a-(b+c) is a minus (b+c), not a-b+c
                parts.add(b.right());
                inverse.add(!inv);
            } else {
                flatten(b.right(), additive, inv, parts, inverse);
            }
            return;
        }
        parts.add(e);
        inverse.add(inv);
    }

    /** A term or factor as it reads after an operator: parenthesised unless it is a number (or a product within a sum). */
    private static String render(Expr part, boolean additive) {
        if (part instanceof Expr.Num) return part.toString();
        if (additive && part instanceof Expr.Bin b && (b.op() == '*' || b.op() == '/')) return part.toString();
        return "(" + part + ")";
    }
}
