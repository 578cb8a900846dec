package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The entities of one generated world, in id order, with lookup by id. Built by {@link WorldBuilder}.
 *
 * <p>The known part is closed: a known person's birth city and employer are known, a known company's
 * headquarters and founder are known, a known city's country is known and a known country's capital is
 * known. So training text about known entities never names an unknown one. Unknown entities may refer to
 * known ones.
 */
public final class World {
    private final List<Country> countries;
    private final List<City> cities;
    private final List<Company> companies;
    private final List<Person> people;
    private final Map<String, Entity> byId = new TreeMap<>();

    public World(List<Country> countries, List<City> cities, List<Company> companies, List<Person> people) {
        this.countries = List.copyOf(countries);
        this.cities = List.copyOf(cities);
        this.companies = List.copyOf(companies);
        this.people = List.copyOf(people);
        for (Entity e : entities()) {
            if (byId.put(e.id(), e) != null) throw new IllegalArgumentException("duplicate id " + e.id());
        }
    }

    public List<Country> countries() {
        return countries;
    }

    public List<City> cities() {
        return cities;
    }

    public List<Company> companies() {
        return companies;
    }

    public List<Person> people() {
        return people;
    }

    /** All entities: countries, cities, companies, then people, each in id order. */
    public List<Entity> entities() {
        List<Entity> all = new ArrayList<>();
        all.addAll(countries);
        all.addAll(cities);
        all.addAll(companies);
        all.addAll(people);
        return all;
    }

    /** The entity with {@code id}; throws {@link IllegalArgumentException} if there is none. */
    public Entity get(String id) {
        Entity e = byId.get(id);
        if (e == null) throw new IllegalArgumentException("no entity " + id);
        return e;
    }

    public City city(String id) {
        return (City) get(id);
    }

    public Country country(String id) {
        return (Country) get(id);
    }

    public Company company(String id) {
        return (Company) get(id);
    }

    public Person person(String id) {
        return (Person) get(id);
    }

    /** The known cities of {@code country}, in id order, other than its capital. */
    public List<City> otherKnownCities(Country country) {
        List<City> out = new ArrayList<>();
        for (City c : cities) {
            if (c.known() && c.countryId().equals(country.id()) && !c.id().equals(country.capitalId())) out.add(c);
        }
        return out;
    }

    /** All cities of {@code country}, in id order. */
    public List<City> citiesOf(Country country) {
        List<City> out = new ArrayList<>();
        for (City c : cities) if (c.countryId().equals(country.id())) out.add(c);
        return out;
    }

    /** The country whose capital is {@code city}, or null. */
    public Country capitalOf(City city) {
        Country c = country(city.countryId());
        return c.capitalId().equals(city.id()) ? c : null;
    }

    /** The company {@code person} founded, or null. */
    public Company foundedBy(Person person) {
        for (Company c : companies) if (c.founderId().equals(person.id())) return c;
        return null;
    }
}
