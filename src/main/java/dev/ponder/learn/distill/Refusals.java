package dev.ponder.learn.distill;

import dev.ponder.learn.world.Chain;
import dev.ponder.learn.world.Entity;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.learn.world.NameGenerator;
import dev.ponder.learn.world.Person;
import dev.ponder.learn.world.Phrasings;
import dev.ponder.learn.world.Relation;
import dev.ponder.learn.world.Rng;
import dev.ponder.learn.world.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Candidate refusal questions for one distillation round, all in training phrasings: facts the world never records
 * ({@link Phrasings#UNRECORDED_TRAIN}) of known and unknown entities, real relations asked of entities that do not
 * exist, and multi-hop questions ({@link Chain} training templates). Which of them become refusal data is decided
 * by slow thinking (only those Ponder abstains on), not here.
 *
 * <p>Made-up entities are named by the world's own {@link NameGenerator} kept off every capitalised word of the
 * world (entity names, library, corpus) and of the eval sets, so a fresh name is neither a world entity nor one of
 * the made-up names the N eval questions ask about; absence is checked again word by word.
 */
public final class Refusals {
    /** Shares of the three sources in a round's candidates: unrecorded, fictional, multi-hop (sum 1). */
    static final double UNRECORDED_SHARE = 0.3, FICTIONAL_SHARE = 0.4;

    private static final Pattern CAPITALISED = Pattern.compile("\\b[A-Z][a-z]+\\b");

    private final World world;
    private final Set<String> evalTexts = new HashSet<>();
    /** Every capitalised word (lower case) of the world, its texts and the eval sets: a fresh name uses none. */
    private final Set<String> worldWords = new TreeSet<>();
    private final List<String> givenNames;

    /**
     * @param world the world
     * @param texts every text the world is made of and the model may have seen or be asked (corpus, library
     *     documents): their capitalised words are kept off fresh names
     * @param eval the dev and test questions: never asked, and their names never reused
     */
    public Refusals(World world, Collection<String> texts, List<EvalQuestion> eval) {
        this.world = world;
        for (EvalQuestion q : eval) {
            evalTexts.add(Problems.key(q.question()));
            addWords(q.question());
            if (q.passage() != null) addWords(q.passage());
        }
        for (String t : texts) addWords(t);
        Set<String> given = new TreeSet<>();
        for (Entity e : world.entities()) {
            addWords(e.name());
            if (e instanceof Person p) given.add(p.given());
        }
        this.givenNames = List.copyOf(given);
    }

    private void addWords(String text) {
        Matcher m = CAPITALISED.matcher(text);
        while (m.find()) worldWords.add(m.group().toLowerCase(Locale.ROOT));
    }

    /** True if no word of {@code name} is a capitalised word of the world or the eval sets (pass only a name's new words). */
    public boolean absent(String name) {
        for (String w : name.split(" ")) {
            if (worldWords.contains(w.toLowerCase(Locale.ROOT))) return false;
        }
        return true;
    }

    /**
     * About {@code n} candidates for round {@code round} (different rounds draw different ones), none with the text of
     * an eval question (case and spacing ignored). {@code seed} is the world seed.
     */
    public List<Refusal> candidates(long seed, int round, int n) {
        Rng rng = new Rng(seed).fork("refusals-" + round);
        int nUnrecorded = (int) Math.round(n * UNRECORDED_SHARE), nFictional = (int) Math.round(n * FICTIONAL_SHARE);
        int nHop = Math.max(0, n - nUnrecorded - nFictional);
        List<Refusal> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        out.addAll(unrecorded(rng.fork("unrecorded"), nUnrecorded, seen));
        out.addAll(fictional(rng.fork("fictional"), seed, round, nFictional, seen));
        out.addAll(multiHop(rng.fork("hop"), nHop, seen));
        return out;
    }

    /** Unrecorded facts ({@link Phrasings#UNRECORDED_TRAIN}) of known and unknown entities. */
    List<Refusal> unrecorded(Rng rng, int n, Set<String> seen) {
        List<Entity> all = new ArrayList<>(world.entities());
        List<Refusal> out = new ArrayList<>();
        for (int attempt = 0; out.size() < n && attempt < 20 * n + 100; attempt++) {
            Entity e = rng.pick(all);
            String q = Phrasings.fill(rng.pick(Phrasings.UNRECORDED_TRAIN.get(e.kind())), "s", e.name());
            if (add(q, seen)) out.add(new Refusal(q, Refusal.Source.UNRECORDED, e.id()));
        }
        return out;
    }

    /** Real relations (training templates) asked of fresh names: people 6 in 10, companies 2, cities 1, countries 1. */
    List<Refusal> fictional(Rng rng, long seed, int round, int n, Set<String> seen) {
        NameGenerator names = new NameGenerator(new Rng(seed).fork("refusal-names-" + round));
        names.reserve(worldWords);
        List<Refusal> out = new ArrayList<>();
        for (int attempt = 0; out.size() < n && attempt < 20 * n + 100; attempt++) {
            NameGenerator.MadeUp made = names.madeUp(rng, givenNames);
            String kind = made.kind(), name = made.name();
            // the new part of the name: a person's surname (the given name is a world one), a company's stem
            String fresh = switch (kind) {
                case "person" -> name.substring(name.indexOf(' ') + 1);
                case "company" -> name.substring(0, name.indexOf(' '));
                default -> name;
            };
            if (!absent(fresh)) continue;
            List<Relation> relations = new ArrayList<>();
            for (Relation r : Relation.values()) if (r.kind().equals(kind)) relations.add(r);
            String q = Phrasings.fill(rng.pick(rng.pick(relations).trainTemplates()), "s", name);
            if (add(q, seen)) out.add(new Refusal(q, Refusal.Source.FICTIONAL, ""));
        }
        return out;
    }

    /** Multi-hop questions (training templates) about world entities of the chain's kind. */
    List<Refusal> multiHop(Rng rng, int n, Set<String> seen) {
        List<Object[]> pairs = new ArrayList<>();
        for (Entity e : world.entities()) for (Chain c : Chain.values()) if (c.kind().equals(e.kind())) pairs.add(new Object[] {e, c});
        List<Refusal> out = new ArrayList<>();
        for (int attempt = 0; out.size() < n && attempt < 20 * n + 100 && !pairs.isEmpty(); attempt++) {
            Object[] p = rng.pick(pairs);
            Entity e = (Entity) p[0];
            String q = Phrasings.fill(rng.pick(((Chain) p[1]).trainTemplates()), "s", e.name());
            if (add(q, seen)) out.add(new Refusal(q, Refusal.Source.MULTI_HOP, e.id()));
        }
        return out;
    }

    /** The gold answer of a multi-hop refusal candidate (to drop those fast mode already answers right). */
    public String multiHopAnswer(Refusal r) {
        Entity e = world.get(r.entityId());
        for (Chain c : Chain.values()) {
            if (!c.kind().equals(e.kind())) continue;
            for (String t : c.trainTemplates()) if (Phrasings.fill(t, "s", e.name()).equals(r.question())) return c.value(world, e);
        }
        throw new IllegalArgumentException("not a multi-hop question: " + r.question());
    }

    private boolean add(String question, Set<String> seen) {
        String k = Problems.key(question);
        return !evalTexts.contains(k) && seen.add(k);
    }
}
