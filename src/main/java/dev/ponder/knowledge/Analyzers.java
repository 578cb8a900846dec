package dev.ponder.knowledge;

import dev.ponder.engine.PonderException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/** The analysers an index may be built with, by the name recorded in the index's commit data. */
final class Analyzers {
    private Analyzers() {}

    static Analyzer create(String name) {
        return switch (name) {
            case "standard" -> new StandardAnalyzer(); // Unicode word breaks, lower case, no stop words
            case "english" -> new EnglishAnalyzer(); // + possessive 's dropped, English stop words, Porter stemming
            default -> throw new PonderException("unknown analyzer '" + name + "' recorded in the index");
        };
    }
}
