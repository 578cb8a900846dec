package dev.ponder.learn.world;

/**
 * A city.
 *
 * @param countryId id of the country the city is in
 * @param founded founding year
 */
public record City(String id, String name, boolean known, String countryId, int founded) implements Entity {
    @Override
    public String kind() {
        return "city";
    }
}
