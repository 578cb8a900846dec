package dev.ponder.think;

import java.util.Locale;

/** Renders a {@link Trace} for people: drafts with their unsure tokens, each pause with its reason, query, passages and rollback, and the outcome. */
public final class TraceRenderer {
    private TraceRenderer() {}

    /** The trace as indented plain text, one step per line. */
    public static String render(Trace trace) {
        StringBuilder sb = new StringBuilder();
        for (TraceEvent e : trace.events()) {
            switch (e) {
                case TraceEvent.Start s -> sb.append("Q: ").append(s.question()).append("   [").append(s.method()).append(", ").append(s.backend()).append("]\n");
                case TraceEvent.Draft d -> {
                    sb.append(d.pause() == 0 ? "  draft" : d.tokens().isEmpty() ? "  combined" : "  re-decoded").append(": \"").append(d.answer()).append("\"  confidence ")
                            .append(f2(d.confidence()));
                    if (d.tokens().isEmpty() && d.pause() > 0) { // composed from sub-answers: no tokens, no context
                        sb.append("  (from the sub-questions' answers)\n");
                        continue;
                    }
                    sb.append("  tokens:");
                    for (TraceEvent.Token t : d.tokens()) sb.append(' ').append(quote(t.text())).append('(').append(f2(t.prob())).append(')');
                    sb.append("  context: ").append(d.contextTokensReused()).append(" reused, ").append(d.contextTokensComputed()).append(" computed");
                    int nameTokens = AnswerFeatures.NAMES.indexOf("name_tokens"), nameLp = AnswerFeatures.NAMES.indexOf("name_logprob");
                    if (d.pause() == 0 && d.features() != null && d.features().length > nameTokens && d.features()[nameTokens] > 0)
                        sb.append("  names: mean logprob ").append(f2(d.features()[nameLp])).append(" over ")
                                .append((int) d.features()[nameTokens]).append(" token(s)");
                    sb.append('\n');
                }
                case TraceEvent.Trigger t -> sb.append("  || pause ").append(t.pause()).append(": ").append(t.reason())
                        .append("; weakest token ").append(quote(t.weakestToken())).append(" p=").append(f2(t.weakestProb()))
                        .append(" -> ").append(t.strategy())
                        .append(t.strategyReason() == null || t.strategyReason().isEmpty() ? "" : " (" + t.strategyReason() + ")").append('\n');
                case TraceEvent.Retrieve r -> {
                    sb.append("     query: \"").append(r.query().length() > 120 ? r.query().substring(0, 117) + "..." : r.query()).append("\"\n");
                    for (TraceEvent.Hit h : r.hits()) {
                        sb.append("     ").append(h.used() ? "+ " : "  ").append('[').append(h.docId()).append("] ").append(h.title())
                                .append(" (score ").append(f2(h.score())).append(")");
                        if (h.used()) sb.append(": ").append(h.text().length() > 140 ? h.text().substring(0, 137) + "..." : h.text());
                        sb.append('\n');
                    }
                }
                case TraceEvent.Rollback r -> sb.append("     rollback: keep ").append(quote(r.kept())).append(", re-decode from token ")
                        .append(r.fromToken()).append(" (discard ").append(quote(r.discarded())).append(")\n");
                case TraceEvent.SubQuestion q -> sb.append("     ").append(q.role()).append(" question: \"").append(q.question()).append("\" -> ")
                        .append(q.abstained() ? "no answer" : "\"" + q.answer() + "\"").append("  confidence ").append(f2(q.confidence()))
                        .append(" after ").append(q.pauses()).append(" pause(s)")
                        .append(q.docIds().isEmpty() ? "" : ", read " + String.join(", ", q.docIds())).append('\n');
                case TraceEvent.Search s -> sb.append("     search (").append(s.algorithm()).append("): ").append(s.nodes()).append(" nodes, ")
                        .append(s.tokens()).append(" tokens, ").append(String.format(Locale.ROOT, "%.0f ms", s.nanos() / 1e6)).append(" -> ")
                        .append(s.best().isEmpty() ? "nothing" : quote(s.best())).append(s.verified() ? " (verified)" : " (not verified)").append('\n');
                case TraceEvent.Consult c -> {
                    sb.append("     consult: ").append(c.reason()).append(" (").append(c.tokens()).append(" tokens):");
                    if (c.votes().isEmpty()) sb.append(" none");
                    for (TraceEvent.Vote v : c.votes()) sb.append(' ').append(quote(v.answer())).append(" x").append(v.count());
                    sb.append(" -> ").append(c.chosen() == null ? "keep the draft" : quote(c.chosen())).append('\n');
                }
                case TraceEvent.Inject i -> sb.append("     inject: ").append(String.join(", ", i.docIds())).append('\n');
                case TraceEvent.ToolCall c -> sb.append("     tool: ").append(c.tool()).append(' ').append(quote(c.arguments()))
                        .append(c.isError() ? " -> error: " : " -> ").append(quote(c.result().length() > 140 ? c.result().substring(0, 137) + "..." : c.result()))
                        .append(String.format(Locale.ROOT, " (%.1f ms)", c.nanos() / 1e6)).append('\n');
                case TraceEvent.Outcome o -> sb.append(o.abstained() ? "A: " : "A: ").append(o.answer())
                        .append("\n   confidence ").append(f2(o.confidence())).append(" · ").append(o.reason()).append(" · ")
                        .append(o.pauses()).append(" pause(s), ").append(o.retrievals()).append(" retrieval(s), ")
                        .append(o.generatedTokens()).append(" tokens, ").append(String.format(Locale.ROOT, "%.0f ms", o.nanos() / 1e6)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
