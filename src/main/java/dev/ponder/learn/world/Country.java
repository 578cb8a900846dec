package dev.ponder.learn.world;

/**
 * A country.
 *
 * @param capitalId id of the capital city (a city of this country)
 */
public record Country(String id, String name, boolean known, String capitalId) implements Entity {
    @Override
    public String kind() {
        return "country";
    }
}
