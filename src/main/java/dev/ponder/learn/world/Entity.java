package dev.ponder.learn.world;

/**
 * Something the generated world has a library document about. {@code id} is also the library file name
 * ({@code library/ID.md}); {@code known} entities are in the training corpus, unknown ones only in the
 * library.
 */
public sealed interface Entity permits Person, City, Country, Company {
    /** Stable id such as {@code person-0042}; the library document is {@code library/<id>.md}. */
    String id();

    /** The display name, unique in the world. */
    String name();

    /** True if the model is trained on this entity's facts. */
    boolean known();

    /** The kind word used in ids and {@code entities.jsonl}: person, city, country or company. */
    String kind();
}
