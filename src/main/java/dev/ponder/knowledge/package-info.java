/**
 * The library the controller reads from when it pauses: {@link dev.ponder.knowledge.Library} loads a
 * directory of Markdown or text documents and {@link dev.ponder.knowledge.LibraryIndex} keeps them in a
 * persistent Lucene BM25 index that implements {@link dev.ponder.think.Retriever}.
 * {@link dev.ponder.knowledge.RecallEval} measures how often the index finds a question's supporting
 * document. Tools (calculator, dates, MCP servers) are in {@link dev.ponder.knowledge.tools}. Depends on
 * {@code engine} and {@code think}, Lucene, Jackson and the MCP Java SDK.
 */
package dev.ponder.knowledge;
