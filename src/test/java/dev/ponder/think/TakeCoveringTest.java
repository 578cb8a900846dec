package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One pause reads a passage for every entity the question names, within the token budget. */
class TakeCoveringTest {
    static final Passage VIVO = new Passage("person-1", "Vivo Neduvu", "Vivo Neduvu was born in 1978.", 9);
    static final Passage VIVO2 = new Passage("person-9", "Vivo Tala", "Vivo Tala was born in 1950.", 8);
    static final Passage LIKAS = new Passage("person-2", "Likas Lirumi", "Likas Lirumi was born in 1976.", 7);

    static Drafter drafter(int maxEvidenceTokens) {
        return new Drafter(new ScriptedBackend(), ScriptedBackend.FORMAT, Calibration.fallback(),
                new Budget(3, 1, maxEvidenceTokens, 10_000_000_000L, 16));
    }

    @Test
    void takesTheBestHitThenOnePerNameStillMissing() {
        List<Passage> evidence = new ArrayList<>();
        List<Passage> taken = drafter(1000).takeCovering("How much older is Vivo Neduvu than Likas Lirumi?",
                List.of(VIVO, VIVO2, LIKAS), evidence, new int[1]);
        assertEquals(List.of("person-1", "person-2"), taken.stream().map(Passage::docId).toList());
        assertEquals(2, evidence.size());
    }

    @Test
    void aNameAlreadyReadOrOutOfBudgetAddsNothing() {
        List<Passage> evidence = new ArrayList<>(List.of(LIKAS));
        List<Passage> taken = drafter(1000).takeCovering("How much older is Vivo Neduvu than Likas Lirumi?",
                List.of(VIVO, LIKAS), evidence, new int[1]);
        assertEquals(List.of("person-1"), taken.stream().map(Passage::docId).toList());
        int[] used = {0};
        int one = new ScriptedBackend().countTokens(VIVO.text());
        List<Passage> tight = drafter(one).takeCovering("How much older is Vivo Neduvu than Likas Lirumi?",
                List.of(VIVO, LIKAS), new ArrayList<>(), used);
        assertEquals(1, tight.size()); // the second passage would exceed the evidence budget
    }
}
