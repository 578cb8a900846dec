/**
 * The generated world: a small fictional universe of people, cities, countries and companies on which
 * {@code ponder-nano} is trained (the <em>known</em> part) and evaluated (known, unknown, unanswerable,
 * multi-hop, arithmetic, countdown and reading-comprehension questions), so that slow thinking
 * (retrieval, tools, search) can be shown on a model that knows some things and not others.
 *
 * <h2>Generating</h2>
 * {@link dev.ponder.learn.world.WorldGenerator#generate WorldGenerator.generate(config, seed, dir, overwrite)}
 * or {@code ponder world --seed S --out DIR}. The same seed and {@link dev.ponder.learn.world.WorldConfig}
 * give byte-identical files ({@link dev.ponder.learn.world.Rng} is a fixed SplitMix64; all orders are
 * fixed; no clock or locale is used).
 *
 * <h2>Layout of DIR</h2>
 * <pre>
 * README.md              layout, formats and sizes of this world
 * entities.jsonl         ground truth: one entity per line ("id","kind","name","known", facts as ids)
 * library/ID.md          one Markdown document per entity, known and unknown (person-0001.md, city-0001.md, ...)
 * train/corpus.jsonl     {"text": ...} one training document per line (known part and throwaway entities only)
 * train/valid.jsonl      held-out documents of the same mix
 * eval/dev.jsonl         {"id","category","question","answers","support"} one question per line;
 * eval/test.jsonl        R adds "passage", C adds "numbers" and "target"
 * </pre>
 *
 * <h2>Formats</h2>
 * Prompts: {@link dev.ponder.learn.world.PromptFormat} ({@code Question: Q\nAnswer: A\n}, optionally preceded
 * by {@code Passage: P\n}). Calculator tool: {@link dev.ponder.learn.world.CalcTool} ({@code <<calc EXPR>>}
 * followed by the result the runtime inserts). Grading: {@link dev.ponder.learn.world.Checker#forQuestion}.
 * Countdown: {@link dev.ponder.learn.world.CountdownPuzzle#check} and {@link dev.ponder.learn.world.CountdownSolver}.
 */
package dev.ponder.learn.world;
