package dev.ponder.cli;

import dev.ponder.engine.PonderException;
import dev.ponder.learn.world.WorldConfig;
import dev.ponder.learn.world.WorldGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ponder world}: generates the fictional world (entities, library, training corpus, eval sets) into
 * a directory. Same seed and options give byte-identical files. Exit code 0 on success, 1 on a
 * {@link PonderException} (message printed on one line).
 */
@Command(name = "world", mixinStandardHelpOptions = true,
        description = "Generate the fictional world: library, training corpus and eval sets (deterministic per seed).")
public final class WorldCommand implements Callable<Integer> {
    private static final WorldConfig D = WorldConfig.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", required = true, description = "Seed; the same seed gives byte-identical files.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (absent or empty, or see --force).")
    Path out;

    @Option(names = "--force", description = "Replace a world previously generated in DIR.")
    boolean force;

    @Option(names = "--people", paramLabel = "N", description = "Known people (default: ${DEFAULT-VALUE}).")
    int knownPeople = D.knownPeople();

    @Option(names = "--unknown-people", paramLabel = "N", description = "Unknown (library-only) people (default: as many as --people).")
    Integer unknownPeople;

    @Option(names = "--countries", paramLabel = "N", description = "Known countries (default: ${DEFAULT-VALUE}).")
    int knownCountries = D.knownCountries();

    @Option(names = "--unknown-countries", paramLabel = "N", description = "Unknown countries (default: ${DEFAULT-VALUE}).")
    int unknownCountries = D.unknownCountries();

    @Option(names = "--cities", paramLabel = "N", description = "Known cities (default: ${DEFAULT-VALUE}).")
    int knownCities = D.knownCities();

    @Option(names = "--unknown-cities", paramLabel = "N", description = "Unknown cities (default: ${DEFAULT-VALUE}).")
    int unknownCities = D.unknownCities();

    @Option(names = "--companies", paramLabel = "N", description = "Known companies (default: ${DEFAULT-VALUE}).")
    int knownCompanies = D.knownCompanies();

    @Option(names = "--unknown-companies", paramLabel = "N", description = "Unknown companies (default: ${DEFAULT-VALUE}).")
    int unknownCompanies = D.unknownCompanies();

    @Option(names = "--bios", paramLabel = "N", description = "Biographies per known person (default: ${DEFAULT-VALUE}).")
    int bios = D.biosPerPerson();

    @Option(names = "--descriptions", paramLabel = "N", description = "Descriptions per known city, country, company (default: ${DEFAULT-VALUE}).")
    int descriptions = D.descriptionsPerEntity();

    @Option(names = "--qa-per-fact", paramLabel = "N", description = "Question-answer examples per known fact (default: ${DEFAULT-VALUE}).")
    int qaPerFact = D.qaPerFact();

    @Option(names = "--reading", paramLabel = "N", description = "Reading-comprehension examples (default: ${DEFAULT-VALUE}).")
    int reading = D.readingExamples();

    @Option(names = "--arithmetic", paramLabel = "N", description = "Calculator tool-call examples (default: ${DEFAULT-VALUE}).")
    int arithmetic = D.arithmeticExamples();

    @Option(names = "--countdown", paramLabel = "N", description = "Countdown puzzles with solutions in the corpus (default: ${DEFAULT-VALUE}).")
    int countdown = D.countdownTrain();

    @Option(names = "--countdown-numbers", paramLabel = "N", description = "Numbers per countdown puzzle, 2..6 (default: ${DEFAULT-VALUE}).")
    int countdownNumbers = D.countdownNumbers();

    @Option(names = "--countdown-max", paramLabel = "N", description = "Largest countdown target (default: ${DEFAULT-VALUE}).")
    int countdownMax = D.countdownMaxTarget();

    @Option(names = "--valid", paramLabel = "N", description = "Validation documents (default: ${DEFAULT-VALUE}).")
    int valid = D.validDocs();

    @Option(names = "--reading-rounds", paramLabel = "R", description = "Rounds of reading items: the corpus holds the first, train/reading.jsonl the others, "
            + "each about its own throwaway world (default: ${DEFAULT-VALUE}).")
    int readingRounds = D.readingRounds();

    @Option(names = "--eval-per-category", paramLabel = "N", description = "Questions per category in each eval split (default: ${DEFAULT-VALUE}).")
    int evalPerCategory = D.evalPerCategory();

    /** The configuration the options describe. */
    WorldConfig config() {
        return new WorldConfig(knownPeople, unknownPeople == null ? knownPeople : unknownPeople, knownCountries, unknownCountries, knownCities, unknownCities,
                knownCompanies, unknownCompanies, bios, descriptions, qaPerFact, reading, arithmetic, countdown,
                countdownNumbers, countdownMax, valid, evalPerCategory, readingRounds);
    }

    @Override
    public Integer call() {
        try {
            WorldGenerator.Summary s = WorldGenerator.generate(config(), seed, out, force);
            spec.commandLine().getOut().println("world written to " + out + "\n" + s.describe());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (PonderException e) {
            spec.commandLine().getErr().println("ponder world: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }
}
