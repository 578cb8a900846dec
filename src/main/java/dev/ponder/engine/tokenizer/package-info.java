/**
 * Tokenizers read from GGUF metadata, matching llama.cpp token for token, and a trainer for new
 * byte-level BPE vocabularies.
 *
 * <ul>
 *   <li>{@link dev.ponder.engine.tokenizer.Tokenizer#fromGGUF} builds the tokenizer of a model file:
 *       SentencePiece-style ({@code tokenizer.ggml.model = llama}) or byte-level BPE ({@code gpt2}) with the
 *       {@link dev.ponder.engine.tokenizer.PreTokenizer} named by {@code tokenizer.ggml.pre}.
 *   <li>{@link dev.ponder.engine.tokenizer.StreamDecoder} turns generated ids into text as they come,
 *       never splitting a character.
 *   <li>{@link dev.ponder.engine.tokenizer.BpeTrainer} learns a vocabulary from a corpus and writes it as
 *       GGUF metadata.
 * </ul>
 *
 * <p>Depends only on the JDK and {@code dev.ponder.engine.gguf}.
 */
package dev.ponder.engine.tokenizer;
