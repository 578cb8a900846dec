package dev.ponder.think;

import java.util.List;

/**
 * Finds passages for a query. The controller calls it during a pause; {@code dev.ponder.knowledge}
 * implements it (Lucene BM25 over a library of documents), so {@code think} does not depend on any index.
 */
public interface Retriever {
    /** The {@code k} most relevant passages for {@code query}, best first; fewer if the library has fewer. */
    List<Passage> search(String query, int k);

    /**
     * The passage of the document titled {@code name} (case and surrounding space aside), if the library has one.
     * The default searches for the name; an index may look the title up directly.
     */
    default java.util.Optional<Passage> titled(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) return java.util.Optional.empty();
        for (Passage p : search(n, 3)) if (p.title().strip().equalsIgnoreCase(n)) return java.util.Optional.of(p);
        return java.util.Optional.empty();
    }
}
