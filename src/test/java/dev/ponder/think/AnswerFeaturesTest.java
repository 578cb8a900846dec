package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AnswerFeaturesTest {
    @Test
    void subjectMustAppearWhole() {
        String ev = "fopi fula is a potter who works at tirga labs. fula was born in 1947 in niseholm.";
        assertEquals(1.0, AnswerFeatures.namesCovered("Where does the company that employs Fopi Fula have its headquarters?", ev));
        // same given name, other person: the whole name is not there
        assertEquals(0.0, AnswerFeatures.namesCovered("What is Fopi Kaldavas's occupation?", ev));
        // a name at the start of the question counts; a question word does not
        assertEquals(1.0, AnswerFeatures.namesCovered("Tirga Labs has its head office in which city?", ev));
        assertEquals(0.5, AnswerFeatures.namesCovered("Is Fopi Fula older than Zuru Voto?", ev));
        assertEquals(1.0, AnswerFeatures.namesCovered("what is two plus two?", ev));
    }

    @Test
    void aComputedAnswerIsSupportedWhenEveryOperandIsInTheEvidenceOrQuestion() {
        String q = "What was the age of Bega Sibagi in the year 2045?";
        String ev = "bega sibagi is a surgeon who works at mefu works. sibagi was born in 1977 in fibaford.";
        assertTrue(AnswerFeatures.supported(q, "<<calc 2045-1977>>68", ev));
        assertFalse(AnswerFeatures.supported(q, "<<calc 2045-1777>>268", ev)); // recalled operand not in the evidence
        assertFalse(AnswerFeatures.supported(q, "<<calc 2045-197>>1848", ev)); // a part of a number is not the number
        assertFalse(AnswerFeatures.supported(q, "<<calc 2045-1977>>68 <<calc 1777*2>>3554", ev)); // every call counts
        assertTrue(AnswerFeatures.supported(q, "<<calc 2045-1977>>68 <<calc 2045-68>>1977", ev)); // an exact result may feed the next
        assertTrue(AnswerFeatures.supported("Where?", "surgeon", ev)); // plain answers: their text
        assertFalse(AnswerFeatures.supported("Where?", "dentist", ev));
    }
}
