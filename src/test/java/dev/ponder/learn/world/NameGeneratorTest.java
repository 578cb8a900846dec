package dev.ponder.learn.world;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NameGeneratorTest {
    @Test
    void editDistanceOneIsDetected() {
        assertTrue(NameGenerator.withinOneEdit("kavo", "kavo"));
        assertTrue(NameGenerator.withinOneEdit("kavo", "kavi"));
        assertTrue(NameGenerator.withinOneEdit("kavo", "kavor"));
        assertTrue(NameGenerator.withinOneEdit("kavo", "avo"));
        assertTrue(NameGenerator.withinOneEdit("kavo", "kvo"));
        assertFalse(NameGenerator.withinOneEdit("kavo", "kiva"));
        assertFalse(NameGenerator.withinOneEdit("kavo", "kavoro"));
        assertFalse(NameGenerator.withinOneEdit("kavo", "ovak"));
    }

    @Test
    void namesAreUniquePronounceableAndFarApart() {
        NameGenerator g = new NameGenerator(new Rng(42));
        List<String> stems = new ArrayList<>();
        Set<String> full = new TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            String s = g.surname();
            assertTrue(s.matches("[A-Z][a-z]{2,8}"), s);
            assertTrue(s.substring(1).matches("([bdfgklmnprstvz][aeiou][nrls]?)*[a-z]*"), s);
            stems.add(s.toLowerCase(Locale.ROOT));
            assertTrue(full.add(s));
        }
        for (int i = 0; i < 300; i++) {
            assertTrue(full.add(g.city()));
            assertTrue(full.add(g.company()));
            assertTrue(full.add(g.country()));
        }
        for (int i = 0; i < stems.size(); i++) {
            for (int j = i + 1; j < stems.size(); j++) {
                assertFalse(NameGenerator.withinOneEdit(stems.get(i), stems.get(j)), stems.get(i) + " ~ " + stems.get(j));
            }
        }
        assertTrue(g.isTaken(stems.getFirst().toUpperCase(Locale.ROOT)));
        assertFalse(g.isTaken("Qqqq"));
    }

    @Test
    void sameSeedSameNames() {
        NameGenerator a = new NameGenerator(new Rng(1)), b = new NameGenerator(new Rng(1));
        for (int i = 0; i < 100; i++) assertTrue(a.city().equals(b.city()) && a.surname().equals(b.surname()));
    }
}
