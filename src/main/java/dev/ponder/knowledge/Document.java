package dev.ponder.knowledge;

import java.util.Objects;

/**
 * One document of a library: a passage the controller can retrieve during a pause.
 *
 * @param id the document's id, unique in its library (the file name without extension)
 * @param title the document's title (the first {@code # } heading, else the id)
 * @param text the body, trimmed, without the title line
 */
public record Document(String id, String title, String text) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        if (id.isBlank()) throw new IllegalArgumentException("document id is blank");
    }
}
