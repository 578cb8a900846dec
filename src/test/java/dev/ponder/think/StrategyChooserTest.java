package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StrategyChooserTest {
    private final StrategyChooser all = new StrategyChooser(EnumSet.allOf(Strategy.class));

    @Test
    void matchesTheKindOfDoubt() {
        assertEquals(Strategy.RETRIEVE, all.choose("Which city is Zuru Voto originally from?", "Nububy", " Nububy", false).strategy());
        assertEquals(Strategy.TOOL, all.choose("By 2052, Dofi Rabule had lived for how many years?", "<<calc 2052-1982>>70", "70", false).strategy());
        assertEquals(Strategy.TOOL, all.choose("How much older, in years, is Vivo Neduvu than Likas Lirumi?", "12", "12", false).strategy());
        assertEquals(Strategy.TOOL, all.choose("What is 17 * 23?", "391", "391", false).strategy());
        assertEquals(Strategy.SEARCH, all.choose("Combine 2, 6, 9, 75 with + - * / to get 129.", "75+9*6", "75", true).strategy());
    }

    @Test
    void skipsWhatIsNotAvailable() {
        StrategyChooser noTools = new StrategyChooser(EnumSet.of(Strategy.RETRIEVE));
        assertEquals(Strategy.RETRIEVE, noTools.choose("By 2052, Dofi Rabule had lived for how many years?", "70", "70", false).strategy());
        assertEquals(Strategy.RETRIEVE, noTools.choose("Combine 2, 6 to get 12.", "2*6", "2", true).strategy());
        StrategyChooser nothing = new StrategyChooser(EnumSet.noneOf(Strategy.class));
        StrategyChooser.Choice c = nothing.choose("Which city is Zuru Voto originally from?", "Nububy", " Nububy", false);
        assertEquals(Strategy.CONSULT, c.strategy());
        assertTrue(c.reason().contains("consensus"), c.reason());
    }

    @Test
    void aFactQuestionWithAYearIsStillAFact() {
        // a year is a number, but nothing is computed from it: read about it
        assertEquals(Strategy.RETRIEVE, all.choose("What is the birth year of Geze Lenbupi?", "1933", "1933", false).strategy());
        assertEquals(Strategy.RETRIEVE, all.choose("In what year was Felgol Shipping established?", "1877", "18", false).strategy());
    }
}
