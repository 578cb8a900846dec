package dev.ponder.learn.distill;

import dev.ponder.learn.world.CountdownPuzzle;

/**
 * A countdown puzzle for distillation: the question in a training phrasing and the puzzle its checker verifies
 * ({@link CountdownPuzzle#check}); any verified expression is a right answer.
 *
 * @param question the question text (never an eval question's text)
 * @param puzzle   the numbers and target
 */
public record CountdownProblem(String question, CountdownPuzzle puzzle) {}
