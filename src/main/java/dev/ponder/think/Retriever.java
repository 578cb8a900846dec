package dev.ponder.think;

import java.util.List;

/**
 * Finds passages for a query. The controller calls it during a pause; {@code dev.ponder.knowledge}
 * implements it (Lucene BM25 over a library of documents), so {@code think} does not depend on any index.
 */
public interface Retriever {
    /** The {@code k} most relevant passages for {@code query}, best first; fewer if the library has fewer. */
    List<Passage> search(String query, int k);
}
