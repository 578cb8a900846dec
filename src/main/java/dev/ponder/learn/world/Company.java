package dev.ponder.learn.world;

/**
 * A company.
 *
 * @param founded founding year
 * @param headquartersId id of the headquarters city
 * @param founderId id of the founding person
 */
public record Company(String id, String name, boolean known, int founded, String headquartersId, String founderId)
        implements Entity {
    @Override
    public String kind() {
        return "company";
    }
}
