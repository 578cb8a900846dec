package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes prose about entities: varied training biographies and descriptions (each call may pick other
 * sentence templates and orders), passages for reading comprehension (optionally leaving facts out), and
 * the one canonical library document per entity.
 *
 * <p>In sentence templates {@code {X}} is the subject as referred to in that sentence (the full name in
 * the first sentence, afterwards often the surname alone; surnames are unique).
 */
public final class Descriptions {
    private Descriptions() {}

    // ---- person sentences; each group covers the facts named in its constant ----
    private static final List<String> YEAR_CITY = List.of(
            "{X} was born in {city} in {year}.", "{X} was born in {year} in the city of {city}.",
            "In {year}, {X} was born in {city}.", "{X} came into the world in {city} in {year}.",
            "{city} is where {X} was born, in {year}.",
            "{X}, originally from {city}, was born in {year}.", "{X} comes from {city} and was born in {year}.",
            "Born in {year}, {X} is originally from {city}.");
    private static final List<String> YEAR = List.of(
            "{X} was born in {year}.", "{X}'s year of birth is {year}.", "The birth of {X} took place in {year}.",
            "{X}'s birth year is {year}.", "The year {X} was born was {year}.");
    private static final List<String> CITY = List.of(
            "{X} is a native of {city}.", "{X} was born in the city of {city}.", "{city} is the birthplace of {X}.",
            "{X} is originally from {city}.", "{X} comes from {city}.", "{X}'s city of birth is {city}.");
    private static final List<String> PROF_EMP = List.of(
            "{X} works as {aprof} at {company}.", "{X} is {aprof} employed by {company}.",
            "At {company}, {X} works as {aprof}.", "{X} earns a living as {aprof} for {company}.",
            "{X} has a job at {company} as {aprof}.",
            "{X} is employed by {company}, with the occupation of {prof}.", "{X}'s employer is {company}; by occupation {X} is {aprof}.",
            "{X} works for {company}, and {X}'s profession is {prof}.");
    private static final List<String> PROF = List.of("{X} is {aprof}.", "By profession, {X} is {aprof}.", "{X} works as {aprof}.",
            "{X}'s occupation is {prof}.", "By occupation, {X} is {aprof}.", "{X}'s job: {prof}.", "{X} does the work of {aprof}.");
    private static final List<String> EMP = List.of("{X} works for {company}.", "{X} is employed at {company}.", "{company} employs {X}.",
            "{X} is employed by {company}.", "{X}'s employer is {company}.", "{X} has a job at {company}.");
    private static final List<String> ALL = List.of(
            "Born in {city} in {year}, {X} works as {aprof} at {company}.",
            "{X}, born in {year} in {city}, is {aprof} at {company}.");
    private static final List<String> FOUNDED = List.of(
            "{X} founded {own} in {fyear}.", "In {fyear}, {X} started the company {own}.",
            "{X} is the founder of {own}, which was set up in {fyear}.",
            "{X} established {own} in {fyear}.");

    // ---- city, country and company sentences ----
    private static final List<String> CITY_IN = List.of(
            "{X} is a city in {country}.", "{X} lies in {country}.", "The city of {X} is located in {country}.",
            "{country} contains the city of {X}.", "{X} is located in the country of {country}.");
    private static final List<String> CITY_FOUNDED = List.of(
            "{X} was founded in {year}.", "{X} dates back to {year}, when it was founded.", "The founding of {X} took place in {year}.",
            "{X} was established in {year}.", "The founding year of {X} is {year}.");
    private static final List<String> CITY_BOTH = List.of(
            "Founded in {year}, {X} is a city in {country}.", "{X}, a city in {country}, was founded in {year}.");
    private static final List<String> CITY_CAPITAL = List.of(
            "{X} is the capital of {country}.", "{X} serves as the capital city of {country}.",
            "{country} has {X} as its capital.");
    private static final List<String> COUNTRY_CAPITAL = List.of(
            "The capital of {X} is {capital}.", "{X} is a country whose capital is {capital}.", "{capital} is the capital of {X}.",
            "{X} has {capital} as its capital city.");
    private static final List<String> COUNTRY_CITIES = List.of(
            "Other cities in {X} include {list}.", "{X} also has the cities {list}.");
    private static final List<String> COUNTRY_CITY = List.of(
            "Another city in {X} is {list}.", "{X} also has the city {list}.");
    private static final List<String> COMPANY_FOUNDED_BY = List.of(
            "{X} was founded in {year} by {founder}.", "{founder} founded {X} in {year}.", "{X} was set up by {founder} in {year}.",
            "{founder} established {X} in {year}.", "{X} was established by {founder} in {year}.");
    private static final List<String> COMPANY_YEAR = List.of("{X} was founded in {year}.", "{X} has existed since {year}.",
            "{X} was established in {year}.", "The founding year of {X} is {year}.");
    private static final List<String> COMPANY_FOUNDER = List.of("The founder of {X} is {founder}.", "{X} was started by {founder}.",
            "{X} was founded by {founder}.", "{founder} set up {X}.");
    private static final List<String> COMPANY_HQ = List.of(
            "{X} is based in {city}.", "{X} has its headquarters in {city}.", "The headquarters of {X} are in {city}.",
            "{X} is headquartered in {city}.",
            "{X} has its head office in {city}.", "The head office of {X} is in {city}.", "{city} is home to the headquarters of {X}.");
    private static final List<String> COMPANY_ALL = List.of("Founded in {year} by {founder}, {X} is headquartered in {city}.");

    /** {@code a carpenter} or {@code an engineer}. */
    public static String withArticle(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    /** {@code A}, {@code A and B}, {@code A, B and C}. */
    static String list(List<String> items) {
        if (items.size() == 1) return items.getFirst();
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
    }

    /** A varied training biography of {@code p} stating all its facts. */
    public static String personBio(World w, Person p, Rng rng) {
        return personText(w, p, rng, EnumSet.of(Relation.BIRTH_YEAR, Relation.BIRTH_CITY, Relation.PROFESSION, Relation.EMPLOYER), true);
    }

    /**
     * A passage about {@code p} stating exactly the facts in {@code include} (and the company founded, if
     * {@code withFounding}).
     */
    public static String personText(World w, Person p, Rng rng, Set<Relation> include, boolean withFounding) {
        List<List<String>> plan = new ArrayList<>();
        boolean y = include.contains(Relation.BIRTH_YEAR), c = include.contains(Relation.BIRTH_CITY);
        boolean pr = include.contains(Relation.PROFESSION), e = include.contains(Relation.EMPLOYER);
        if (y && c && pr && e && rng.chance(0.25)) {
            plan.add(ALL);
        } else {
            if (y && c && rng.chance(0.6)) plan.add(YEAR_CITY);
            else {
                if (y) plan.add(YEAR);
                if (c) plan.add(CITY);
            }
            if (pr && e && rng.chance(0.6)) plan.add(PROF_EMP);
            else {
                if (pr) plan.add(PROF);
                if (e) plan.add(EMP);
            }
            rng.shuffle(plan);
        }
        Company own = withFounding ? w.foundedBy(p) : null;
        if (own != null) plan.add(rng.between(Math.min(1, plan.size()), plan.size()), FOUNDED);
        String[] slots = {
            "city", w.get(p.birthCityId()).name(), "year", Integer.toString(p.born()), "aprof", withArticle(p.profession()),
            "prof", p.profession(), "company", w.get(p.employerId()).name(), "own", own == null ? "" : own.name(),
            "fyear", own == null ? "" : Integer.toString(own.founded())};
        return sentences(plan, p.name(), p.surname(), rng, slots);
    }

    /** A varied training description of a city. */
    public static String cityText(World w, City c, Rng rng) {
        List<List<String>> plan = new ArrayList<>();
        if (rng.chance(0.4)) plan.add(CITY_BOTH);
        else {
            plan.add(CITY_IN);
            plan.add(CITY_FOUNDED);
            rng.shuffle(plan);
        }
        Country capitalOf = w.capitalOf(c);
        if (capitalOf != null) plan.add(rng.between(1, plan.size()), CITY_CAPITAL);
        return sentences(plan, c.name(), c.name(), rng,
                "country", w.get(c.countryId()).name(), "year", Integer.toString(c.founded()));
    }

    /** A varied training description of a country (naming only its known cities). */
    public static String countryText(World w, Country c, Rng rng) {
        List<List<String>> plan = new ArrayList<>();
        plan.add(COUNTRY_CAPITAL);
        List<String> others = new ArrayList<>();
        for (City city : w.otherKnownCities(c)) others.add(city.name());
        rng.shuffle(others);
        if (!others.isEmpty()) plan.add(others.size() == 1 ? COUNTRY_CITY : COUNTRY_CITIES);
        return sentences(plan, c.name(), c.name(), rng,
                "capital", w.get(c.capitalId()).name(), "list", others.isEmpty() ? "" : list(others));
    }

    /** A varied training description of a company. */
    public static String companyText(World w, Company c, Rng rng) {
        return companyText(w, c, rng, EnumSet.of(Relation.COMPANY_FOUNDED, Relation.FOUNDER, Relation.HEADQUARTERS));
    }

    /** A description of a company stating exactly the facts in {@code include}. */
    public static String companyText(World w, Company c, Rng rng, Set<Relation> include) {
        List<List<String>> plan = new ArrayList<>();
        boolean y = include.contains(Relation.COMPANY_FOUNDED), f = include.contains(Relation.FOUNDER);
        boolean h = include.contains(Relation.HEADQUARTERS);
        if (y && f && h && rng.chance(0.25)) plan.add(COMPANY_ALL);
        else {
            if (y && f && rng.chance(0.6)) plan.add(COMPANY_FOUNDED_BY);
            else {
                if (y) plan.add(COMPANY_YEAR);
                if (f) plan.add(COMPANY_FOUNDER);
            }
            if (h) plan.add(COMPANY_HQ);
            rng.shuffle(plan);
        }
        return sentences(plan, c.name(), c.name(), rng, "year", Integer.toString(c.founded()),
                "founder", w.get(c.founderId()).name(), "city", w.get(c.headquartersId()).name());
    }

    /** Renders one template of each group in order; the first names the subject in full. */
    private static String sentences(List<List<String>> plan, String fullName, String shortName, Rng rng, String... slots) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < plan.size(); i++) {
            String x = i == 0 || rng.chance(0.4) ? fullName : shortName;
            String s = rng.pick(plan.get(i)).replace("{X}", x);
            s = Phrasings.fill(s, slots);
            if (i > 0) sb.append(' ');
            sb.append(Character.toUpperCase(s.charAt(0))).append(s, 1, s.length());
        }
        return sb.toString();
    }

    /** The library document for {@code e}: a Markdown title and one canonical paragraph. */
    public static String libraryDoc(World w, Entity e) {
        return "# " + e.name() + "\n\n" + libraryBody(w, e) + "\n";
    }

    /** The canonical paragraph of {@code e}'s library document, without its title. */
    public static String libraryBody(World w, Entity e) {
        return switch (e) {
            case Person p -> {
                String s = p.name() + " is " + withArticle(p.profession()) + " who works at " + w.get(p.employerId()).name()
                        + ". " + p.surname() + " was born in " + p.born() + " in " + w.get(p.birthCityId()).name() + ".";
                Company own = w.foundedBy(p);
                yield own == null ? s : s + " " + p.surname() + " founded " + own.name() + " in " + own.founded() + ".";
            }
            case City c -> {
                String s = c.name() + " is a city in " + w.get(c.countryId()).name() + ", founded in " + c.founded() + ".";
                yield w.capitalOf(c) == null ? s : s + " It is the capital of " + w.get(c.countryId()).name() + ".";
            }
            case Country c -> {
                List<String> names = new ArrayList<>();
                for (City city : w.citiesOf(c)) names.add(city.name());
                yield c.name() + " is a country. Its capital is " + w.get(c.capitalId()).name() + ". Cities in "
                        + c.name() + ": " + String.join(", ", names) + ".";
            }
            case Company c -> c.name() + " is a company founded in " + c.founded() + " by " + w.get(c.founderId()).name()
                    + ". Its headquarters are in " + w.get(c.headquartersId()).name() + ".";
        };
    }
}
