package dev.ponder.think;

/**
 * A retrieved passage: the document it came from, its title, the text to show the model, and the
 * retriever's score (higher is better; comparable only within one search).
 *
 * @param docId the document's id in its library (the file name without extension)
 * @param title the document's title (may be empty)
 * @param text the passage text, without the title
 * @param score the retriever's relevance score
 */
public record Passage(String docId, String title, String text, double score) {}
