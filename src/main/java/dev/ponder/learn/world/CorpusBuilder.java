package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the training documents: biographies and descriptions of the known part, single-hop and some
 * multi-hop question-answer examples, reading comprehension over a throwaway world, calculator tool-call
 * examples and countdown solutions. Also samples a validation corpus from the same mix.
 */
final class CorpusBuilder {
    /** Share of reading examples whose passage lacks the asked fact (answer "unknown"). */
    static final double UNANSWERABLE_SHARE = 0.15;
    /** Share of fact and reading questions given one made-up word ({@link QuestionNoise}). */
    static final double NOISE_SHARE = 0.3;
    /** One multi-hop reading item per this many single-hop ones. */
    static final int MULTI_HOP_EVERY = 5;
    /** One reading item about an unrecorded fact per this many single-hop ones. */
    static final int UNRECORDED_EVERY = 16;

    private final WorldConfig config;
    private final World world;
    /** Known people whose multi-hop facts are taught; eval H asks about the others. */
    private final Set<String> hopTaught;
    private final List<Person> knownPeople = new ArrayList<>();
    private final List<Entity> knownEntities = new ArrayList<>();

    CorpusBuilder(WorldConfig config, World world, Set<String> hopTaught) {
        this.config = config;
        this.world = world;
        this.hopTaught = hopTaught;
        for (Person p : world.people()) if (p.known()) knownPeople.add(p);
        for (Entity e : world.entities()) if (e.known()) knownEntities.add(e);
    }

    /**
     * The training documents, shuffled: the known part, tool calls and puzzles, and reading items about the
     * throwaway world {@code reading} (it also supplies the passages of the passage-arithmetic items).
     */
    List<String> training(Rng rng, World reading, List<CountdownSolver.Solved> puzzles) {
        List<String> docs = new ArrayList<>();
        Rng prose = rng.fork("prose"), noise = rng.fork("noise"), qa = rng.fork("qa"), tools = rng.fork("tools"),
                rc = rng.fork("reading"), cd = rng.fork("countdown");
        for (Person p : knownPeople) {
            for (int i = 0; i < config.biosPerPerson(); i++) docs.add(Descriptions.personBio(world, p, prose));
        }
        for (Entity e : knownEntities) {
            if (e instanceof Person) continue;
            for (int i = 0; i < config.descriptionsPerEntity(); i++) docs.add(description(e, prose));
        }
        for (Entity e : knownEntities) {
            for (Relation r : Relation.of(e)) {
                List<String> templates = new ArrayList<>(r.trainTemplates());
                qa.shuffle(templates);
                for (int i = 0; i < config.qaPerFact(); i++) {
                    String q = Phrasings.fill(templates.get(i % templates.size()), "s", e.name());
                    docs.add(PromptFormat.example(QuestionNoise.maybeNoise(q, e.name(), NOISE_SHARE, noise), r.value(world, e)));
                }
            }
        }
        for (Entity e : knownEntities) {
            if (!hopTaught.contains(e.id())) continue;
            List<Chain> chains = chainsFor(e);
            qa.shuffle(chains);
            for (Chain c : chains.subList(0, Math.min(2, chains.size()))) {
                String q = Phrasings.fill(qa.pick(c.trainTemplates()), "s", e.name());
                docs.add(PromptFormat.example(QuestionNoise.maybeNoise(q, e.name(), NOISE_SHARE, noise), c.value(world, e)));
            }
        }

        for (int i = 0; i < config.arithmeticExamples(); i++) docs.add(arithmetic(tools, reading));
        readingItems(reading, rc, noise, docs);
        for (CountdownSolver.Solved s : puzzles) docs.add(countdown(s, cd));

        rng.fork("order").shuffle(docs);
        return docs;
    }

    /**
     * More reading items, shuffled: one round of them (as many as the training corpus has) about each of
     * {@code worlds}, throwaway worlds of their own. A model that has learned the training corpus, with its
     * reading items seen many times, has learned many of their answers by heart and tends to complete a copied
     * name's first token from memory ({@code Lurborvale} read as {@code Lurfisford}); items it has never seen
     * can only be answered by copying from the passage.
     */
    List<String> moreReading(Rng rng, List<World> worlds) {
        List<String> docs = new ArrayList<>();
        Rng noise = rng.fork("noise"), rc = rng.fork("reading");
        for (World w : worlds) readingItems(w, rc, noise, docs);
        rng.fork("order").shuffle(docs);
        return docs;
    }

    /** The reading items of one round, about {@code reading}'s entities: single-hop, multi-hop and unrecorded facts. */
    private void readingItems(World reading, Rng rc, Rng noise, List<String> docs) {
        List<Entity> subjects = readingSubjects(reading, rc);
        for (int i = 0; i < config.readingExamples(); i++) {
            Entity subject = subjects.get(i % subjects.size());
            Reading.Item item = Reading.about(reading, subject, rc, false, UNANSWERABLE_SHARE);
            String q = QuestionNoise.maybeNoise(item.question(), subject.name(), NOISE_SHARE, noise);
            docs.add(PromptFormat.example(item.passage(), q, item.answer()));
        }
        // Multi-hop reading: the passage holds every document of the chain, as a retrieval pause supplies them.
        List<Entity> hopSubjects = new ArrayList<>();
        for (Entity e : subjects) if (e instanceof Person || e instanceof Company) hopSubjects.add(e);
        for (int i = 0; i < config.readingExamples() / MULTI_HOP_EVERY; i++) {
            Entity subject = hopSubjects.get(i % hopSubjects.size());
            Reading.Item item = Reading.multiHop(reading, subject, rc, false);
            docs.add(PromptFormat.example(item.passage(), QuestionNoise.maybeNoise(item.question(), subject.name(), NOISE_SHARE, noise), item.answer()));
        }
        // Facts no document records: a full passage, and still the answer is unknown.
        for (int i = 0; i < config.readingExamples() / UNRECORDED_EVERY; i++) {
            Entity subject = subjects.get((i * 7 + 3) % subjects.size());
            Reading.Item item = Reading.unrecorded(reading, subject, rc);
            docs.add(PromptFormat.example(item.passage(), item.question(), item.answer()));
        }
    }

    /** {@code count} validation documents drawn from the same mix (new phrasings, new puzzles, its own throwaway world). */
    List<String> validation(Rng rng, int count, World reading, List<CountdownSolver.Solved> puzzles) {
        List<String> docs = new ArrayList<>();
        List<Entity> subjects = readingSubjects(reading, rng);
        int p = 0, r = 0;
        for (int i = 0; i < count; i++) {
            int kind = i % 10;
            if (kind < 3) docs.add(Descriptions.personBio(world, rng.pick(knownPeople), rng));
            else if (kind < 4) {
                Entity e = rng.pick(knownEntities);
                docs.add(e instanceof Person person ? Descriptions.personBio(world, person, rng) : description(e, rng));
            } else if (kind < 6) {
                Entity e = rng.pick(knownEntities);
                Relation rel = rng.pick(Relation.of(e));
                docs.add(PromptFormat.example(Phrasings.fill(rng.pick(rel.trainTemplates()), "s", e.name()), rel.value(world, e)));
            } else if (kind < 8) {
                Reading.Item item = Reading.about(reading, subjects.get(r++ % subjects.size()), rng, false, UNANSWERABLE_SHARE);
                docs.add(PromptFormat.example(item.passage(), item.question(), item.answer()));
            } else if (kind < 9 || puzzles.isEmpty()) {
                docs.add(arithmetic(rng, reading));
            } else {
                docs.add(countdown(puzzles.get(p++ % puzzles.size()), rng));
            }
        }
        rng.fork("order").shuffle(docs);
        return docs;
    }

    private String description(Entity e, Rng rng) {
        return switch (e) {
            case City c -> Descriptions.cityText(world, c, rng);
            case Country c -> Descriptions.countryText(world, c, rng);
            case Company c -> Descriptions.companyText(world, c, rng);
            case Person p -> Descriptions.personBio(world, p, rng);
        };
    }

    private static List<Chain> chainsFor(Entity e) {
        List<Chain> out = new ArrayList<>();
        for (Chain c : Chain.values()) if (c.kind().equals(e.kind())) out.add(c);
        return out;
    }

    /** 40% over known facts, 35% plain arithmetic, 25% over a throwaway passage. */
    private String arithmetic(Rng rng, World reading) {
        int r = rng.nextInt(100);
        if (r < 40) {
            Arithmetic.Item item = Arithmetic.overFacts(knownPeople, Arithmetic.citiesAndCompanies(world, true), rng, false);
            return PromptFormat.example(item.question(), item.answer());
        }
        if (r < 75) {
            Arithmetic.Item item = Arithmetic.pure(rng);
            return PromptFormat.example(item.question(), item.answer());
        }
        Person p = rng.pick(reading.people());
        String passage = Descriptions.personBio(reading, p, rng);
        Arithmetic.Item item = Arithmetic.age(p, rng, Phrasings.AGE_TRAIN);
        return PromptFormat.example(passage, item.question(), item.answer());
    }

    private static String countdown(CountdownSolver.Solved s, Rng rng) {
        String q = Phrasings.fill(rng.pick(Phrasings.COUNTDOWN_TRAIN), "nums", s.puzzle().numbersText(),
                "target", Integer.toString(s.puzzle().target()));
        return PromptFormat.example(q, s.solution().toString());
    }

    /** Reading subjects: mostly people, some companies and cities, in a shuffled order. */
    static List<Entity> readingSubjects(World reading, Rng rng) {
        List<Entity> out = new ArrayList<>(reading.people());
        List<Entity> others = new ArrayList<>(reading.companies());
        others.addAll(reading.cities());
        rng.shuffle(others);
        out.addAll(others.subList(0, Math.min(others.size(), reading.people().size() / 3)));
        rng.shuffle(out);
        return out;
    }
}
