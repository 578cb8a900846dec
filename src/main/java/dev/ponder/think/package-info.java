/**
 * Slow thinking: per-token uncertainty signals, the controller loop that pauses where the model is unsure
 * (decode, detect, explore, re-check, continue), calibrated confidence, abstention, and the trace of what
 * happened. Depends on {@code engine} only; exploration sources such as retrieval and tools are interfaces
 * here ({@link dev.ponder.think.Retriever}, {@link dev.ponder.think.ToolRunner}) implemented by higher
 * layers. The inline tool-call syntax ({@link dev.ponder.think.ToolCallParser}) and the tool step of a pause
 * ({@link dev.ponder.think.ToolPause}) live here so that the controller needs no tool.
 *
 * <p>Checks that do not trust the model's confidence alone: the class of an answer against the library
 * ({@link dev.ponder.think.AnswerType}), the recalled numbers of a calculation against the model's own plain
 * answers ({@link dev.ponder.think.OperandCheck}), and the split of a multi-hop question into sub-questions
 * ({@link dev.ponder.think.Decomposer}); {@link dev.ponder.think.Ponder} runs them inside its loop.
 */
package dev.ponder.think;
