package dev.ponder.learn.world;

import java.util.List;

/**
 * A multi-hop fact type: the answer needs two or three single-hop facts in a row (for example the country
 * of a person's birth city). Templates as in {@link Relation}.
 */
public enum Chain {
    PERSON_COUNTRY("person",
            List.of("In which country was {s} born?", "What country is {s} from?"),
            List.of("{s} was born in a city of which country?", "Which country is the birthplace of {s} located in?")),
    PERSON_CAPITAL("person",
            List.of("What is the capital of the country where {s} was born?"),
            List.of("Which city is the capital of {s}'s country of birth?")),
    EMPLOYER_FOUNDED("person",
            List.of("When was the company {s} works for founded?", "In which year was {s}'s employer founded?"),
            List.of("In what year was the employer of {s} established?")),
    EMPLOYER_HQ("person",
            List.of("In which city is {s}'s employer based?"),
            List.of("Where does the company that employs {s} have its headquarters?")),
    EMPLOYER_FOUNDER("person",
            List.of("Who founded the company where {s} works?"),
            List.of("Who is the founder of {s}'s employer?")),
    COMPANY_COUNTRY("company",
            List.of("In which country is {s} based?"),
            List.of("Which country is home to the headquarters of {s}?")),
    FOUNDER_BIRTH_YEAR("company",
            List.of("When was the founder of {s} born?"),
            List.of("In what year was the person who founded {s} born?"));

    private final String kind;
    private final List<String> train;
    private final List<String> eval;

    Chain(String kind, List<String> train, List<String> eval) {
        this.kind = kind;
        this.train = train;
        this.eval = eval;
    }

    /** The subject kind: person or company. */
    public String kind() {
        return kind;
    }

    public List<String> trainTemplates() {
        return train;
    }

    public List<String> evalTemplates() {
        return eval;
    }

    /** The ids of the documents along the chain, subject first. */
    public List<String> support(World w, Entity e) {
        return switch (this) {
            case PERSON_COUNTRY -> {
                City c = w.city(((Person) e).birthCityId());
                yield List.of(e.id(), c.id(), c.countryId());
            }
            case PERSON_CAPITAL -> {
                City c = w.city(((Person) e).birthCityId());
                yield List.of(e.id(), c.id(), c.countryId());
            }
            case EMPLOYER_FOUNDED, EMPLOYER_HQ, EMPLOYER_FOUNDER -> List.of(e.id(), ((Person) e).employerId());
            case COMPANY_COUNTRY -> List.of(e.id(), ((Company) e).headquartersId());
            case FOUNDER_BIRTH_YEAR -> List.of(e.id(), ((Company) e).founderId());
        };
    }

    /** The answer. */
    public String value(World w, Entity e) {
        return switch (this) {
            case PERSON_COUNTRY -> w.get(w.city(((Person) e).birthCityId()).countryId()).name();
            case PERSON_CAPITAL -> w.get(w.country(w.city(((Person) e).birthCityId()).countryId()).capitalId()).name();
            case EMPLOYER_FOUNDED -> Integer.toString(w.company(((Person) e).employerId()).founded());
            case EMPLOYER_HQ -> w.get(w.company(((Person) e).employerId()).headquartersId()).name();
            case EMPLOYER_FOUNDER -> w.get(w.company(((Person) e).employerId()).founderId()).name();
            case COMPANY_COUNTRY -> w.get(w.city(((Company) e).headquartersId()).countryId()).name();
            case FOUNDER_BIRTH_YEAR -> Integer.toString(w.person(((Company) e).founderId()).born());
        };
    }
}
