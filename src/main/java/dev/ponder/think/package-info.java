/**
 * Slow thinking: per-token uncertainty signals, the controller loop that pauses where the model is unsure
 * (decode, detect, explore, re-check, continue), calibrated confidence, abstention, and the trace of what
 * happened. Depends on {@code engine} only; exploration sources such as retrieval are interfaces here
 * ({@link dev.ponder.think.Retriever}) implemented by higher layers.
 */
package dev.ponder.think;
