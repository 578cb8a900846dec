package dev.ponder.learn.world;

/**
 * A person of the world.
 *
 * @param given given name (shared by several people)
 * @param surname surname, unique in the world (so bios may refer to a person by surname alone)
 * @param born birth year
 * @param birthCityId id of the city of birth
 * @param profession lower-case profession word, e.g. {@code cartographer}
 * @param employerId id of the employing company
 */
public record Person(String id, String given, String surname, boolean known, int born, String birthCityId,
                     String profession, String employerId) implements Entity {
    @Override
    public String name() {
        return given + " " + surname;
    }

    @Override
    public String kind() {
        return "person";
    }
}
