package dev.ponder.learn.distill;

import dev.ponder.learn.world.Entity;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.learn.world.Phrasings;
import dev.ponder.learn.world.Relation;
import dev.ponder.learn.world.World;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Problems for distillation from a world: every single-hop fact of every entity the model was NOT trained on
 * (the U part: only the library has it), asked in a training phrasing. The unknown entities are split in two by
 * id: facts of the first half are distilled, facts of the second are held out to show what distillation does not
 * teach. A question whose text (case and spacing ignored) is an eval question's — dev or test — is never made:
 * eval phrasings differ from training phrasings by construction, and this is checked, not assumed.
 */
public final class Problems {
    private Problems() {}

    /** The U-fact problems of {@code w}, none with the text of a question in {@code eval}. */
    public static List<Problem> unknownFacts(World w, List<EvalQuestion> eval) {
        Set<String> evalTexts = new HashSet<>();
        for (EvalQuestion q : eval) evalTexts.add(key(q.question()));
        List<Entity> unknown = w.entities().stream().filter(e -> !e.known()).sorted(java.util.Comparator.comparing(Entity::id)).toList();
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < unknown.size(); i++) {
            Entity e = unknown.get(i);
            boolean distilled = i % 2 == 0;
            for (Relation r : Relation.of(e)) {
                for (String template : r.trainTemplates()) {
                    String q = Phrasings.fill(template, "s", e.name());
                    if (evalTexts.contains(key(q))) continue;
                    out.add(new Problem(q, List.of(r.value(w, e)), e.id(), distilled));
                    break; // one phrasing per fact: what is learnt is the fact, not a phrasing
                }
            }
        }
        return out;
    }

    /** True if {@code question} has the text of one of {@code eval} (case and spacing ignored). */
    public static boolean leaks(String question, List<EvalQuestion> eval) {
        String k = key(question);
        for (EvalQuestion q : eval) if (key(q.question()).equals(k)) return true;
        return false;
    }

    /** A question's text with case and spacing ignored. */
    static String key(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }
}
