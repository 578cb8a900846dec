package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.List;

/**
 * Word-level noise for training questions, so that a small model learns to read a question by its subject
 * and its key words rather than by its exact wording. A noised question has one word that is not part of the
 * subject's name replaced by a made-up word, or a made-up word inserted. The made-up words are random
 * lower-case syllables (never words of any eval phrasing: they are drawn from the letters, not from a list),
 * so an unfamiliar word in an unseen phrasing looks like something the model has learned to read past.
 */
final class QuestionNoise {
    private static final String[] ONSETS = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "h", "c", "j"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ee", "ai", "ou"};
    private static final String[] CODAS = {"", "", "n", "r", "l", "s", "t", "ck", "nd", "w"};

    private QuestionNoise() {}

    /** {@code question} unchanged with probability {@code 1 - share}, else with one noised word. */
    static String maybeNoise(String question, String subject, double share, Rng rng) {
        return rng.chance(share) ? noise(question, subject, rng) : question;
    }

    /** {@code question} with one word outside {@code subject} replaced by, or preceded by, a made-up word. */
    static String noise(String question, String subject, Rng rng) {
        String[] words = question.split(" ");
        int nameStart = indexOfWords(words, subject.split(" "));
        int nameLen = subject.split(" ").length;
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < words.length; i++) if (nameStart < 0 || i < nameStart || i >= nameStart + nameLen) free.add(i);
        if (free.isEmpty()) return question;
        int at = free.get(rng.nextInt(free.size()));
        String word = pseudoWord(rng);
        List<String> out = new ArrayList<>(List.of(words));
        if (rng.chance(0.5)) {
            String old = words[at];
            int end = old.length();
            while (end > 0 && !Character.isLetterOrDigit(old.charAt(end - 1))) end--;
            String w = at == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word;
            out.set(at, w + old.substring(end));
        } else {
            if (at == 0) {
                out.set(0, lowerFirst(words[0], subject, nameStart == 0));
                out.add(0, Character.toUpperCase(word.charAt(0)) + word.substring(1));
            } else {
                out.add(at, word);
            }
        }
        return String.join(" ", out);
    }

    /**
     * A made-up lower-case word of one or two syllables. It always holds a letter or vowel pair that
     * {@link NameGenerator} never uses (h, c, j, w, or two vowels together), so it can never be the stem of
     * an entity's name.
     */
    static String pseudoWord(Rng rng) {
        while (true) {
            String w = syllables(rng);
            if (w.matches(".*([hcjw]|[aeiou]{2}).*")) return w;
        }
    }

    private static String syllables(Rng rng) {
        StringBuilder sb = new StringBuilder();
        int syllables = 1 + rng.nextInt(2);
        for (int s = 0; s < syllables; s++) {
            sb.append(rng.pick(List.of(ONSETS))).append(rng.pick(List.of(VOWELS)));
            if (s == syllables - 1) sb.append(rng.pick(List.of(CODAS)));
        }
        return sb.toString();
    }

    private static String lowerFirst(String word, String subject, boolean isName) {
        if (isName || word.isEmpty()) return word;
        return Character.toLowerCase(word.charAt(0)) + word.substring(1);
    }

    private static int indexOfWords(String[] words, String[] name) {
        outer:
        for (int i = 0; i + name.length <= words.length; i++) {
            for (int j = 0; j < name.length; j++) {
                String w = words[i + j];
                if (j == name.length - 1) w = stripTail(w);
                if (!w.equals(name[j])) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static String stripTail(String w) {
        int end = w.length();
        while (end > 0 && !Character.isLetterOrDigit(w.charAt(end - 1))) end--;
        String s = w.substring(0, end);
        return s.endsWith("'s") ? s.substring(0, s.length() - 2) : s;
    }
}
