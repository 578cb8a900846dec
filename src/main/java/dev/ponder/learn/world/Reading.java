package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reading-comprehension items over a throwaway world (entities that appear nowhere else): a passage about
 * the subject, sometimes with a text about a second entity as a distractor, and a question about the
 * subject. An unanswerable item leaves the asked fact out of the passage; its answer is "unknown".
 */
final class Reading {
    private Reading() {}

    /** Share of passages written as the library writes its documents (the text a retrieval pause injects). */
    static final double LIBRARY_STYLE = 0.3;

    /** A passage, a question about it, and the answer. */
    record Item(String passage, String question, String answer) {}

    /**
     * A multi-hop item: the passage holds the documents along one of {@code subject}'s chains (person or
     * company), in any order, sometimes with a distractor; the question needs all of them.
     */
    static Item multiHop(World w, Entity subject, Rng rng, boolean eval) {
        List<Chain> chains = new ArrayList<>();
        for (Chain c : Chain.values()) if (c.kind().equals(subject.kind())) chains.add(c);
        Chain chain = rng.pick(chains);
        List<String> parts = new ArrayList<>();
        for (String id : chain.support(w, subject)) parts.add(text(w, w.get(id), rng));
        if (rng.chance(0.5)) parts.add(text(w, distractor(w, subject, rng), rng));
        rng.shuffle(parts);
        String question = Phrasings.fill(rng.pick(eval ? chain.evalTemplates() : chain.trainTemplates()), "s", subject.name());
        return new Item(String.join(" ", parts), question, chain.value(w, subject));
    }

    /** An item asking for a fact the world never records, over a full passage about the subject: answer unknown. */
    static Item unrecorded(World w, Entity subject, Rng rng) {
        String question = Phrasings.fill(rng.pick(Phrasings.UNRECORDED_TRAIN.get(subject.kind())), "s", subject.name());
        return new Item(text(w, subject, rng), question, PromptFormat.UNKNOWN);
    }

    /** A full text about {@code e}: its library paragraph or a varied description. */
    private static String text(World w, Entity e, Rng rng) {
        if (rng.chance(0.5)) return Descriptions.libraryBody(w, e);
        return switch (e) {
            case Person p -> Descriptions.personText(w, p, rng, EnumSet.copyOf(Relation.of(p)), false);
            case Company c -> Descriptions.companyText(w, c, rng);
            case City c -> Descriptions.cityText(w, c, rng);
            case Country c -> Descriptions.countryText(w, c, rng);
        };
    }

    /**
     * An item about {@code subject} (a person, city or company of {@code w}); with probability
     * {@code unanswerable} the asked fact is missing (people and companies only).
     */
    static Item about(World w, Entity subject, Rng rng, boolean eval, double unanswerable) {
        List<Relation> relations = Relation.of(subject);
        Relation asked = rng.pick(relations);
        boolean missing = !(subject instanceof City) && rng.chance(unanswerable);
        Set<Relation> include = EnumSet.copyOf(relations);
        if (missing) include.remove(asked);
        String text = !missing && rng.chance(LIBRARY_STYLE) ? Descriptions.libraryBody(w, subject) : switch (subject) {
            case Person p -> Descriptions.personText(w, p, rng, include, false);
            case Company c -> Descriptions.companyText(w, c, rng, include);
            case City c -> Descriptions.cityText(w, c, rng);
            case Country c -> Descriptions.countryText(w, c, rng);
        };
        List<String> parts = new ArrayList<>();
        parts.add(text);
        if (rng.chance(0.5)) {
            Entity other = distractor(w, subject, rng);
            parts.add(switch (other) {
                case Person p -> Descriptions.personText(w, p, rng, EnumSet.copyOf(Relation.of(p)), false);
                case Company c -> Descriptions.companyText(w, c, rng);
                case City c -> Descriptions.cityText(w, c, rng);
                case Country c -> Descriptions.countryText(w, c, rng);
            });
            rng.shuffle(parts);
        }
        List<String> templates = eval ? asked.evalTemplates() : asked.trainTemplates();
        String question = Phrasings.fill(rng.pick(templates), "s", subject.name());
        return new Item(String.join(" ", parts), question, missing ? PromptFormat.UNKNOWN : asked.value(w, subject));
    }

    /**
     * A distractor that cannot answer the question about {@code subject}: a different person, or a city or
     * company that the subject's own facts do not point to.
     */
    private static Entity distractor(World w, Entity subject, Rng rng) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Entity e = switch (rng.nextInt(3)) {
                case 0 -> rng.pick(w.people());
                case 1 -> rng.pick(w.companies());
                default -> rng.pick(w.cities());
            };
            if (e.id().equals(subject.id()) || related(w, subject, e)) continue;
            return e;
        }
        return w.people().getFirst().id().equals(subject.id()) ? w.people().getLast() : w.people().getFirst();
    }

    /** True if one of {@code a}'s or {@code b}'s facts names the other. */
    private static boolean related(World w, Entity a, Entity b) {
        return mentions(w, a, b) || mentions(w, b, a);
    }

    private static boolean mentions(World w, Entity a, Entity b) {
        return switch (a) {
            case Person p -> p.birthCityId().equals(b.id()) || p.employerId().equals(b.id()) || b.equals(w.foundedBy(p));
            case Company c -> c.founderId().equals(b.id()) || c.headquartersId().equals(b.id());
            case City c -> c.countryId().equals(b.id());
            case Country c -> c.capitalId().equals(b.id());
        };
    }
}
