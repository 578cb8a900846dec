package dev.ponder.learn.world;

import dev.ponder.knowledge.tools.Calculator;
import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic questions over facts, answered with a calculator call: a person's age in a year, the gap
 * between two people's birth years, and a city's or company's age in a year.
 */
final class Arithmetic {
    private Arithmetic() {}

    /** A generated question: its text, the calculator expression, and the documents it rests on. */
    record Item(String question, String expression, List<String> support) {
        /** The answer as written in training text and accepted in eval: {@code <<calc 2031-1987>>44}. */
        String answer() {
            return CalcTool.callWithResult(expression);
        }

        /** The exact value. */
        String value() {
            return Calculator.evaluate(expression).toString();
        }
    }

    /** Age of {@code p} in a random later year. */
    static Item age(Person p, Rng rng, List<String> templates) {
        int year = p.born() + rng.between(5, 90);
        return new Item(Phrasings.fill(rng.pick(templates), "s", p.name(), "y", Integer.toString(year)),
                year + "-" + p.born(), List.of(p.id()));
    }

    /** Birth-year gap between two people with different birth years ({@code s} the older). */
    static Item gap(Person a, Person b, Rng rng, List<String> templates) {
        Person older = a.born() < b.born() ? a : b, younger = older == a ? b : a;
        return new Item(Phrasings.fill(rng.pick(templates), "s", older.name(), "t", younger.name()),
                younger.born() + "-" + older.born(), List.of(older.id(), younger.id()));
    }

    /** Age of a city or company in a random later year. */
    static Item existed(Entity e, Rng rng, List<String> templates) {
        int founded = e instanceof City c ? c.founded() : ((Company) e).founded();
        int year = founded + rng.between(1, Math.min(150, Math.max(1, 2100 - founded)));
        return new Item(Phrasings.fill(rng.pick(templates), "s", e.name(), "y", Integer.toString(year)),
                year + "-" + founded, List.of(e.id()));
    }

    /** A random fact-based item over {@code pool} (people and others must be non-empty). */
    static Item overFacts(List<Person> people, List<Entity> citiesAndCompanies, Rng rng, boolean eval) {
        double r = rng.nextInt(100) / 100.0;
        if (r < 0.5 || citiesAndCompanies.isEmpty() && people.size() < 2) {
            return age(rng.pick(people), rng, eval ? Phrasings.AGE_EVAL : Phrasings.AGE_TRAIN);
        }
        if (r < 0.7 && people.size() >= 2) {
            for (int attempt = 0; attempt < 20; attempt++) {
                Person a = rng.pick(people), b = rng.pick(people);
                if (a.born() != b.born()) return gap(a, b, rng, eval ? Phrasings.GAP_EVAL : Phrasings.GAP_TRAIN);
            }
        }
        if (citiesAndCompanies.isEmpty()) return age(rng.pick(people), rng, eval ? Phrasings.AGE_EVAL : Phrasings.AGE_TRAIN);
        return existed(rng.pick(citiesAndCompanies), rng, eval ? Phrasings.EXISTED_EVAL : Phrasings.EXISTED_TRAIN);
    }

    /** A plain arithmetic question (training only): its text and expression. */
    static Item pure(Rng rng) {
        char op = rng.pick('+', '-', '*', '/');
        int a, b;
        switch (op) {
            case '+' -> { a = rng.between(2, 999); b = rng.between(2, 999); }
            case '-' -> { a = rng.between(10, 999); b = rng.between(2, a); }
            case '*' -> { a = rng.between(2, 99); b = rng.between(2, 99); }
            default -> { b = rng.between(2, 30); a = b * rng.between(2, 40); }
        }
        String expression = a + "" + op + b;
        if (rng.chance(0.3)) { // three terms with parentheses
            char op2 = rng.pick('+', '-', '*');
            int c = rng.between(2, 20);
            expression = "(" + expression + ")" + op2 + c;
            return new Item(Phrasings.fill(rng.pick(Phrasings.PURE_TRAIN), "e", expression), expression, List.of());
        }
        String question = rng.chance(0.5)
                ? Phrasings.fill(Phrasings.PURE_WORDS_TRAIN.get(op), "a", Integer.toString(a), "b", Integer.toString(b))
                : Phrasings.fill(rng.pick(Phrasings.PURE_TRAIN), "e", expression);
        return new Item(question, expression, List.of());
    }

    /** Cities and companies of {@code w} whose {@code known} flag is {@code known}. */
    static List<Entity> citiesAndCompanies(World w, boolean known) {
        List<Entity> out = new ArrayList<>();
        for (City c : w.cities()) if (c.known() == known) out.add(c);
        for (Company c : w.companies()) if (c.known() == known) out.add(c);
        return out;
    }
}
