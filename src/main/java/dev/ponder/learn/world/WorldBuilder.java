package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.List;

/**
 * Generates the entities of a {@link World}: countries, their cities, companies and people, with plausible
 * years (cities founded 900-1900, companies 1850-2015, people born 1925-2004, founders 22-55 years before
 * their company) and the closure rules documented on {@link World}.
 */
public final class WorldBuilder {
    /** Professions people may have (lower case; the article is chosen by the first letter). */
    public static final List<String> PROFESSIONS = List.of(
            "architect", "baker", "botanist", "carpenter", "chemist", "dentist", "economist", "editor", "engineer",
            "farmer", "geologist", "historian", "journalist", "lawyer", "librarian", "mechanic", "nurse", "painter",
            "pharmacist", "pilot", "potter", "sculptor", "surgeon", "teacher", "translator", "weaver", "astronomer",
            "cartographer");

    /** How many entities of each kind, split into known and unknown. */
    public record Sizes(int knownCountries, int unknownCountries, int knownCities, int unknownCities,
                        int knownCompanies, int unknownCompanies, int knownPeople, int unknownPeople) {
        static Sizes of(WorldConfig c) {
            return new Sizes(c.knownCountries(), c.unknownCountries(), c.knownCities(), c.unknownCities(),
                    c.knownCompanies(), c.unknownCompanies(), c.knownPeople(), c.unknownPeople());
        }
    }

    private final Rng rng;
    private final NameGenerator names;
    private final List<String> givenNames;
    private final String idPrefix;

    /**
     * @param rng randomness for this world alone
     * @param names the name registry shared by everything generated from one seed
     * @param givenNames the pool of given names people draw from
     * @param idPrefix prefix of every id (empty for the main world)
     */
    public WorldBuilder(Rng rng, NameGenerator names, List<String> givenNames, String idPrefix) {
        this.rng = rng;
        this.names = names;
        this.givenNames = List.copyOf(givenNames);
        this.idPrefix = idPrefix;
    }

    private String id(String kind, int n) {
        String digits = Integer.toString(n);
        return idPrefix + kind + "-" + "0000".substring(Math.min(4, digits.length())) + digits;
    }

    /** Builds a world of the given sizes. */
    public World build(Sizes s) {
        // Countries first (capitals are filled in once their cities exist).
        int nCountries = s.knownCountries() + s.unknownCountries();
        List<String> countryNames = new ArrayList<>();
        for (int i = 0; i < nCountries; i++) countryNames.add(names.country());

        // Cities: the first city of each country is its capital; known cities go to known countries only.
        List<City> cities = new ArrayList<>();
        List<String> capitals = new ArrayList<>();
        for (int i = 0; i < nCountries; i++) capitals.add(null);
        int nCities = s.knownCities() + s.unknownCities();
        for (int i = 0; i < nCities; i++) {
            boolean known = i < s.knownCities();
            int country;
            if (known) {
                country = i < s.knownCountries() ? i : rng.nextInt(s.knownCountries());
            } else {
                int j = i - s.knownCities();
                country = j < s.unknownCountries() ? s.knownCountries() + j : rng.nextInt(nCountries);
            }
            City c = new City(id("city", i + 1), names.city(), known, id("country", country + 1), rng.between(900, 1900));
            cities.add(c);
            if (capitals.get(country) == null) capitals.set(country, c.id());
        }
        List<Country> countries = new ArrayList<>();
        for (int i = 0; i < nCountries; i++) {
            countries.add(new Country(id("country", i + 1), countryNames.get(i), i < s.knownCountries(), capitals.get(i)));
        }
        List<City> knownCities = cities.subList(0, s.knownCities());

        // Companies: headquarters first; founders are the first people of the matching part.
        int nCompanies = s.knownCompanies() + s.unknownCompanies();
        List<String> companyNames = new ArrayList<>();
        List<Integer> companyFounded = new ArrayList<>();
        List<String> companyHq = new ArrayList<>();
        for (int i = 0; i < nCompanies; i++) {
            boolean known = i < s.knownCompanies();
            companyNames.add(names.company());
            companyFounded.add(rng.between(1850, 2015));
            companyHq.add((known ? rng.pick(knownCities) : rng.pick(cities)).id());
        }

        List<Person> people = new ArrayList<>();
        List<String> founders = new ArrayList<>();
        for (int i = 0; i < nCompanies; i++) founders.add(null);
        int nPeople = s.knownPeople() + s.unknownPeople();
        for (int i = 0; i < nPeople; i++) {
            boolean known = i < s.knownPeople();
            int j = known ? i : i - s.knownPeople();
            int founderOf = known ? (j < s.knownCompanies() ? j : -1)
                                  : (j < s.unknownCompanies() ? s.knownCompanies() + j : -1);
            int born;
            int employer;
            if (founderOf >= 0) {
                employer = founderOf;
                born = companyFounded.get(founderOf) - rng.between(22, 55);
            } else {
                born = rng.between(1925, 2004);
                employer = pickEmployer(known ? s.knownCompanies() : nCompanies, companyFounded, born);
            }
            City birthCity = known ? rng.pick(knownCities) : rng.pick(cities);
            Person p = new Person(id("person", i + 1), rng.pick(givenNames), names.surname(), known, born,
                    birthCity.id(), rng.pick(PROFESSIONS), id("company", employer + 1));
            people.add(p);
            if (founderOf >= 0) founders.set(founderOf, p.id());
        }
        List<Company> companies = new ArrayList<>();
        for (int i = 0; i < nCompanies; i++) {
            companies.add(new Company(id("company", i + 1), companyNames.get(i), i < s.knownCompanies(),
                    companyFounded.get(i), companyHq.get(i), founders.get(i)));
        }
        return new World(countries, cities, companies, people);
    }

    /** A company among the first {@code n}, preferring one founded at most 50 years after {@code born}. */
    private int pickEmployer(int n, List<Integer> founded, int born) {
        List<Integer> fitting = new ArrayList<>();
        for (int i = 0; i < n; i++) if (founded.get(i) <= born + 50) fitting.add(i);
        return fitting.isEmpty() ? rng.nextInt(n) : rng.pick(fitting);
    }
}
