package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.List;

/**
 * A single-hop fact type, with the question phrasings used in training and the separate phrasings used
 * in evaluation. In a template, {@code {s}} stands for the subject's name.
 */
public enum Relation {
    BIRTH_YEAR("person",
            List.of("When was {s} born?", "In which year was {s} born?", "What year was {s} born in?", "{s} was born in which year?"),
            List.of("What is the birth year of {s}?", "Which year saw the birth of {s}?")),
    BIRTH_CITY("person",
            List.of("Where was {s} born?", "In which city was {s} born?", "What is the birthplace of {s}?", "{s} was born in which city?"),
            List.of("Which city is {s} originally from?", "Name the city where {s} was born.")),
    PROFESSION("person",
            List.of("What does {s} do for a living?", "What is the profession of {s}?", "What is {s}'s job?"),
            List.of("What is {s}'s occupation?", "What kind of work does {s} do?")),
    EMPLOYER("person",
            List.of("Where does {s} work?", "Which company employs {s}?", "Who is {s}'s employer?"),
            List.of("For which company does {s} work?", "{s} is employed by which company?")),
    CITY_COUNTRY("city",
            List.of("In which country is {s}?", "Which country is {s} in?", "{s} is a city in which country?"),
            List.of("{s} lies in what country?", "What country contains the city of {s}?")),
    CITY_FOUNDED("city",
            List.of("When was {s} founded?", "In which year was {s} founded?", "What year was {s} founded in?"),
            List.of("What is the founding year of the city of {s}?", "{s} was established in what year?")),
    CAPITAL("country",
            List.of("What is the capital of {s}?", "Which city is the capital of {s}?", "What is the capital city of {s}?"),
            List.of("Name the capital of {s}.", "{s} has which city as its capital?")),
    COMPANY_FOUNDED("company",
            List.of("When was {s} founded?", "In which year was {s} founded?", "What year was {s} founded in?"),
            List.of("In what year was {s} established?", "What is the founding year of {s}?")),
    HEADQUARTERS("company",
            List.of("Where is {s} based?", "Where are the headquarters of {s}?", "In which city is {s} headquartered?"),
            List.of("What city is home to the headquarters of {s}?", "{s} has its head office in which city?")),
    FOUNDER("company",
            List.of("Who founded {s}?", "Who is the founder of {s}?", "Who started {s}?"),
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
