package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerTypeTest {
    static final Passage CITY = new Passage("city-1", "Nansoford", "Nansoford is a city in Sinrinia, founded in 1791.", 0);
    static final Passage COUNTRY = new Passage("country-1", "Sinrinia", "Sinrinia is a country. Its capital is Febomar.", 0);
    static final Passage COMPANY = new Passage("company-1", "Mefu Works", "Mefu Works is a company founded in 1863.", 0);
    static final Passage PERSON = new Passage("person-1", "Lofa Bovuli", "Lofa Bovuli is a nurse who works at Mefu Works.", 0);

    @Test
    void theClassAQuestionAsksFor() {
        assertEquals(Optional.of("country"), AnswerType.asked("What is Lofa Bovuli's country of birth?"));
        assertEquals(Optional.of("country"), AnswerType.asked("Which country is the birthplace of Lofa Bovuli located in?"));
        assertEquals(Optional.of("city"), AnswerType.asked("Which city is the capital of Lofa Bovuli's country of birth?"));
        assertEquals(Optional.of("city"), AnswerType.asked("Name the city where Lofa Bovuli was born."));
        assertTrue(AnswerType.asked("Where does the company that employs Lofa Bovuli have its headquarters?").isEmpty(),
                "the company is described, a place is asked");
        assertEquals(Optional.of("city"), AnswerType.asked("What town is Lofa Bovuli from?"));
        assertEquals(Optional.of("company"), AnswerType.asked("For which company does Lofa Bovuli work?"));
        assertEquals(Optional.of("person"), AnswerType.asked("Who founded Mefu Works?"));
        assertEquals(Optional.of("person"), AnswerType.asked("Mefu Works was founded by whom?"));
        assertEquals(Optional.of("person"), AnswerType.asked("Which person set up the company Mefu Works?"));
        assertTrue(AnswerType.asked("What is the favourite food of Lofa Bovuli?").isEmpty());
        assertTrue(AnswerType.asked("In which year was Lofa Bovuli born?").isEmpty());
    }

    @Test
    void theClassADocumentDeclares() {
        assertEquals(Optional.of("city"), AnswerType.declared(CITY));
        assertEquals(Optional.of("country"), AnswerType.declared(COUNTRY));
        assertEquals(Optional.of("company"), AnswerType.declared(COMPANY));
        assertEquals(Optional.of("person"), AnswerType.declared(PERSON), "an occupation with \"who\": a person");
    }

    @Test
    void aDraftNamingAnEntityOfAnotherClassIsAMismatch() {
        PonderTest.ListRetriever lib = new PonderTest.ListRetriever(CITY, COUNTRY, COMPANY, PERSON);
        String q = "What is Lofa Bovuli's country of birth?";
        assertEquals(Optional.of("city"), AnswerType.mismatch(lib, q, " Nansoford"));
        assertTrue(AnswerType.mismatch(lib, q, "Sinrinia").isEmpty(), "the class asked");
        assertTrue(AnswerType.mismatch(lib, q, "Zetaland").isEmpty(), "no document: nothing to say");
        assertEquals(Optional.of("company"), AnswerType.mismatch(lib, "Who is the spouse of Lofa Bovuli?", "Mefu Works"));
        assertTrue(AnswerType.mismatch(lib, "Who founded Mefu Works?", "Lofa Bovuli").isEmpty());
        assertTrue(AnswerType.mismatch(lib, "What is the favourite food of Lofa Bovuli?", "Nansoford").isEmpty(), "no class asked");
        // an occupation answers only a question about what someone does
        assertEquals(Optional.of("occupation"), AnswerType.mismatch(lib, "What is the favourite food of Lofa Bovuli?", "nurse"));
        assertTrue(AnswerType.mismatch(lib, "What is Lofa Bovuli's occupation?", "nurse").isEmpty());
        assertTrue(AnswerType.mismatch(lib, "What kind of work does Lofa Bovuli do?", "nurse").isEmpty());
        assertTrue(AnswerType.mismatch(lib, "What does Lofa Bovuli do for a living?", "nurse").isEmpty());
        assertTrue(AnswerType.mismatch(lib, "What is the favourite food of Lofa Bovuli?", "pasta").isEmpty(), "not a word the library uses so");
        assertTrue(AnswerType.mismatch(null, q, "Nansoford").isEmpty(), "no library");
    }
}
