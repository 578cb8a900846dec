package dev.ponder.think;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecomposerTest {
    static void splits(String q, String inner, String outerWithB) {
        Optional<Decomposer.Plan> p = Decomposer.split(q);
        assertTrue(p.isPresent(), q);
        assertEquals(inner, p.get().inner());
        assertEquals(outerWithB, p.get().outer("B"));
    }

    @Test
    void possessive() {
        splits("Who is the founder of Beno Pobu's employer?", "What is Beno Pobu's employer?", "Who is the founder of B?");
        splits("Which city is the capital of Vume Sesri's country of birth?", "What is Vume Sesri's country of birth?",
                "Which city is the capital of B?");
    }

    @Test
    void relativeClause() {
        splits("Where does the company that employs Mosi Solseza have its headquarters?", "Which company employs Mosi Solseza?",
                "Where does B have its headquarters?");
        splits("In what year was the person who founded Tirga Labs born?", "Which person founded Tirga Labs?", "In what year was B born?");
    }

    @Test
    void ofPhrase() {
        splits("In what year was the employer of Bisu Desren established?", "What is the employer of Bisu Desren?",
                "In what year was B established?");
        splits("Which country is the birthplace of Geze Zesilu located in?", "What is the birthplace of Geze Zesilu?",
                "Which country is B located in?");
    }

    @Test
    void aPlaceHoldingThePlaceOfAnEventIsAskedInTwoHops() {
        splits("What is Vunu Gerfaza's country of birth?", "Where was Vunu Gerfaza born?", "Which country is B located in?");
        splits("What is the country of birth of Vunu Gerfaza?", "Where was Vunu Gerfaza born?", "Which country is B located in?");
        splits("Veta Lesezon was born in a city of which country?", "Where was Veta Lesezon born?", "Which country is B located in?");
        // one hop more: the compound is the inner question, split again when it is answered
        splits("Which city is the capital of Vunu Gerfaza's country of birth?", "What is Vunu Gerfaza's country of birth?",
                "Which city is the capital of B?");
        assertTrue(Decomposer.split("What is Vunu Gerfaza's city of birth?").isEmpty(), "a city of birth is the birthplace itself");
        assertTrue(Decomposer.split("Veta Lesezon was born in a city of which colour?").isEmpty());
    }

    @Test
    void singleHopsAndAppositionsStayWhole() {
        assertTrue(Decomposer.split("What is Fezan Killoku's occupation?").isEmpty());
        assertTrue(Decomposer.split("What is the birth year of Buzon Kupelal?").isEmpty());
        assertTrue(Decomposer.split("What is the founding year of the city of Pevoport?").isEmpty());
        assertTrue(Decomposer.split("Who is the employer of Beno Pobu?").isEmpty());
        assertTrue(Decomposer.split("How much older is Vivo Neduvu than Likas Lirumi?").isEmpty()); // two names
        assertTrue(Decomposer.split("What is 2 plus 2?").isEmpty());
        assertTrue(Decomposer.split("Which year saw the birth of Vume Sesri?").isEmpty()); // an event of N itself
        assertTrue(Decomposer.split("What was the age of Bega Sibagi in the year 2045?").isEmpty());
        assertTrue(Decomposer.split("Name the capital of Naslesland.").isEmpty()); // the outer would ask nothing
        assertTrue(Decomposer.split("Which city is the capital of Sinrinia?").isEmpty()); // nor would "Which city is {B}?"
    }
}
