package dev.ponder.learn.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.learn.world.Chain;
import dev.ponder.learn.world.Descriptions;
import dev.ponder.learn.world.Entity;
import dev.ponder.learn.world.EvalQuestion;
import dev.ponder.learn.world.Phrasings;
import dev.ponder.learn.world.Relation;
import dev.ponder.learn.world.WorldConfig;
import dev.ponder.learn.world.WorldGenerator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Refusal candidates are training-phrased, never eval questions, and their made-up entities are absent from the world. */
class RefusalsTest {
    static WorldGenerator.Generated g;
    static List<EvalQuestion> eval;
    static Refusals refusals;
    static List<Refusal> round1;

    @BeforeAll
    static void build() {
        g = WorldGenerator.build(WorldConfig.defaults(), 7);
        eval = new ArrayList<>(g.dev());
        eval.addAll(g.test());
        List<String> texts = new ArrayList<>(g.corpus());
        for (Entity e : g.world().entities()) texts.add(Descriptions.libraryDoc(g.world(), e));
        refusals = new Refusals(g.world(), texts, eval);
        round1 = refusals.candidates(7, 1, 300);
    }

    @Test
    void noEvalQuestionAndOnlyTrainingTemplates() {
        assertTrue(round1.size() >= 290, "candidates: " + round1.size());
        List<String> evalTemplates = Phrasings.evalTemplates();
        for (Refusal r : round1) {
            assertFalse(Problems.leaks(r.question(), eval), r.question());
            assertTrue(matchesAny(r.question(), Phrasings.trainTemplates()), "not a training phrasing: " + r.question());
            assertFalse(matchesAny(r.question(), evalTemplates), "an eval phrasing: " + r.question());
        }
        // the leak check can fail: an N question of the test split is caught
        EvalQuestion n = g.test().stream().filter(q -> q.category().name().equals("N")).findFirst().orElseThrow();
        assertTrue(Problems.leaks(n.question().toLowerCase(Locale.ROOT), eval));
    }

    @Test
    void allThreeSourcesInTheirShares() {
        Map<Refusal.Source, Integer> count = new EnumMap<>(Refusal.Source.class);
        for (Refusal r : round1) count.merge(r.source(), 1, Integer::sum);
        assertEquals(90, count.get(Refusal.Source.UNRECORDED));
        assertEquals(120, count.get(Refusal.Source.FICTIONAL));
        assertEquals(90, count.get(Refusal.Source.MULTI_HOP));
        Set<Boolean> knownAsked = new HashSet<>();
        for (Refusal r : round1) if (r.source() == Refusal.Source.UNRECORDED) knownAsked.add(g.world().get(r.entityId()).known());
        assertEquals(Set.of(true, false), knownAsked, "unrecorded facts of known and unknown entities");
    }

    @Test
    void madeUpEntitiesAreAbsentFromTheWorldAndTheEvalSets() {
        Set<String> worldNames = new HashSet<>();
        for (Entity e : g.world().entities()) worldNames.add(e.name().toLowerCase(Locale.ROOT));
        StringBuilder evalText = new StringBuilder();
        for (EvalQuestion q : eval) evalText.append(q.question().toLowerCase(Locale.ROOT)).append('\n');
        Set<String> given = new HashSet<>();
        for (var p : g.world().people()) given.add(p.given());
        int checked = 0;
        for (Refusal r : round1) {
            if (r.source() != Refusal.Source.FICTIONAL) continue;
            assertEquals("", r.entityId());
            String name = subject(r.question());
            assertFalse(worldNames.contains(name.toLowerCase(Locale.ROOT)), name);
            String[] words = name.split(" ");
            // a person: a world given name and a fresh surname; a company: a fresh stem and a business word
            String fresh = words.length == 2 && given.contains(words[0]) ? words[1] : words[0];
            assertFalse(evalText.indexOf(fresh.toLowerCase(Locale.ROOT)) >= 0, "in an eval question: " + fresh);
            assertTrue(refusals.absent(fresh), fresh);
            checked++;
        }
        assertTrue(checked > 100);
        // absence can fail: a world name is not absent
        Entity someone = g.world().people().getFirst();
        assertFalse(refusals.absent(someone.name()));
    }

    @Test
    void roundsDrawDifferentCandidatesAndMultiHopAnswersAreTheChains() {
        List<Refusal> round2 = refusals.candidates(7, 2, 300);
        assertNotEquals(round1, round2);
        assertEquals(round1, refusals.candidates(7, 1, 300), "deterministic");
        for (Refusal r : round1) {
            if (r.source() != Refusal.Source.MULTI_HOP) continue;
            Entity e = g.world().get(r.entityId());
            Set<String> values = new HashSet<>();
            for (Chain c : Chain.values()) if (c.kind().equals(e.kind())) values.add(c.value(g.world(), e));
            assertTrue(values.contains(refusals.multiHopAnswer(r)), r.question());
        }
    }

    /** The subject name: the question with the matching template's fixed text removed. */
    private static String subject(String question) {
        for (Relation rel : Relation.values()) {
            for (String t : rel.trainTemplates()) {
                int at = t.indexOf("{s}");
                String pre = t.substring(0, at), post = t.substring(at + 3);
                if (question.startsWith(pre) && question.endsWith(post) && question.length() > pre.length() + post.length()) {
                    String name = question.substring(pre.length(), question.length() - post.length());
                    if (!name.contains("?") && !name.startsWith("the ")) return name;
                }
            }
        }
        throw new AssertionError("no template matches " + question);
    }

    private static boolean matchesAny(String question, List<String> templates) {
        for (String t : templates) {
            int at = t.indexOf("{s}");
            if (at < 0) continue;
            String pre = t.substring(0, at), post = t.substring(at + 3);
            if (question.startsWith(pre) && question.endsWith(post) && question.length() > pre.length() + post.length()) {
                String name = question.substring(pre.length(), question.length() - post.length());
                if (name.matches("[A-Z][a-z]+( [A-Z][a-z]+)?")) return true;
            }
        }
        return false;
    }
}
