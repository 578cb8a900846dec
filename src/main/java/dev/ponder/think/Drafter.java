package dev.ponder.think;

import java.util.ArrayList;
import java.util.List;

/**
 * Drafts one answer: builds the prompt (evidence, question, kept answer prefix), decodes greedily, computes
 * the features and the calibrated confidence, and records a {@link TraceEvent.Draft}. Shared by every method
 * so that they differ only in when and what they retrieve.
 */
public final class Drafter {
    /** A drafted answer. */
    public record Drafted(Generation generation, String prefix, String answer, boolean unknown, double confidence, double[] features) {}

    /** Seed of the agreement samples (fixed: the same draft gets the same samples). */
    static final long SAMPLE_SEED = 20261129L;

    /** Tool calls a draft may make at most. */
    public static final int MAX_TOOL_CALLS = 3;

    private final Backend backend;
    private final QuestionFormat format;
    private final Calibration calibration;
    private final Budget budget;
    private final ToolPause tools; // null: the model's tool calls are left as text

    public Drafter(Backend backend, QuestionFormat format, Calibration calibration, Budget budget) {
        this(backend, format, calibration, budget, null);
    }

    private Drafter(Backend backend, QuestionFormat format, Calibration calibration, Budget budget, ToolPause tools) {
        this.backend = backend;
        this.format = format;
        this.calibration = calibration;
        this.budget = budget;
        this.tools = tools;
    }

    /** This drafter, running the inline tool calls the model writes through {@code runner} (null: none). */
    public Drafter withTools(ToolRunner runner) {
        return new Drafter(backend, format, calibration, budget, runner == null ? null : new ToolPause(runner));
    }

    /** True if drafts run the model's tool calls. */
    public boolean hasTools() {
        return tools != null;
    }

    public Backend backend() {
        return backend;
    }

    public Budget budget() {
        return budget;
    }

    public Calibration calibration() {
        return calibration;
    }

    public QuestionFormat format() {
        return format;
    }

    /**
     * How familiar the question's names are to the model (see {@link Familiarity}); computed on the question's
     * prompt without evidence, once per question (the last question's value is kept).
     */
    public Familiarity familiarity(String question) {
        if (question.equals(familiarityOf)) return familiarity;
        String prompt = format.prompt(question, List.of(), "");
        familiarity = Familiarity.of(backend, prompt, question, prompt.indexOf(question));
        familiarityOf = question;
        return familiarity;
    }

    private String familiarityOf;
    private Familiarity familiarity = Familiarity.NONE;

    public Drafted draft(String question, List<Passage> evidence, String prefix, int pause, Trace trace) {
        Familiarity known = familiarity(question); // first: its prompt is the fast draft's, whose prefill it shares
        Generation g = backend.generate(format.prompt(question, evidence, prefix), budget.maxAnswerTokens(), format.stop());
        if (tools != null) g = withToolResults(question, evidence, prefix, pause, g, trace);
        String answer = format.answerOf(prefix + g.text());
        boolean unknown = format.isUnknown(answer);
        Agreement agreement = Agreement.NONE;
        if (calibration.samples() > 0 && !evidence.isEmpty()) {
            String context = format.prompt(question, evidence, prefix);
            List<String> answers = new ArrayList<>();
            for (Generation s : backend.sample(context, calibration.samples(), Calibration.SAMPLE_TEMPERATURE,
                    budget.maxAnswerTokens(), format.stop(), SAMPLE_SEED)) answers.add(format.answerOf(prefix + s.text()));
            agreement = Agreement.of(answer, answers);
        }
        double[] x = AnswerFeatures.of(question, g, answer, unknown, evidence, agreement, known);
        double c = calibration.confidence(x, !evidence.isEmpty());
        List<TraceEvent.Token> tokens = new ArrayList<>();
        for (TokenSignal s : g.tokens()) tokens.add(TraceEvent.Token.of(s));
        trace.add(new TraceEvent.Draft(pause, answer, tokens, c, x, g.reusedTokens(), g.prefilledTokens()));
        return new Drafted(g, prefix, answer, unknown, c, x);
    }

    /** Temperature of a consultation's samples: the model's own distribution. */
    public static final double CONSULT_TEMPERATURE = 1.0;

    /**
     * Consults when reading left a name unsupported: {@code d}, drafted after {@code evidence}, is a name (it starts
     * with a capital) that the evidence does not hold: the model copied a name's first token and completed it from
     * memory ({@code Dolsinby} read as {@code Dolsesholm}) or took another entity. Samples {@code k} answers from the
     * same context as one batch (the prompt's KV cache forked) and counts the names the evidence supports (their
     * text is in it) and the answers that say the evidence does not give the answer; the most common of them (ties:
     * the first sampled) becomes the draft, with the signals of its sampled tokens. Only names: a year or a number the evidence holds
     * says little (a passage holds several), and a computed answer is checked by its operands. No draft is taken when
     * there is nothing to consult on or no sample is counted. Deterministic: the samples' seed is fixed.
     */
    public Consultation consult(String question, List<Passage> evidence, String prefix, Drafted d, int k, int pause, Trace trace) {
        if (k <= 0 || evidence.isEmpty() || d.unknown() || !isName(d.answer())) return Consultation.NONE;
        String evidenceText = AnswerFeatures.evidenceText(evidence);
        if (AnswerFeatures.supported(question, d.answer(), evidenceText)) return Consultation.NONE;
        String context = format.prompt(question, evidence, prefix);
        java.util.Map<String, Integer> votes = new java.util.LinkedHashMap<>();
        java.util.Map<String, Generation> first = new java.util.HashMap<>();
        java.util.Map<String, String> text = new java.util.HashMap<>();
        int sampled = 0;
        for (Generation s : backend.sample(context, k, CONSULT_TEMPERATURE, budget.maxAnswerTokens(), format.stop(), SAMPLE_SEED)) {
            sampled += s.tokens().size();
            String a = format.answerOf(prefix + s.text());
            if (!format.isUnknown(a) && !(isName(a) && AnswerFeatures.supported(question, a, evidenceText))) continue;
            String meaning = Agreement.normalize(a);
            votes.merge(meaning, 1, Integer::sum);
            first.putIfAbsent(meaning, s);
            text.putIfAbsent(meaning, a);
        }
        String best = null;
        for (var e : votes.entrySet()) if (best == null || e.getValue() > votes.get(best)) best = e.getKey();
        List<TraceEvent.Vote> tally = new ArrayList<>();
        for (var e : votes.entrySet()) tally.add(new TraceEvent.Vote(text.get(e.getKey()), e.getValue()));
        trace.add(new TraceEvent.Consult(pause, "the draft \"" + d.answer().strip() + "\" is not in the passages read: "
                + k + " answers sampled from the same context, those the passages support counted", k, sampled, tally,
                best == null ? null : text.get(best)));
        if (best == null) return new Consultation(null, sampled);
        Generation g = first.get(best);
        String answer = text.get(best);
        boolean unknown = format.isUnknown(answer);
        double[] x = AnswerFeatures.of(question, g, answer, unknown, evidence, Agreement.NONE, familiarity(question));
        double c = calibration.confidence(x, true);
        List<TraceEvent.Token> tokens = new ArrayList<>();
        for (TokenSignal t : g.tokens()) tokens.add(TraceEvent.Token.of(t));
        trace.add(new TraceEvent.Draft(pause, answer, tokens, c, x, g.reusedTokens(), g.prefilledTokens()));
        return new Consultation(new Drafted(g, prefix, answer, unknown, c, x), sampled);
    }

    /** True if {@code answer} is a name: it starts with a capital and holds no tool call. */
    private static boolean isName(String answer) {
        String a = answer.strip();
        return !a.isEmpty() && !a.contains("<<") && Character.isUpperCase(a.codePointAt(0));
    }

    /**
     * What a {@link #consult consultation} gave: the new draft (empty when it took none) and the tokens its samples
     * generated (0 when it did not sample), which count as generated tokens of the question.
     */
    public record Consultation(Drafted draft, int sampledTokens) {
        static final Consultation NONE = new Consultation(null, 0);

        public java.util.Optional<Drafted> taken() {
            return java.util.Optional.ofNullable(draft);
        }
    }

    /**
     * Runs the tool calls in {@code g}: cut after a call's {@code >>}, insert the exact result, decode on from there
     * (the backend reuses the KV cache up to the cut). The result is complete: a continuation that only extends it
     * (digits, {@code .}, {@code /}: the model guessing at the number it was trained to predict) is dropped. The
     * returned generation holds the model's tokens before each call and after each result.
     */
    private Generation withToolResults(String question, List<Passage> evidence, String prefix, int pause, Generation g, Trace trace) {
        String text = g.text();
        List<TokenSignal> signals = new ArrayList<>(g.tokens());
        int from = 0, reused = g.reusedTokens(), prefilled = g.prefilledTokens();
        int insertedChars = 0; // characters of text that came from tools, not from any token
        long nanos = g.nanos();
        for (int calls = 0; calls < MAX_TOOL_CALLS; calls++) {
            java.util.Optional<ToolPause.Step> step = tools.run(pause, text, from, trace);
            if (step.isEmpty()) break;
            signals = upTo(signals, step.get().kept().length() - insertedChars);
            insertedChars += step.get().inserted().length();
            String sofar = step.get().text();
            int left = budget.maxAnswerTokens() - signals.size();
            if (left <= 0) { text = sofar; break; }
            Generation more = backend.generate(format.prompt(question, evidence, prefix + sofar), left, format.stop());
            reused += more.reusedTokens();
            prefilled += more.prefilledTokens();
            nanos += more.nanos();
            String cont = more.text();
            int cut = 0, chars = 0;
            while (cut < cont.length() && ToolPause.extendsResult(cont.charAt(cut))) cut++;
            for (TokenSignal t : more.tokens()) {
                if (chars >= cut) signals.add(t);
                chars += t.text().length();
            }
            text = sofar + cont.substring(cut);
            from = sofar.length();
        }
        return new Generation(text, signals, reused, prefilled, nanos);
    }

    /**
     * Runs the tool call {@code call} (e.g. {@code <<calc 1976-1860>>}) as the model's tool calls are run and
     * returns the answer it gives (the call followed by its exact result); null without tools or when the call
     * names no known tool.
     */
    public String recompute(String call, int pause, Trace trace) {
        if (tools == null) return null;
        return tools.run(pause, call, 0, trace).map(step -> format.answerOf(step.text())).orElse(null);
    }

    /** The signals of the tokens whose text lies within the first {@code chars} characters. */
    private static List<TokenSignal> upTo(List<TokenSignal> signals, int chars) {
        List<TokenSignal> out = new ArrayList<>();
        int at = 0;
        for (TokenSignal t : signals) {
            if (at >= chars) break;
            out.add(t);
            at += t.text().length();
        }
        return out;
    }

    /**
     * Takes up to {@code budget.passagesPerPause()} of {@code hits} not already in {@code evidence}, while the
     * evidence stays within the token budget; returns the passages taken (also appended to {@code evidence},
     * with any tool-call markup {@linkplain ToolCallParser#neutralise(String) neutralised}: a passage can never
     * show the model a call to copy).
     */
    public List<Passage> take(List<Passage> hits, List<Passage> evidence, int[] evidenceTokens) {
        List<Passage> taken = new ArrayList<>();
        for (Passage p : hits) {
            if (taken.size() == budget.passagesPerPause()) break;
            admit(p, evidence, evidenceTokens, taken);
        }
        return taken;
    }

    /**
     * Adds {@code p} to {@code evidence} (neutralised) and {@code taken} unless the evidence already holds it or it
     * would exceed the evidence token budget; returns whether it was added.
     */
    private boolean admit(Passage p, List<Passage> evidence, int[] evidenceTokens, List<Passage> taken) {
        if (evidence.stream().anyMatch(e -> e.docId().equals(p.docId()))) return false;
        int t = backend.countTokens(p.text());
        if (evidenceTokens[0] + t > budget.maxEvidenceTokens()) return false;
        evidenceTokens[0] += t;
        evidence.add(inert(p));
        taken.add(p);
        return true;
    }

    /**
     * {@link #take}, then, for each name of the question that no evidence mentions yet (a question about two
     * people needs both), the best-ranked hit that mentions it, within the token budget: one pause reads what
     * every entity of the question needs instead of settling on one of them.
     */
    public List<Passage> takeCovering(String question, List<Passage> hits, List<Passage> evidence, int[] evidenceTokens) {
        List<Passage> taken = new ArrayList<>(take(hits, evidence, evidenceTokens));
        for (int[] span : AnswerFeatures.nameSpans(question)) {
            String name = question.substring(span[0], span[1]).toLowerCase(java.util.Locale.ROOT);
            if (evidence.stream().anyMatch(e -> mentions(e, name))) continue;
            for (Passage p : hits) if (mentions(p, name) && admit(p, evidence, evidenceTokens, taken)) break;
        }
        return taken;
    }

    /**
     * The hits that the passages read last name by their title (the links a reader follows from a passage to
     * the next hop: the birth city, the employer), not yet read, within the token budget.
     */
    public List<Passage> takeLinked(List<Passage> readLast, List<Passage> hits, List<Passage> evidence, int[] evidenceTokens) {
        List<Passage> taken = new ArrayList<>();
        for (Passage p : hits) {
            String title = p.title().strip();
            if (title.isEmpty()) continue;
            java.util.regex.Pattern named = java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(title) + "\\b",
                    java.util.regex.Pattern.CASE_INSENSITIVE);
            if (readLast.stream().anyMatch(r -> !r.docId().equals(p.docId()) && named.matcher(r.text()).find()))
                admit(p, evidence, evidenceTokens, taken);
        }
        return taken;
    }

    private static boolean mentions(Passage p, String nameLower) {
        return (p.title() + " " + p.text()).toLowerCase(java.util.Locale.ROOT).contains(nameLower);
    }

    /** {@code p} with its text neutralised as tool-call markup (the same passage when it has none). */
    static Passage inert(Passage p) {
        String text = ToolCallParser.neutralise(p.text());
        return text.equals(p.text()) ? p : new Passage(p.docId(), p.title(), text, p.score());
    }

    /** Trace hits, marking those taken. */
    static List<TraceEvent.Hit> hits(List<Passage> hits, List<Passage> taken) {
        List<TraceEvent.Hit> out = new ArrayList<>();
        for (Passage p : hits) out.add(new TraceEvent.Hit(p.docId(), p.title(), p.score(), p.text(), taken.contains(p)));
        return out;
    }

    /** What the model reads before the question: the passages taken, in order. */
    static String injected(List<Passage> evidence) {
        StringBuilder sb = new StringBuilder();
        for (Passage p : evidence) sb.append(sb.isEmpty() ? "" : " ").append(p.text());
        return sb.toString();
    }
}
