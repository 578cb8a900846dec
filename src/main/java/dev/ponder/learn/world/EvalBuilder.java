package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the eval questions of every category with the eval-only phrasings, twice as many as one split
 * needs; {@link #split} then deals them into dev and test so the two never share a question.
 */
final class EvalBuilder {
    private final World world;
    private final NameGenerator names;
    private final List<String> givenNames;
    private final Set<String> hopTaught;
    /** Every question (with its passage) produced so far, to keep them all distinct. */
    private final Set<String> seen = new TreeSet<>();

    EvalBuilder(World world, NameGenerator names, List<String> givenNames, Set<String> hopTaught) {
        this.world = world;
        this.names = names;
        this.givenNames = givenNames;
        this.hopTaught = hopTaught;
    }

    /** A question before it gets its id. */
    record Draft(Category category, String question, List<String> answers, List<String> support, String passage,
                 CountdownPuzzle puzzle) {}

    /** Up to {@code n} drafts per category (fewer when the world is too small for more distinct ones). */
    Map<Category, List<Draft>> build(Rng rng, int n, World reading, List<CountdownSolver.Solved> puzzles) {
        Map<Category, List<Draft>> out = new EnumMap<>(Category.class);
        out.put(Category.K, facts(rng.fork("K"), n, true));
        out.put(Category.U, facts(rng.fork("U"), n, false));
        out.put(Category.N, unanswerable(rng.fork("N"), n));
        out.put(Category.H, multiHop(rng.fork("H"), n));
        out.put(Category.A, arithmetic(rng.fork("A"), n));
        out.put(Category.C, countdown(rng.fork("C"), puzzles));
        out.put(Category.R, reading(rng.fork("R"), n, reading));
        return out;
    }

    /** Deals each category's drafts: the first half to dev, the rest to test, with ids. */
    static List<List<EvalQuestion>> split(Map<Category, List<Draft>> drafts) {
        List<EvalQuestion> dev = new ArrayList<>(), test = new ArrayList<>();
        for (Map.Entry<Category, List<Draft>> e : drafts.entrySet()) {
            List<Draft> all = e.getValue();
            int half = (all.size() + 1) / 2;
            for (int i = 0; i < all.size(); i++) {
                boolean toDev = i < half;
                List<EvalQuestion> target = toDev ? dev : test;
                String id = (toDev ? "dev-" : "test-") + e.getKey() + "-" + pad(toDev ? i + 1 : i - half + 1);
                Draft d = all.get(i);
                target.add(new EvalQuestion(id, d.category(), d.question(), d.answers(), d.support(), d.passage(),
                        d.puzzle() == null ? null : d.puzzle().numbers(), d.puzzle() == null ? null : d.puzzle().target()));
            }
        }
        return List.of(dev, test);
    }

    private static String pad(int n) {
        String s = Integer.toString(n);
        return "0000".substring(Math.min(4, s.length())) + s;
    }

    private boolean fresh(String question, String passage) {
        return seen.add(passage == null ? question : passage + "\n" + question);
    }

    private List<Draft> facts(Rng rng, int n, boolean known) {
        List<Entity> subjects = new ArrayList<>();
        for (Entity e : world.entities()) if (e.known() == known) subjects.add(e);
        List<Object[]> pairs = new ArrayList<>();
        for (Entity e : subjects) for (Relation r : Relation.of(e)) pairs.add(new Object[] {e, r});
        rng.shuffle(pairs);
        List<Draft> out = new ArrayList<>();
        for (Object[] pair : pairs) {
            if (out.size() >= n) break;
            Entity e = (Entity) pair[0];
            Relation r = (Relation) pair[1];
            String q = Phrasings.fill(rng.pick(r.evalTemplates()), "s", e.name());
            if (fresh(q, null)) out.add(new Draft(known ? Category.K : Category.U, q, List.of(r.value(world, e)), List.of(e.id()), null, null));
        }
        return out;
    }

    /** Two thirds about invented entities no document mentions, one third about facts the world does not record. */
    private List<Draft> unanswerable(Rng rng, int n) {
        List<Draft> out = new ArrayList<>();
        List<Entity> all = world.entities();
        for (int attempt = 0; out.size() < n && attempt < 10 * n + 100; attempt++) {
            String q;
            if (attempt % 3 != 2) {
                NameGenerator.MadeUp made = names.madeUp(rng, givenNames);
                String kind = made.kind(), name = made.name();
                List<Relation> relations = new ArrayList<>();
                for (Relation r : Relation.values()) if (r.kind().equals(kind)) relations.add(r);
                q = Phrasings.fill(rng.pick(rng.pick(relations).evalTemplates()), "s", name);
            } else {
                Entity e = rng.pick(all);
                q = Phrasings.fill(rng.pick(Phrasings.UNRECORDED_EVAL.get(e.kind())), "s", e.name());
            }
            if (fresh(q, null)) out.add(new Draft(Category.N, q, List.of(PromptFormat.UNKNOWN), List.of(), null, null));
        }
        return out;
    }

    /** Half about known subjects whose multi-hop facts were never taught, half about unknown subjects. */
    private List<Draft> multiHop(Rng rng, int n) {
        List<Object[]> knownPairs = new ArrayList<>(), unknownPairs = new ArrayList<>();
        for (Entity e : world.entities()) {
            if (e.known() && hopTaught.contains(e.id())) continue;
            for (Chain c : Chain.values()) {
                if (!c.kind().equals(e.kind())) continue;
                // A founder's own text states their company's facts: no real second hop there.
                boolean founderOfEmployer = e instanceof Person p && world.foundedBy(p) != null && c.name().startsWith("EMPLOYER_");
                if (!founderOfEmployer) (e.known() ? knownPairs : unknownPairs).add(new Object[] {e, c});
            }
        }
        rng.shuffle(knownPairs);
        rng.shuffle(unknownPairs);
        List<Object[]> order = new ArrayList<>();
        for (int i = 0; i < Math.max(knownPairs.size(), unknownPairs.size()); i++) {
            if (i < knownPairs.size()) order.add(knownPairs.get(i));
            if (i < unknownPairs.size()) order.add(unknownPairs.get(i));
        }
        List<Draft> out = new ArrayList<>();
        for (Object[] pair : order) {
            if (out.size() >= n) break;
            Entity e = (Entity) pair[0];
            Chain c = (Chain) pair[1];
            String q = Phrasings.fill(rng.pick(c.evalTemplates()), "s", e.name());
            if (fresh(q, null)) out.add(new Draft(Category.H, q, List.of(c.value(world, e)), c.support(world, e), null, null));
        }
        return out;
    }

    private List<Draft> arithmetic(Rng rng, int n) {
        List<Person> people = new ArrayList<>();
        for (Person p : world.people()) if (p.known()) people.add(p);
        List<Entity> others = Arithmetic.citiesAndCompanies(world, true);
        List<Draft> out = new ArrayList<>();
        for (int attempt = 0; out.size() < n && attempt < 10 * n + 100; attempt++) {
            Arithmetic.Item item = Arithmetic.overFacts(people, others, rng, true);
            if (fresh(item.question(), null)) {
                out.add(new Draft(Category.A, item.question(), List.of(item.value()), item.support(), null, null));
            }
        }
        return out;
    }

    private List<Draft> countdown(Rng rng, List<CountdownSolver.Solved> puzzles) {
        List<Draft> out = new ArrayList<>();
        for (CountdownSolver.Solved s : puzzles) {
            String q = Phrasings.fill(rng.pick(Phrasings.COUNTDOWN_EVAL), "nums", s.puzzle().numbersText(),
                    "target", Integer.toString(s.puzzle().target()));
            if (fresh(q, null)) out.add(new Draft(Category.C, q, List.of(s.solution().toString()), List.of(), null, s.puzzle()));
        }
        return out;
    }

    private List<Draft> reading(Rng rng, int n, World reading) {
        List<Entity> subjects = CorpusBuilder.readingSubjects(reading, rng);
        List<Draft> out = new ArrayList<>();
        for (int i = 0; out.size() < n && i < subjects.size(); i++) {
            Reading.Item item = Reading.about(reading, subjects.get(i), rng, true, 0.0);
            if (fresh(item.question(), item.passage())) {
                out.add(new Draft(Category.R, item.question(), List.of(item.answer()), List.of(), item.passage(), null));
            }
        }
        return out;
    }
}
