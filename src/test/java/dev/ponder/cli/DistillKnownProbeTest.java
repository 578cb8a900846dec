package dev.ponder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DistillKnownProbeTest {
    private static final List<String> CORPUS = List.of(
            "Question: What does Voli Mirnul work as?\nAnswer: librarian\n",
            "Question: What is the capital city of Pokeland?\nAnswer: Gekimar\n",
            "Question: How old was Voli Mirnul in 2000?\nAnswer: <<calc 2000-1957>>43\n",
            "Question: Reach 19 from 1, 4, 9, 75 using + - * / and each number at most once.\nAnswer: (75+1)/4\n",
            "Question: In which year did Voli Mirnul retire?\nAnswer: unknown\n",
            "Passage: Loze Pofi works at Nolzil Foods.\nQuestion: Where does Loze Pofi work?\nAnswer: Nolzil Foods\n",
            "Voli Mirnul is a librarian who was born in 1957.");

    @Test
    void takesOnlyTheCorpusOwnPlainFactQuestions() {
        List<String[]> probe = DistillCommand.knownProbe(CORPUS, 7, 100);
        assertEquals(2, probe.size()); // no calculation, countdown, 'unknown', passage or plain text
        for (String[] f : probe) {
            assertTrue(f[0].equals("What does Voli Mirnul work as?") && f[1].equals("librarian")
                    || f[0].equals("What is the capital city of Pokeland?") && f[1].equals("Gekimar"), f[0] + " -> " + f[1]);
        }
    }

    @Test
    void isASeededSampleOfAtMostN() {
        List<String[]> a = DistillCommand.knownProbe(CORPUS, 7, 1), b = DistillCommand.knownProbe(CORPUS, 7, 1);
        assertEquals(1, a.size());
        assertEquals(a.getFirst()[0], b.getFirst()[0]);
    }
}
