package dev.ponder.learn.world;

/** Writes {@code DIR/README.md}: the layout, formats and sizes of one generated world. */
final class WorldReadme {
    private WorldReadme() {}

    static String text(WorldGenerator.Summary s) {
        WorldConfig c = s.config();
        return """
                # Ponder generated world (seed %SEED%)

                A fictional world for training and evaluating `ponder-nano`. The model is trained on the
                **known** part only; the **unknown** part exists only in the library, so answering about it
                needs retrieval. Regenerating with the same seed and options gives byte-identical files:

                    ponder world --seed %SEED% --out DIR %OPTIONS%

                ## Layout

                | Path | Content |
                |------|---------|
                | `entities.jsonl` | ground truth, one entity per line: `id`, `kind`, `name`, `known` and its facts (ids refer to other entities) |
                | `library/ID.md` | one document per entity, known and unknown (%LIBRARY% files; ids `person-0001`, `city-0001`, `country-0001`, `company-0001`) |
                | `train/corpus.jsonl` | training corpus, `{"text": ...}` one document per line (%CORPUS% documents, %CORPUS_BYTES% bytes) |
                | `train/valid.jsonl` | held-out documents of the same mix, for validation loss (%VALID% documents, %VALID_BYTES% bytes) |
                | `eval/dev.jsonl`, `eval/test.jsonl` | eval questions, one per line (disjoint) |

                ## World

                %KNOWN_PEOPLE% known and %UNKNOWN_PEOPLE% unknown people, %COUNTRIES% countries, %CITIES% cities,
                %COMPANIES% companies. A person has a birth year, birth city, profession and employer; a city a
                country and founding year; a country a capital; a company a founding year, headquarters city and
                founder. The known part is closed: facts of known entities only name known entities.

                ## Prompt format

                Used by every training example, every eval question and the runtime. A prompt ends with
                `Answer:`; the model writes a space, a short exact answer and a newline:

                    Question: <question>
                    Answer: <answer>

                With supplied text (reading comprehension, or a retrieved library document):

                    Passage: <text>
                    Question: <question>
                    Answer: <answer>

                If a passage does not contain the answer, the answer is `unknown`.

                ## Calculator tool

                Arithmetic answers are calculator calls written in the text. The model writes
                `<<calc EXPR>>`; the runtime evaluates EXPR exactly (rationals; integers, decimals, `+ - * /`,
                parentheses) and inserts the result right after `>>`; the model then ends the line:

                    Question: How old was Mira Kavelo in 2031?
                    Answer: <<calc 2031-1987>>44

                Results are integers (`44`, `-3`) or reduced fractions (`7/3`); an invalid expression gives
                `error`.

                ## Training corpus

                Per known person %BIOS% differently phrased biographies; per known city, country and company
                %DESCRIPTIONS% descriptions; %QA% question-answer examples per known fact; multi-hop examples for half
                of the known people and companies (eval H asks about the other half); %READING%
                reading-comprehension examples about throwaway entities that appear nowhere else (%UNANSWERABLE%% of
                them unanswerable from the passage, answer `unknown`; %LIBSTYLE%% of passages written as the library writes
                its documents), plus one multi-hop reading example (the passage holds every document of the chain)
                per %HOPEVERY% and one about a fact no document records (answer `unknown`) per %UNRECEVERY%; %ARITH% calculator examples (over known
                facts, plain arithmetic, and over passages); %COUNTDOWN% countdown puzzles with solutions.
                %NOISE%% of the fact and reading questions carry one made-up word (replacing or inserted before a
                word outside the subject's name), so the model learns to read past wording it has not seen.%ROUNDS%
                Documents are shuffled.

                ## Eval sets

                Each line: `{"id","category","question","answers":[...],"support":[library ids]}`; category R adds
                `"passage"`, category C adds `"numbers"` and `"target"`. Eval questions use phrasings that never
                occur in training.

                | Category | Meaning | Checker | dev | test |
                |----------|---------|---------|-----|------|
                | K | single-hop fact about a known entity | normalized exact match | %DEV_K% | %TEST_K% |
                | U | single-hop fact about an unknown entity (library only) | normalized exact match | %DEV_U% | %TEST_U% |
                | N | unanswerable: invented entity or unrecorded fact; answer `unknown` | normalized exact match | %DEV_N% | %TEST_N% |
                | H | multi-hop (known subjects never taught the chain, and unknown subjects) | normalized exact match | %DEV_H% | %TEST_H% |
                | A | arithmetic over known facts; the model answers `<<calc EXPR>>VALUE`, `answers` holds VALUE | first number (after removing calls) equals exactly | %DEV_A% | %TEST_A% |
                | C | countdown: reach `target` from `numbers` with `+ - * /`, each number at most once | expression verifier (any valid solution) | %DEV_C% | %TEST_C% |
                | R | reading comprehension from `passage` (throwaway entities) | normalized exact match | %DEV_R% | %TEST_R% |

                Normalized exact match ignores case, surrounding spaces and quotes, a final period and a leading
                article. Countdown answers may add `= target`; intermediate fractions are allowed; unary minus and
                decimals are not. Checkers live in `dev.ponder.learn.world.Checker`.
                """
                .replace("%SEED%", Long.toString(s.seed()))
                .replace("%OPTIONS%", options(c))
                .replace("%LIBRARY%", Integer.toString(s.libraryDocs()))
                .replace("%CORPUS%", Integer.toString(s.corpusDocs()))
                .replace("%CORPUS_BYTES%", Long.toString(s.corpusBytes()))
                .replace("%VALID%", Integer.toString(s.validDocs()))
                .replace("%VALID_BYTES%", Long.toString(s.validBytes()))
                .replace("%KNOWN_PEOPLE%", Integer.toString(s.knownPeople()))
                .replace("%UNKNOWN_PEOPLE%", Integer.toString(s.unknownPeople()))
                .replace("%COUNTRIES%", Integer.toString(s.countries()))
                .replace("%CITIES%", Integer.toString(s.cities()))
                .replace("%COMPANIES%", Integer.toString(s.companies()))
                .replace("%BIOS%", Integer.toString(c.biosPerPerson()))
                .replace("%DESCRIPTIONS%", Integer.toString(c.descriptionsPerEntity()))
                .replace("%QA%", Integer.toString(c.qaPerFact()))
                .replace("%READING%", Integer.toString(c.readingExamples()))
                .replace("%UNANSWERABLE%", Integer.toString((int) Math.round(CorpusBuilder.UNANSWERABLE_SHARE * 100)))
                .replace("%LIBSTYLE%", Integer.toString((int) Math.round(Reading.LIBRARY_STYLE * 100)))
                .replace("%HOPEVERY%", Integer.toString(CorpusBuilder.MULTI_HOP_EVERY))
                .replace("%UNRECEVERY%", Integer.toString(CorpusBuilder.UNRECORDED_EVERY))
                .replace("%NOISE%", Integer.toString((int) Math.round(CorpusBuilder.NOISE_SHARE * 100)))
                .replace("%ARITH%", Integer.toString(c.arithmeticExamples()))
                .replace("%COUNTDOWN%", Integer.toString(c.countdownTrain()))
                .replace("%ROUNDS%", c.readingRounds() == 1 ? "" : "\n`train/reading.jsonl` holds " + (c.readingRounds() - 1)
                        + " more rounds of reading examples (`--reading-rounds " + c.readingRounds() + "`), each about its own throwaway world: "
                        + "items a model trained on the corpus has never seen.")
                .replace("%DEV_K%", n(s, true, Category.K)).replace("%TEST_K%", n(s, false, Category.K))
                .replace("%DEV_U%", n(s, true, Category.U)).replace("%TEST_U%", n(s, false, Category.U))
                .replace("%DEV_N%", n(s, true, Category.N)).replace("%TEST_N%", n(s, false, Category.N))
                .replace("%DEV_H%", n(s, true, Category.H)).replace("%TEST_H%", n(s, false, Category.H))
                .replace("%DEV_A%", n(s, true, Category.A)).replace("%TEST_A%", n(s, false, Category.A))
                .replace("%DEV_C%", n(s, true, Category.C)).replace("%TEST_C%", n(s, false, Category.C))
                .replace("%DEV_R%", n(s, true, Category.R)).replace("%TEST_R%", n(s, false, Category.R));
    }

    private static String n(WorldGenerator.Summary s, boolean dev, Category c) {
        return Integer.toString((dev ? s.dev() : s.test()).get(c));
    }

    /** The command-line options that reproduce {@code c}. */
    static String options(WorldConfig c) {
        return "--people " + c.knownPeople() + " --unknown-people " + c.unknownPeople()
                + " --countries " + c.knownCountries() + " --unknown-countries " + c.unknownCountries()
                + " --cities " + c.knownCities() + " --unknown-cities " + c.unknownCities()
                + " --companies " + c.knownCompanies() + " --unknown-companies " + c.unknownCompanies()
                + " --bios " + c.biosPerPerson() + " --descriptions " + c.descriptionsPerEntity()
                + " --qa-per-fact " + c.qaPerFact() + " --reading " + c.readingExamples()
                + " --arithmetic " + c.arithmeticExamples() + " --countdown " + c.countdownTrain()
                + " --countdown-numbers " + c.countdownNumbers() + " --countdown-max " + c.countdownMaxTarget()
                + " --valid " + c.validDocs() + " --eval-per-category " + c.evalPerCategory();
    }
}
