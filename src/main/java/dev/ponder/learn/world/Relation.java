package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.List;

/**
 * A single-hop fact type, with the question phrasings used in training and the separate phrasings used
 * in evaluation. In a template, {@code {s}} stands for the subject's name.
 *
 * <p>The training phrasings are many (at least ten per relation) and use the synonyms the eval phrasings
 * lean on (occupation, birth year, originally from, employer, established, head office, ...), as do the
 * prose templates in {@link Descriptions}: the corpus teaches the language of each relation broadly, so a
 * question phrased in a way never seen can still be mapped to its fact. No eval template appears verbatim.
 */
public enum Relation {
    BIRTH_YEAR("person",
            List.of("When was {s} born?", "In which year was {s} born?", "What year was {s} born in?",
                    "{s} was born in which year?", "In what year was {s} born?", "What is {s}'s birth year?",
                    "What is the year of birth of {s}?", "What was {s}'s year of birth?", "Which year was {s} born in?",
                    "Give the birth year of {s}.", "Tell me the year {s} was born.",
                    "The birth of {s} happened in which year?", "What year did {s} come into the world?",
                    "{s}'s year of birth is what?", "Name the year when {s} was born."),
            List.of("What is the birth year of {s}?", "Which year saw the birth of {s}?")),
    BIRTH_CITY("person",
            List.of("Where was {s} born?", "In which city was {s} born?", "What is the birthplace of {s}?",
                    "{s} was born in which city?", "In what city was {s} born?", "Which city was {s} born in?",
                    "What is {s}'s city of birth?", "Where is {s} originally from?", "{s} is originally from which city?",
                    "Which city does {s} come from?", "Where does {s} come from?", "Name the birthplace of {s}.",
                    "What city was {s} born in?", "{s} comes from which city?", "What is {s}'s home city?"),
            List.of("Which city is {s} originally from?", "Name the city where {s} was born.")),
    PROFESSION("person",
            List.of("What does {s} do for a living?", "What is the profession of {s}?", "What is {s}'s job?",
                    "What is the occupation of {s}?", "What occupation does {s} have?", "What is {s}'s profession?",
                    "What work does {s} do?", "What type of work does {s} do?", "What is {s}'s line of work?",
                    "What job does {s} have?", "What does {s} work as?", "Name the occupation of {s}.",
                    "{s} has what occupation?", "What is the job of {s}?", "{s} works as what?"),
            List.of("What is {s}'s occupation?", "What kind of work does {s} do?")),
    EMPLOYER("person",
            List.of("Where does {s} work?", "Which company employs {s}?", "Who is {s}'s employer?",
                    "Which company does {s} work for?", "What company does {s} work for?", "Who employs {s}?",
                    "By which company is {s} employed?", "{s} works for which company?",
                    "What is the name of {s}'s employer?", "Who is the employer of {s}?",
                    "At which company is {s} employed?", "Name the employer of {s}.", "Which company is {s} employed by?",
                    "{s} is employed at which company?", "What company employs {s}?"),
            List.of("For which company does {s} work?", "{s} is employed by which company?")),
    CITY_COUNTRY("city",
            List.of("In which country is {s}?", "Which country is {s} in?", "{s} is a city in which country?",
                    "In what country does {s} lie?", "Which country does {s} lie in?", "Which country contains {s}?",
                    "What country is the city of {s} in?", "{s} is located in which country?", "Name the country of {s}.",
                    "The city of {s} is in which country?", "In which country is the city of {s}?", "Where is {s} located?",
                    "What country is {s} in?", "{s} lies in which country?"),
            List.of("{s} lies in what country?", "What country contains the city of {s}?")),
    CITY_FOUNDED("city",
            List.of("When was {s} founded?", "In which year was {s} founded?", "What year was {s} founded in?",
                    "When was {s} established?", "In which year was {s} established?",
                    "What year was the city of {s} founded?", "What is {s}'s founding year?",
                    "{s} was founded in what year?", "In what year was the city of {s} established?",
                    "{s} was established in which year?", "When was the city of {s} founded?",
                    "Give the founding year of {s}.", "What year was {s} established?"),
            List.of("What is the founding year of the city of {s}?", "{s} was established in what year?")),
    CAPITAL("country",
            List.of("What is the capital of {s}?", "Which city is the capital of {s}?", "What is the capital city of {s}?",
                    "Which city is {s}'s capital?", "What is {s}'s capital city?", "Name the capital city of {s}.",
                    "What city serves as the capital of {s}?", "{s}'s capital is which city?",
                    "Which city serves as {s}'s capital?", "{s} has what capital?",
                    "What is the capital of the country {s}?", "Where is the capital of {s}?"),
            List.of("Name the capital of {s}.", "{s} has which city as its capital?")),
    COMPANY_FOUNDED("company",
            List.of("When was {s} founded?", "In which year was {s} founded?", "What year was {s} founded in?",
                    "When was {s} established?", "In which year was {s} established?", "What year was {s} established in?",
                    "What is {s}'s founding year?", "{s} was founded in which year?", "{s} was established in which year?",
                    "When was the company {s} founded?", "In what year was the company {s} set up?",
                    "What year was {s} set up?", "Give the founding year of {s}.", "In what year was {s} founded?"),
            List.of("In what year was {s} established?", "What is the founding year of {s}?")),
    HEADQUARTERS("company",
            List.of("Where is {s} based?", "Where are the headquarters of {s}?", "In which city is {s} headquartered?",
                    "Where is the head office of {s}?", "In which city is {s}'s head office?",
                    "Where does {s} have its head office?", "Which city is {s} based in?",
                    "What city are the headquarters of {s} in?", "Where is {s} headquartered?",
                    "In which city does {s} have its headquarters?", "Which city hosts the headquarters of {s}?",
                    "{s} is headquartered in which city?", "{s} is based in what city?",
                    "Where is {s}'s head office located?", "What city is {s} based in?"),
            List.of("What city is home to the headquarters of {s}?", "{s} has its head office in which city?")),
    FOUNDER("company",
            List.of("Who founded {s}?", "Who is the founder of {s}?", "Who started {s}?", "Who set up {s}?",
                    "Who set up the company {s}?", "Which person founded {s}?", "By whom was {s} founded?",
                    "{s} was started by whom?", "{s} was set up by whom?", "Who established {s}?", "Who is {s}'s founder?",
                    "Name the founder of {s}.", "Which person started the company {s}?", "Who was {s} founded by?"),
            List.of("Which person set up the company {s}?", "{s} was founded by whom?"));

    private final String kind;
    private final List<String> train;
    private final List<String> eval;

    Relation(String kind, List<String> train, List<String> eval) {
        this.kind = kind;
        this.train = train;
        this.eval = eval;
    }

    /** The subject kind: person, city, country or company. */
    public String kind() {
        return kind;
    }

    /** Question templates used in the training corpus. */
    public List<String> trainTemplates() {
        return train;
    }

    /** Question templates used only in the eval sets. */
    public List<String> evalTemplates() {
        return eval;
    }

    /** The relations whose subject is {@code e}'s kind. */
    public static List<Relation> of(Entity e) {
        List<Relation> out = new ArrayList<>();
        for (Relation r : values()) if (r.kind.equals(e.kind())) out.add(r);
        return out;
    }

    /** The answer: the fact's value as the eval sets and training examples write it. */
    public String value(World w, Entity e) {
        return switch (this) {
            case BIRTH_YEAR -> Integer.toString(((Person) e).born());
            case BIRTH_CITY -> w.get(((Person) e).birthCityId()).name();
            case PROFESSION -> ((Person) e).profession();
            case EMPLOYER -> w.get(((Person) e).employerId()).name();
            case CITY_COUNTRY -> w.get(((City) e).countryId()).name();
            case CITY_FOUNDED -> Integer.toString(((City) e).founded());
            case CAPITAL -> w.get(((Country) e).capitalId()).name();
            case COMPANY_FOUNDED -> Integer.toString(((Company) e).founded());
            case HEADQUARTERS -> w.get(((Company) e).headquartersId()).name();
            case FOUNDER -> w.get(((Company) e).founderId()).name();
        };
    }
}
