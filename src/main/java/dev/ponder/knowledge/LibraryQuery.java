package dev.ponder.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CombinedFieldQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Turns any user text into a Lucene query over a document's title and text. There is no query syntax:
 * the text is analysed into terms (the same analyser as at index time), each distinct term becomes an
 * optional clause, so {@code "AND (} or a pasted paragraph is as valid as a question. Text with no
 * terms (empty, punctuation, only stop words) gives no query.
 */
final class LibraryQuery {
    /** At most this many distinct terms are used (Lucene caps a boolean query at 1024 clauses). */
    static final int MAX_TERMS = 256;

    static final String TITLE = "title", TEXT = "text";

    /**
     * How queries are scored; kept as a value so {@code RetrievalExperiment} can re-measure the choice.
     *
     * @param analyzer {@link Analyzers} name, fixed per index at creation
     * @param titleBoost weight of a title match relative to a text match
     * @param bm25f score title and text as one combined field (BM25F) instead of summing two BM25 scores
     */
    record Tuning(String analyzer, float titleBoost, boolean bm25f) {}

    private LibraryQuery() {}

    /** The query for {@code text}, or {@code null} when the text has no searchable term. */
    static Query build(String text, Analyzer analyzer, Tuning tuning) {
        List<String> terms = terms(analyzer, TEXT, text);
        if (terms.isEmpty()) return null;
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        if (tuning.bm25f()) {
            for (String t : terms) {
                q.add(new CombinedFieldQuery.Builder(t).addField(TITLE, tuning.titleBoost()).addField(TEXT, 1f).build(), Occur.SHOULD);
            }
        } else {
            for (String t : terms) {
                q.add(new BoostQuery(new TermQuery(new Term(TITLE, t)), tuning.titleBoost()), Occur.SHOULD);
                q.add(new TermQuery(new Term(TEXT, t)), Occur.SHOULD);
            }
        }
        return q.build();
    }

    /** The distinct terms of {@code text} under {@code analyzer}, in order of first appearance, at most {@link #MAX_TERMS}. */
    static List<String> terms(Analyzer analyzer, String field, String text) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && out.size() < MAX_TERMS) out.add(term.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // analysing a String does no I/O
        }
        return List.copyOf(out);
    }
}
