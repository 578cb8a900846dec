package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EventCheckTest {
    static final String BORN = "Buvar Kibunsi is an editor who works at Sorbar Foods. Kibunsi was born in 1957 in Nismimar.";
    static final String FOUNDED = "Sorbar Foods is a company founded in 1915 by Bega Forsiron. Its headquarters are in Kuroby.";

    @Test
    void aYearOfAnotherEventDoesNotAnswer() {
        assertTrue(EventCheck.unsupported("In which year did Buvar Kibunsi retire?", "1957", BORN).orElseThrow().contains("birth"));
        assertTrue(EventCheck.unsupported("When was Buvar Kibunsi born?", "1915", BORN + " " + FOUNDED).isPresent(),
                "the founding year for a birth");
    }

    @Test
    void theYearOfTheEventAskedAnswers() {
        assertTrue(EventCheck.unsupported("Which year saw the birth of Buvar Kibunsi?", "1957", BORN).isEmpty());
        assertTrue(EventCheck.unsupported("What is the birth year of Buvar Kibunsi?", "1957", BORN).isEmpty());
        assertTrue(EventCheck.unsupported("Sorbar Foods was established in what year?", "1915", FOUNDED).isEmpty());
        assertTrue(EventCheck.unsupported("When was Sorbar Foods set up?", "1915", FOUNDED).isEmpty());
    }

    @Test
    void onlyPlainYearsTheEvidenceHoldsAreJudged() {
        assertTrue(EventCheck.unsupported("In which year did Buvar Kibunsi retire?", "1958", BORN).isEmpty(), "not in the evidence");
        assertTrue(EventCheck.unsupported("In which year did Buvar Kibunsi retire?", "<<calc 1957+60>>2017", BORN).isEmpty(), "computed");
        assertTrue(EventCheck.unsupported("In which year did Buvar Kibunsi retire?", "1957", "").isEmpty(), "no evidence");
        assertTrue(EventCheck.unsupported("In which year did Buvar Kibunsi retire?", "1957", "In 1957 Kibunsi moved away.").isEmpty(),
                "a sentence that names no known event says nothing against it");
        assertEquals(Set.of("birth", "founding"), EventCheck.events("born in a city founded in 1400"));
    }
}
