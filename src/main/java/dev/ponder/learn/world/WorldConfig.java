package dev.ponder.learn.world;

import dev.ponder.engine.PonderException;

/**
 * Sizes of a generated world and of its splits. {@link #defaults()} suits a 5-20 M parameter model trained
 * for about half an hour: a corpus of roughly 1.5 MB (a few hundred thousand tokens).
 *
 * @param knownPeople people in the training corpus (and library)
 * @param unknownPeople people only in the library
 * @param knownCountries countries in the corpus
 * @param unknownCountries countries only in the library
 * @param knownCities cities in the corpus (at least one per known country: its capital)
 * @param unknownCities cities only in the library (at least one per unknown country)
 * @param knownCompanies companies in the corpus (each founded by a known person)
 * @param unknownCompanies companies only in the library (each founded by an unknown person)
 * @param biosPerPerson differently phrased biographies per known person in the corpus
 * @param descriptionsPerEntity differently phrased descriptions per known city, country and company
 * @param qaPerFact question-answer examples per known single-hop fact
 * @param readingExamples reading-comprehension examples (about throwaway entities) in the corpus
 * @param arithmeticExamples calculator tool-call examples in the corpus
 * @param countdownTrain countdown puzzles with solutions in the corpus
 * @param countdownNumbers numbers per countdown puzzle (2..6)
 * @param countdownMaxTarget largest countdown target (the smallest is 10)
 * @param validDocs documents in the held-out validation corpus (same mix as training)
 * @param evalPerCategory questions per category in each of eval/dev.jsonl and eval/test.jsonl
 * @param readingRounds rounds of reading items: the corpus holds the first; each further round, about its own
 *        throwaway world (new names, new facts), goes to {@code train/reading.jsonl}, reading items a model
 *        trained on the corpus has never seen, so it cannot answer them from memory and must copy from the passage
 */
public record WorldConfig(int knownPeople, int unknownPeople, int knownCountries, int unknownCountries,
                          int knownCities, int unknownCities, int knownCompanies, int unknownCompanies,
                          int biosPerPerson, int descriptionsPerEntity, int qaPerFact, int readingExamples,
                          int arithmeticExamples, int countdownTrain, int countdownNumbers,
                          int countdownMaxTarget, int validDocs, int evalPerCategory, int readingRounds) {

    /** Smallest countdown target. */
    public static final int COUNTDOWN_MIN_TARGET = 10;

    /** The default sizes. */
    public static WorldConfig defaults() {
        return new WorldConfig(300, 300, 10, 4, 30, 14, 30, 10, 4, 4, 4, 8000, 800, 600, 4, 250, 400, 50, 1);
    }

    /** The same configuration with {@code known} known and {@code unknown} unknown people. */
    public WorldConfig withPeople(int known, int unknown) {
        return new WorldConfig(known, unknown, knownCountries, unknownCountries, knownCities, unknownCities,
                knownCompanies, unknownCompanies, biosPerPerson, descriptionsPerEntity, qaPerFact, readingExamples,
                arithmeticExamples, countdownTrain, countdownNumbers, countdownMaxTarget, validDocs, evalPerCategory, readingRounds);
    }

    /** The same configuration with {@code rounds} reading rounds. */
    public WorldConfig withReadingRounds(int rounds) {
        return new WorldConfig(knownPeople, unknownPeople, knownCountries, unknownCountries, knownCities, unknownCities,
                knownCompanies, unknownCompanies, biosPerPerson, descriptionsPerEntity, qaPerFact, readingExamples,
                arithmeticExamples, countdownTrain, countdownNumbers, countdownMaxTarget, validDocs, evalPerCategory, rounds);
    }

    /** Throws {@link PonderException} naming the first size that cannot work. */
    public WorldConfig validate() {
        int[] all = {knownPeople, unknownPeople, knownCountries, unknownCountries, knownCities, unknownCities,
            knownCompanies, unknownCompanies, biosPerPerson, descriptionsPerEntity, qaPerFact, readingExamples,
            arithmeticExamples, countdownTrain, countdownNumbers, countdownMaxTarget, validDocs, evalPerCategory, readingRounds};
        for (int v : all) if (v < 0) throw new PonderException("world sizes must not be negative (got " + v + ")");
        int maxEntities = 5000;
        if (knownPeople + unknownPeople > maxEntities) throw new PonderException("at most " + maxEntities + " people");
        if (knownCities + unknownCities > 1000 || knownCompanies + unknownCompanies > 1000 || knownCountries + unknownCountries > 500) {
            throw new PonderException("at most 1000 cities, 1000 companies and 500 countries");
        }
        if (readingRounds < 1 || readingRounds > 20) throw new PonderException("reading rounds must be 1..20 (got " + readingRounds + ")");
        if (knownCountries < 1) throw new PonderException("need at least one known country");
        if (knownCities < knownCountries) throw new PonderException("need at least one known city per known country (its capital)");
        if (unknownCities < unknownCountries) throw new PonderException("need at least one unknown city per unknown country (its capital)");
        if (knownCompanies < 1) throw new PonderException("need at least one known company (every known person has an employer)");
        if (knownPeople < knownCompanies) throw new PonderException("need at least as many known people as known companies (their founders)");
        if (unknownPeople < unknownCompanies) throw new PonderException("need at least as many unknown people as unknown companies (their founders)");
        if (countdownNumbers < 2 || countdownNumbers > CountdownSolver.MAX_NUMBERS) {
            throw new PonderException("countdown puzzles need 2.." + CountdownSolver.MAX_NUMBERS + " numbers");
        }
        if (countdownMaxTarget < COUNTDOWN_MIN_TARGET + 10) throw new PonderException("countdown max target must be at least " + (COUNTDOWN_MIN_TARGET + 10));
        return this;
    }
}
