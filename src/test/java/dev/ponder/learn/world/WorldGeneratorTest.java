package dev.ponder.learn.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.PonderException;
import dev.ponder.knowledge.tools.Rational;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Properties of a world generated with the default sizes (built once, in memory). */
class WorldGeneratorTest {
    static final long SEED = 20240611L;
    /** The default world with two reading rounds: the corpus, and one further round of reading items. */
    static final WorldConfig CONFIG = WorldConfig.defaults().withReadingRounds(2);
    static WorldGenerator.Generated g;
    static World w;
    static String corpusText;

    /** A small configuration for the tests that write files. */
    static WorldConfig small() {
        return new WorldConfig(40, 40, 3, 2, 8, 4, 6, 4, 2, 2, 1, 60, 60, 40, 4, 200, 40, 10, 1);
    }

    @BeforeAll
    static void generate() {
        g = WorldGenerator.build(CONFIG, SEED);
        w = g.world();
        corpusText = String.join("\n\n", g.corpus()) + "\n\n" + String.join("\n\n", g.valid());
    }

    /** True if {@code name} occurs in {@code text} as whole words. */
    private static boolean mentions(String text, String name) {
        for (int i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
            int end = i + name.length();
            boolean before = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
            boolean after = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (before && after) return true;
        }
        return false;
    }

    /** The word of a name that no other entity shares: a surname, a company's stem, a place name. */
    private static String distinctiveWord(Entity e) {
        return switch (e) {
            case Person p -> p.surname();
            case Company c -> c.name().substring(0, c.name().indexOf(' '));
            default -> e.name();
        };
    }

    @Test
    void sizesMatchTheConfiguration() {
        WorldConfig c = CONFIG;
        assertEquals(c.knownPeople() + c.unknownPeople(), w.people().size());
        assertEquals(c.knownCities() + c.unknownCities(), w.cities().size());
        assertEquals(c.knownCountries() + c.unknownCountries(), w.countries().size());
        assertEquals(c.knownCompanies() + c.unknownCompanies(), w.companies().size());
        assertEquals(c.validDocs(), g.valid().size());
        for (List<EvalQuestion> split : List.of(g.dev(), g.test())) {
            Map<Category, Integer> n = new EnumMap<>(Category.class);
            for (EvalQuestion q : split) n.merge(q.category(), 1, Integer::sum);
            for (Category cat : Category.values()) assertEquals(c.evalPerCategory(), n.get(cat), cat.name());
        }
    }

    @Test
    void namesAreUniqueAndKnownPartIsClosed() {
        Set<String> names = new TreeSet<>(), surnames = new TreeSet<>();
        for (Entity e : w.entities()) assertTrue(names.add(e.name()), e.name());
        for (Person p : w.people()) assertTrue(surnames.add(p.surname()), p.surname());
        for (Person p : w.people()) {
            assertTrue(w.company(p.employerId()) != null && w.city(p.birthCityId()) != null);
            if (p.known()) assertTrue(w.get(p.employerId()).known() && w.get(p.birthCityId()).known(), p.toString());
        }
        for (Company c : w.companies()) {
            Person founder = w.person(c.founderId());
            assertTrue(founder.born() < c.founded() - 20, c.toString());
            if (c.known()) assertTrue(founder.known() && w.get(c.headquartersId()).known(), c.toString());
        }
        for (City c : w.cities()) if (c.known()) assertTrue(w.get(c.countryId()).known());
        for (Country c : w.countries()) {
            assertEquals(c.id(), w.city(c.capitalId()).countryId());
            if (c.known()) assertTrue(w.get(c.capitalId()).known());
        }
    }

    @Test
    void knownFactsAreInTheCorpus() {
        Map<String, List<String>> byWord = new TreeMap<>();
        for (String doc : g.corpus()) {
            for (String word : new TreeSet<>(List.of(doc.split("[^A-Za-z]+")))) byWord.computeIfAbsent(word, k -> new ArrayList<>()).add(doc);
        }
        for (Entity e : w.entities()) {
            if (!e.known()) continue;
            List<String> prose = new ArrayList<>(), qa = new ArrayList<>();
            for (String doc : byWord.getOrDefault(distinctiveWord(e), List.of())) {
                if (doc.contains(e.name())) (doc.startsWith(PromptFormat.QUESTION) ? qa : prose).add(doc);
            }
            for (Relation r : Relation.of(e)) {
                String value = r.value(w, e);
                assertTrue(prose.stream().anyMatch(d -> mentions(d, value)),
                        "no biography or description states " + r + " of " + e.name() + " = " + value);
                String answer = PromptFormat.ANSWER + " " + value + "\n";
                assertTrue(qa.stream().anyMatch(d -> d.endsWith(answer)),
                        "no QA example for " + r + " of " + e.name());
            }
        }
    }

    @Test
    void unknownEntitiesNeverAppearInTrainingText() {
        Set<String> words = new TreeSet<>(List.of(corpusText.split("[^A-Za-z]+")));
        int unknown = 0;
        for (Entity e : w.entities()) {
            if (e.known()) continue;
            unknown++;
            // The distinctive word of the name (surname, or the stem of a company) never occurs at all.
            assertFalse(words.contains(distinctiveWord(e)), e.name() + " is unknown but appears in the training text");
        }
        assertTrue(unknown > 300);
        for (Entity e : w.entities()) if (e.known() && e instanceof Person p) assertTrue(words.contains(p.surname()));
    }

    @Test
    void everyRelationHasManyDistinctTrainingPhrasings() {
        for (Relation r : Relation.values()) {
            Set<String> distinct = new TreeSet<>(r.trainTemplates());
            assertEquals(r.trainTemplates().size(), distinct.size(), r + " repeats a template");
            assertTrue(distinct.size() >= 10, r + " has only " + distinct.size() + " training phrasings");
            for (String t : distinct) assertTrue(t.contains("{s}"), t);
        }
    }

    /**
     * The words the eval phrasings lean on are taught in both the prose and the training questions, so an
     * unseen question can still be mapped to its relation.
     */
    @Test
    void relationSynonymsAppearInProseAndQuestions() {
        StringBuilder prose = new StringBuilder(), questions = new StringBuilder();
        for (String doc : g.corpus()) {
            if (doc.startsWith(PromptFormat.QUESTION)) questions.append(doc).append('\n');
            else if (doc.startsWith(PromptFormat.PASSAGE)) {
                int q = doc.indexOf("\n" + PromptFormat.QUESTION);
                prose.append(doc, 0, q).append('\n');
                questions.append(doc, q, doc.length()).append('\n');
            } else prose.append(doc).append('\n');
        }
        for (String word : List.of("occupation", "profession", "job", "birth year", "year of birth", "originally from",
                "employed by", "employer", "established", "founded", "head office", "headquarters", "based", "set up")) {
            assertTrue(prose.indexOf(word) >= 0, "prose never says: " + word);
            assertTrue(questions.indexOf(word) >= 0, "no training question says: " + word);
        }
    }

    @Test
    void evalQuestionsAreNotInTheCorpusAndPhrasingsDiffer() {
        Set<String> train = new TreeSet<>(Phrasings.trainTemplates());
        for (String t : Phrasings.evalTemplates()) assertFalse(train.contains(t), t);
        for (EvalQuestion q : all()) assertFalse(corpusText.contains(q.question()), q.id() + ": " + q.question());
        // R passages and N invented entities are never seen in training either.
        for (EvalQuestion q : all()) {
            if (q.category() == Category.R) assertFalse(corpusText.contains(q.passage()), q.id());
        }
    }

    @Test
    void devAndTestAreDisjointWithUniqueIds() {
        Set<String> ids = new TreeSet<>(), questions = new TreeSet<>();
        for (EvalQuestion q : all()) {
            assertTrue(ids.add(q.id()), q.id());
            assertTrue(questions.add(q.question() + "|" + q.passage()), q.question());
            assertTrue(q.id().startsWith(g.dev().contains(q) ? "dev-" + q.category() : "test-" + q.category()));
        }
    }

    @Test
    void answersAgreeWithTheWorldAndCheckersRejectOtherAnswers() {
        Set<String> taughtHops = g.hopTaught();
        for (EvalQuestion q : all()) {
            Checker c = Checker.forQuestion(q);
            for (String a : q.answers()) assertTrue(c.accepts(a), q.id() + " rejects its own answer " + a);
            for (String id : q.support()) assertTrue(w.get(id) != null);
            switch (q.category()) {
                case K, U -> {
                    Entity e = w.get(q.support().getFirst());
                    assertEquals(q.category() == Category.K, e.known(), q.id());
                    assertTrue(Relation.of(e).stream().anyMatch(r -> r.value(w, e).equals(q.answers().getFirst())), q.id());
                    assertTrue(q.question().contains(e.name()));
                }
                case H -> {
                    Entity e = w.get(q.support().getFirst());
                    assertTrue(q.question().contains(e.name()));
                    assertFalse(taughtHops.contains(e.id()), q.id() + " asks a multi-hop fact taught in training");
                    assertTrue(q.support().size() >= 2);
                    if (e instanceof Person p && w.foundedBy(p) != null) assertEquals(3, q.support().size(), "founder asked about own company");
                }
                case N -> {
                    assertEquals(List.of(PromptFormat.UNKNOWN), q.answers());
                    assertTrue(q.support().isEmpty());
                    assertFalse(c.accepts("1987"));
                }
                case A -> {
                    Rational v = Rational.parse(q.answers().getFirst());
                    assertTrue(v.signum() > 0, q.id());
                    assertFalse(c.accepts(v.add(Rational.ONE).toString()));
                    for (String id : q.support()) assertTrue(w.get(id).known());
                }
                case C -> {
                    CountdownPuzzle p = q.puzzle();
                    assertTrue(CountdownSolver.solve(p).isPresent(), q.id() + " not provably solvable");
                    assertFalse(c.accepts(Integer.toString(p.target())));
                    assertFalse(c.accepts(String.join("+", p.numbers().stream().map(String::valueOf).toList()) + "+1"));
                }
                case R -> {
                    assertTrue(q.passage().contains(q.answers().getFirst()), q.id());
                    assertFalse(c.accepts(PromptFormat.UNKNOWN));
                }
            }
            if (q.category() != Category.A && q.category() != Category.C && q.category() != Category.N) {
                assertFalse(c.accepts("Qqq Zzz"), q.id());
            }
        }
    }

    @Test
    void corpusToolCallsAndCountdownSolutionsAreCorrect() {
        Pattern call = Pattern.compile("<<calc ([^>]*)>>(\\S+)");
        int calls = 0, puzzles = 0;
        Pattern cd = Pattern.compile("numbers (\\d+(?:, \\d+)*)[,.]? (?:to make |target )(\\d+)|Reach (\\d+) from (\\d+(?:, \\d+)*) ");
        for (String doc : g.corpus()) {
            Matcher m = call.matcher(doc);
            while (m.find()) {
                calls++;
                assertEquals(CalcTool.result(m.group(1)), m.group(2), doc);
            }
            Matcher c = cd.matcher(doc);
            if (c.find()) {
                puzzles++;
                String nums = c.group(1) != null ? c.group(1) : c.group(4);
                String target = c.group(2) != null ? c.group(2) : c.group(3);
                List<Integer> numbers = new ArrayList<>();
                for (String n : nums.split(", ")) numbers.add(Integer.valueOf(n));
                String answer = PromptFormat.answerOf(doc.substring(doc.indexOf(PromptFormat.ANSWER) + PromptFormat.ANSWER.length()));
                assertTrue(new CountdownPuzzle(numbers, Integer.parseInt(target)).check(answer).valid(), doc);
            }
        }
        assertTrue(calls >= CONFIG.arithmeticExamples(), "calls " + calls);
        assertEquals(CONFIG.countdownTrain(), puzzles);
    }

    @Test
    void furtherReadingRoundsAreNewReadingItemsBesideAnUnchangedCorpus() {
        assertEquals(WorldGenerator.build(WorldConfig.defaults(), SEED).corpus(), g.corpus(), "the corpus does not depend on the rounds");
        int perRound = CONFIG.readingExamples() + CONFIG.readingExamples() / CorpusBuilder.MULTI_HOP_EVERY
                + CONFIG.readingExamples() / CorpusBuilder.UNRECORDED_EVERY;
        assertEquals((CONFIG.readingRounds() - 1) * perRound, g.reading().size());
        java.util.Set<String> corpus = new java.util.HashSet<>(g.corpus());
        int seen = 0;
        for (String doc : g.reading()) {
            assertTrue(doc.matches("(?s)Passage: [^\n]+\nQuestion: [^\n]+\nAnswer: [^\n]+\n"), doc);
            if (corpus.contains(doc)) seen++;
        }
        assertTrue(seen < perRound / 100, seen + " of the further round's reading items are in the corpus");
        // their entities are throwaway: no world name (a known or unknown entity's) in a passage
        for (String doc : g.reading().subList(0, 2000))
            for (Entity e : w.entities()) assertFalse(mentions(doc, distinctiveWord(e)), e.name() + " in " + doc);
    }

    @Test
    void everyDocumentUsesThePromptFormat() {
        int reading = 0, unanswerable = 0;
        for (String doc : g.corpus()) {
            assertFalse(doc.isBlank());
            assertTrue(doc.chars().allMatch(ch -> ch >= 32 && ch < 127 || ch == '\n'), doc);
            if (doc.startsWith(PromptFormat.PASSAGE)) {
                reading++;
                assertTrue(doc.matches("(?s)Passage: [^\n]+\nQuestion: [^\n]+\nAnswer: [^\n]+\n"), doc);
                if (doc.endsWith("Answer: unknown\n")) unanswerable++;
            } else if (doc.startsWith(PromptFormat.QUESTION)) {
                assertTrue(doc.matches("(?s)Question: [^\n]+\nAnswer: [^\n]+\n"), doc);
            } else {
                assertFalse(doc.contains("\n"), doc);
            }
        }
        assertTrue(reading > CONFIG.readingExamples());
        assertTrue(unanswerable > reading / 20 && unanswerable < reading / 4, unanswerable + " of " + reading);
    }

    private static List<EvalQuestion> all() {
        List<EvalQuestion> out = new ArrayList<>(g.dev());
        out.addAll(g.test());
        return out;
    }

    @Test
    void sameSeedGivesByteIdenticalFiles(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        WorldGenerator.generate(small(), 99, a, false);
        WorldGenerator.generate(small(), 99, b, false);
        WorldGenerator.generate(small(), 100, c, false);
        List<Path> files = files(a);
        assertEquals(files, files(b));
        assertTrue(files.contains(Path.of("README.md")) && files.contains(Path.of("train/corpus.jsonl"))
                && files.contains(Path.of("eval/dev.jsonl")) && files.contains(Path.of("eval/test.jsonl"))
                && files.contains(Path.of("entities.jsonl")) && files.contains(Path.of("library/person-0001.md")));
        for (Path f : files) assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        assertNotEquals(Files.readString(a.resolve("train/corpus.jsonl")), Files.readString(c.resolve("train/corpus.jsonl")));
        assertEquals(small().knownPeople() + small().unknownPeople() + 3 + 2 + 8 + 4 + 6 + 4,
                files.stream().filter(p -> p.startsWith("library")).count());
        assertEquals(2 * 7 * small().evalPerCategory(),
                EvalQuestion.read(a.resolve("eval/dev.jsonl")).size() + EvalQuestion.read(a.resolve("eval/test.jsonl")).size());
        assertFalse(files.contains(Path.of("train/reading.jsonl")), "one round: no further reading items");
    }

    @Test
    void furtherReadingRoundsAreWrittenByteIdenticallyBesideTheSameFiles(@TempDir Path tmp) throws IOException {
        Path one = tmp.resolve("one"), a = tmp.resolve("a"), b = tmp.resolve("b");
        WorldGenerator.generate(small(), 99, one, false);
        WorldGenerator.generate(small().withReadingRounds(3), 99, a, false);
        WorldGenerator.generate(small().withReadingRounds(3), 99, b, false);
        assertArrayEquals(Files.readAllBytes(a.resolve("train/reading.jsonl")), Files.readAllBytes(b.resolve("train/reading.jsonl")));
        for (Path f : files(one)) // everything else is the one-round world's, byte for byte (the README adds a sentence)
            if (!f.equals(Path.of("README.md"))) assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(a.resolve(f)), f.toString());
        assertTrue(Files.readString(a.resolve("README.md")).contains("`train/reading.jsonl` holds 2 more rounds"));
        int perRound = small().readingExamples() + small().readingExamples() / CorpusBuilder.MULTI_HOP_EVERY
                + small().readingExamples() / CorpusBuilder.UNRECORDED_EVERY;
        assertEquals(2 * perRound, Files.readAllLines(a.resolve("train/reading.jsonl")).size());
    }

    @Test
    void refusesToOverwriteUnlessForced(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("w");
        WorldGenerator.generate(small(), 1, out, false);
        assertThrows(PonderException.class, () -> WorldGenerator.generate(small(), 1, out, false));
        byte[] before = Files.readAllBytes(out.resolve("train/corpus.jsonl"));
        WorldGenerator.generate(small(), 1, out, true);
        assertArrayEquals(before, Files.readAllBytes(out.resolve("train/corpus.jsonl")));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertThrows(PonderException.class, () -> WorldGenerator.generate(small(), 1, other, true));
        assertThrows(PonderException.class, () -> small().withPeople(2, 40).validate());
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
