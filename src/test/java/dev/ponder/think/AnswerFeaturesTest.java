package dev.ponder.think;

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
}
