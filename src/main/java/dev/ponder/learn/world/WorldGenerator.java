package dev.ponder.learn.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Generates a world and writes all its splits under one directory. Fully deterministic: the same seed and
 * configuration give byte-identical files (own PRNG, fixed iteration orders, no clock, no locale).
 *
 * <p>Layout of {@code DIR} (also written to {@code DIR/README.md}):
 * <pre>
 * README.md              layout, formats and sizes of this world
 * entities.jsonl         ground truth: one entity per line, with its "known" flag
 * library/ID.md          one document per entity, known and unknown (ID = person-0001, city-0001, ...)
 * train/corpus.jsonl     training corpus: {"text": ...} one document per line (known part only)
 * train/valid.jsonl      held-out documents of the same mix, for validation loss
 * train/reading.jsonl    with more than one reading round: more reading items, each round about its own throwaway world
 * eval/dev.jsonl         eval questions {"id","category","question","answers","support"[,"passage"]
 * eval/test.jsonl          [,"numbers","target"]}, categories K U N H A C R (see {@link Category})
 * </pre>
 */
public final class WorldGenerator {
    /** Given names people draw from. */
    static final int GIVEN_NAMES = 60;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OUTPUTS = List.of("README.md", "entities.jsonl", "library", "train", "eval");

    private WorldGenerator() {}

    /** What was generated. */
    public record Summary(long seed, WorldConfig config, int knownPeople, int unknownPeople, int countries, int cities,
                          int companies, int libraryDocs, int corpusDocs, long corpusBytes, int validDocs,
                          long validBytes, Map<Category, Integer> dev, Map<Category, Integer> test) {
        /** A few lines for the console. */
        public String describe() {
            return "people " + knownPeople + " known + " + unknownPeople + " unknown, " + countries + " countries, "
                    + cities + " cities, " + companies + " companies\n"
                    + "library " + libraryDocs + " docs; corpus " + corpusDocs + " docs (" + corpusBytes + " bytes); valid "
                    + validDocs + " docs (" + validBytes + " bytes)\n"
                    + "eval dev " + counts(dev) + "; test " + counts(test);
        }

        static String counts(Map<Category, Integer> m) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<Category, Integer> e : m.entrySet()) sb.append(sb.isEmpty() ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
            return sb.toString();
        }
    }

    /** Everything a world consists of, in memory (for tests and for {@link #generate}). */
    public record Generated(World world, List<String> corpus, List<String> valid, List<EvalQuestion> dev, List<EvalQuestion> test,
                     Set<String> hopTaught, List<String> reading) {}

    /** Builds a world and its splits in memory. */
    public static Generated build(WorldConfig config, long seed) {
        config.validate();
        Rng root = new Rng(seed);
        NameGenerator names = new NameGenerator(root.fork("names"));
        List<String> given = new ArrayList<>();
        for (int i = 0; i < GIVEN_NAMES; i++) given.add(names.given());
        World world = new WorldBuilder(root.fork("world"), names, given, "").build(WorldBuilder.Sizes.of(config));

        // Multi-hop facts are taught for half of the known people and companies; eval H asks about the rest.
        List<String> hopCandidates = new ArrayList<>();
        for (Entity e : world.entities()) if (e.known() && (e instanceof Person || e instanceof Company)) hopCandidates.add(e.id());
        root.fork("hop").shuffle(hopCandidates);
        Set<String> hopTaught = new TreeSet<>(hopCandidates.subList(0, hopCandidates.size() / 2));

        int n = config.evalPerCategory();
        NameGenerator beforeReading = names.fork(root.fork("rc-names"));
        World rcTrain = throwaway(root.fork("rc-train"), names, given, "rc-train-", config.readingExamples() + config.arithmeticExamples() / 4);
        NameGenerator afterReading = names.fork(root.fork("rc-names"));
        World rcValid = throwaway(root.fork("rc-valid"), names, given, "rc-valid-", config.validDocs() / 4);
        World rcEval = throwaway(root.fork("rc-eval"), names, given, "rc-eval-", 2 * n);

        List<List<CountdownSolver.Solved>> puzzles = puzzles(root.fork("countdown"), config,
                config.countdownTrain(), config.validDocs() / 10 + 1, 2 * n);

        EvalBuilder eval = new EvalBuilder(world, names, given, hopTaught);
        List<List<EvalQuestion>> splits = EvalBuilder.split(eval.build(root.fork("eval"), 2 * n, rcEval, puzzles.get(2)));

        // Further reading rounds: each its own throwaway world, named by a fork of the generator as it was before
        // the first round (the same room for names), kept off every name handed out after the first round (the
        // validation and eval worlds, the eval sets' made-up names). Rounds may share names with each other and
        // with the first round, never with the world, the library or the eval sets.
        java.util.SortedSet<String> later = names.takenSince(afterReading);
        List<World> rounds = new ArrayList<>(List.of(rcTrain));
        for (int r = 1; r < config.readingRounds(); r++) {
            NameGenerator roundNames = beforeReading.fork(root.fork("rc-names-round-" + r));
            roundNames.reserve(later);
            rounds.add(throwaway(root.fork("rc-train-round-" + r), roundNames, given,
                    "rc-train" + r + "-", config.readingExamples() + config.arithmeticExamples() / 4));
        }
        CorpusBuilder corpus = new CorpusBuilder(config, world, hopTaught);
        List<String> train = corpus.training(root.fork("corpus"), rcTrain, puzzles.get(0));
        List<String> reading = corpus.moreReading(root.fork("more-reading"), rounds.subList(1, rounds.size()));
        List<String> valid = corpus.validation(root.fork("valid"), config.validDocs(), rcValid, puzzles.get(1));
        return new Generated(world, train, valid, splits.get(0), splits.get(1), hopTaught, reading);
    }

    /** A closed world of throwaway entities for about {@code items} reading items. */
    private static World throwaway(Rng rng, NameGenerator names, List<String> given, String prefix, int items) {
        // Many places and companies, so each name recurs in only a few passages: a model cannot answer by
        // recalling a name it has memorised and has to copy it from the passage, token by token.
        int people = Math.max(12, items + 4);
        int cities = Math.max(6, people / 3), companies = Math.max(6, people / 3), countries = Math.max(2, cities / 8);
        return new WorldBuilder(rng, names, given, prefix)
                .build(new WorldBuilder.Sizes(countries, 0, cities, 0, companies, 0, people, 0));
    }

    /** Distinct solvable puzzles for training, validation and eval, in that order. */
    private static List<List<CountdownSolver.Solved>> puzzles(Rng rng, WorldConfig c, int... counts) {
        Set<String> keys = new TreeSet<>();
        List<List<CountdownSolver.Solved>> out = new ArrayList<>();
        for (int count : counts) {
            List<CountdownSolver.Solved> part = new ArrayList<>();
            for (int attempt = 0; part.size() < count && attempt < 20 * count + 100; attempt++) {
                CountdownSolver.Solved s = CountdownSolver.randomPuzzle(rng, c.countdownNumbers(),
                        WorldConfig.COUNTDOWN_MIN_TARGET, c.countdownMaxTarget());
                if (keys.add(s.puzzle().numbers() + "->" + s.puzzle().target())) part.add(s);
            }
            out.add(part);
        }
        return out;
    }

    /**
     * Generates the world for {@code seed} into {@code out}. {@code out} must be absent or empty, unless
     * {@code overwrite} is set and it holds a generated world, whose files are then replaced.
     */
    public static Summary generate(WorldConfig config, long seed, Path out, boolean overwrite) {
        config.validate();
        prepare(out, overwrite);
        Generated g = build(config, seed);
        try {
            Path library = Files.createDirectories(out.resolve("library"));
            Files.createDirectories(out.resolve("train"));
            Files.createDirectories(out.resolve("eval"));
            for (Entity e : g.world().entities()) write(library.resolve(e.id() + ".md"), Descriptions.libraryDoc(g.world(), e));
            write(out.resolve("entities.jsonl"), entitiesJsonl(g.world()));
            String corpus = textJsonl(g.corpus()), valid = textJsonl(g.valid());
            write(out.resolve("train/corpus.jsonl"), corpus);
            write(out.resolve("train/valid.jsonl"), valid);
            if (!g.reading().isEmpty()) write(out.resolve("train/reading.jsonl"), textJsonl(g.reading()));
            write(out.resolve("eval/dev.jsonl"), evalJsonl(g.dev()));
            write(out.resolve("eval/test.jsonl"), evalJsonl(g.test()));
            int known = 0;
            for (Person p : g.world().people()) if (p.known()) known++;
            Summary s = new Summary(seed, config, known, g.world().people().size() - known, g.world().countries().size(),
                    g.world().cities().size(), g.world().companies().size(), g.world().entities().size(), g.corpus().size(),
                    corpus.getBytes(StandardCharsets.UTF_8).length, g.valid().size(), valid.getBytes(StandardCharsets.UTF_8).length,
                    count(g.dev()), count(g.test()));
            write(out.resolve("README.md"), WorldReadme.text(s));
            return s;
        } catch (IOException e) {
            throw new PonderException("cannot write world to " + out + ": " + e.getMessage(), e);
        }
    }

    private static Map<Category, Integer> count(List<EvalQuestion> qs) {
        Map<Category, Integer> m = new EnumMap<>(Category.class);
        for (Category c : Category.values()) m.put(c, 0);
        for (EvalQuestion q : qs) m.merge(q.category(), 1, Integer::sum);
        return m;
    }

    private static void prepare(Path out, boolean overwrite) {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) throw new PonderException(out + " exists and is not a directory");
            if (!Files.exists(out)) {
                Files.createDirectories(out);
                return;
            }
            boolean empty;
            try (Stream<Path> s = Files.list(out)) {
                empty = s.findAny().isEmpty();
            }
            if (empty) return;
            boolean isWorld = Files.exists(out.resolve("entities.jsonl")) && Files.exists(out.resolve("library"));
            if (!overwrite || !isWorld) {
                throw new PonderException(out + " is not empty" + (isWorld ? "; use --force to replace the world in it" : " and holds no generated world"));
            }
            for (String name : OUTPUTS) deleteRecursively(out.resolve(name));
        } catch (IOException e) {
            throw new PonderException("cannot prepare " + out + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String textJsonl(List<String> docs) {
        StringBuilder sb = new StringBuilder();
        for (String d : docs) {
            ObjectNode o = JSON.createObjectNode();
            o.put("text", d);
            sb.append(json(o)).append('\n');
        }
        return sb.toString();
    }

    private static String evalJsonl(List<EvalQuestion> qs) {
        StringBuilder sb = new StringBuilder();
        for (EvalQuestion q : qs) sb.append(q.toJson()).append('\n');
        return sb.toString();
    }

    private static String entitiesJsonl(World w) {
        StringBuilder sb = new StringBuilder();
        for (Entity e : w.entities()) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", e.id());
            o.put("kind", e.kind());
            o.put("name", e.name());
            o.put("known", e.known());
            switch (e) {
                case Person p -> {
                    o.put("given", p.given());
                    o.put("surname", p.surname());
                    o.put("born", p.born());
                    o.put("birth_city", p.birthCityId());
                    o.put("profession", p.profession());
                    o.put("employer", p.employerId());
                }
                case City c -> {
                    o.put("country", c.countryId());
                    o.put("founded", c.founded());
                }
                case Country c -> o.put("capital", c.capitalId());
                case Company c -> {
                    o.put("founded", c.founded());
                    o.put("headquarters", c.headquartersId());
                    o.put("founder", c.founderId());
                }
            }
            sb.append(json(o)).append('\n');
        }
        return sb.toString();
    }

    private static String json(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
