/**
 * Tools the controller can call while it pauses: the {@link dev.ponder.knowledge.tools.Tool} interface, the
 * {@link dev.ponder.knowledge.tools.ToolRegistry} (the only way to call a tool; per-call time and output
 * limits), the built-in {@code calc} ({@link dev.ponder.knowledge.tools.CalculatorTool}, exact rationals) and
 * {@code date} ({@link dev.ponder.knowledge.tools.DateTool}), tools of MCP servers
 * ({@link dev.ponder.knowledge.tools.McpTools}, configured by {@link dev.ponder.knowledge.tools.McpConfig},
 * started in the {@link dev.ponder.knowledge.tools.McpSandbox}), and
 * {@link dev.ponder.knowledge.tools.InlineTools}, which runs inline calls {@code <<NAME ARGS>>} and implements
 * {@link dev.ponder.think.ToolRunner} for the controller. See {@code docs/tools.md}.
 */
package dev.ponder.knowledge.tools;
