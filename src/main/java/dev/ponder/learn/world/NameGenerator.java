package dev.ponder.learn.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes fictional, pronounceable names from consonant-vowel syllables ({@code Ka}, {@code vel}, ...) and
 * guarantees that every <em>stem</em> it hands out is unique and differs from every other stem by at least
 * two letters (edit distance), so no two names collide or look alike, and each is only a few BPE tokens.
 *
 * <p>Kinds of names share one registry: a person's surname, a city, a country and a company never share a
 * stem. Cities, countries and companies add a kind-specific ending ({@code Kavoton}, {@code Dalmoria},
 * {@code Zunda Works}) so a small model can tell the kinds apart. A short block list keeps out real place
 * names and common English words these patterns can produce.
 */
public final class NameGenerator {
    private static final String[] ONSETS = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u"};
    private static final String[] CODAS = {"n", "r", "l", "s"};
    private static final String[] CITY_ENDINGS = {"ton", "burg", "mar", "vale", "port", "holm", "ford", "by"};
    private static final String[] COUNTRY_ENDINGS = {"ria", "land", "nia", "mark", "dor"};
    private static final String[] COMPANY_WORDS = {
        "Works", "Labs", "Systems", "Group", "Foods", "Motors", "Press", "Textiles", "Mills", "Shipping"
    };
    /** Real names and common words the syllable patterns can produce; never handed out. */
    private static final Set<String> BLOCKED = Set.of(
            "nigeria", "liberia", "bulgaria", "siberia", "romania", "rumania", "tanzania", "sardinia", "salvador",
            "nederland", "lunenburg", "dayton", "denton", "fulton", "milton", "bolton", "melton", "sutton",
            "tuna", "sofa", "soda", "lava", "data", "pizza", "bonus", "tenor", "minus", "virus", "lotus", "donor",
            "manor", "motor", "tumor", "rumor", "lemon", "melon", "baron", "felon", "demon", "venus", "nora",
            "linda", "maria", "bella", "sara", "lima", "roma", "pita", "puma", "koala", "banana", "tomato",
            "potato", "salami", "sumo", "judo", "kilo", "memo", "solo", "polo", "tutu", "para", "gala", "diva",
            "saga", "toga", "mama", "papa", "dada", "nana", "radar", "sonar", "lunar", "solar", "polar", "molar",
            "sinus", "fetus", "tibia", "mafia", "rabies", "tirana", "lusaka", "kabul", "manila", "medina", "nepal",
            "peru", "mali", "togo", "fiji", "samoa", "tonga", "kenya", "gabon", "benin", "panama", "burundi",
            "namibia", "zambia", "gambia", "somalia", "bolivia", "malta", "sudan", "lagos", "dakar", "rabat");

    private final Rng rng;
    /** Lower-case stems and full names handed out, for exact-collision checks. */
    private final Set<String> taken = new TreeSet<>();
    /** stemsByLength[n]: lower-case stems of length n, for the edit-distance check. */
    private final List<List<String>> stemsByLength = new ArrayList<>();

    public NameGenerator(Rng rng) {
        this.rng = rng;
    }

    /**
     * A generator drawing from {@code rng} that avoids every name this one has handed out so far (the two then
     * go their own ways: names the fork hands out are not reserved here).
     */
    public NameGenerator fork(Rng rng) {
        NameGenerator g = new NameGenerator(rng);
        g.taken.addAll(taken);
        for (List<String> l : stemsByLength) g.stemsByLength.add(new ArrayList<>(l));
        return g;
    }

    /** Names (lower-case stems and full names) handed out by this generator but not by {@code earlier}, a fork of it taken before. */
    public java.util.SortedSet<String> takenSince(NameGenerator earlier) {
        java.util.SortedSet<String> out = new TreeSet<>(taken);
        out.removeAll(earlier.taken);
        return out;
    }

    /** Never hands out {@code names} (lower-case stems or full names) or anything within one edit of them. */
    public void reserve(java.util.Collection<String> names) {
        for (String n : names) {
            String lower = n.toLowerCase(Locale.ROOT);
            if (!taken.add(lower)) continue;
            while (stemsByLength.size() <= lower.length()) stemsByLength.add(new ArrayList<>());
            stemsByLength.get(lower.length()).add(lower);
        }
    }

    /** A unique given-name-like word of two syllables, e.g. {@code Mira}. */
    public String given() {
        return stem(2, 2);
    }

    /** A unique surname of two or three syllables. */
    public String surname() {
        return stem(2, 3);
    }

    /** A unique city name: a stem plus a city ending, e.g. {@code Kavoton}. */
    public String city() {
        return withEnding(CITY_ENDINGS, "");
    }

    /** A unique country name: a stem plus a country ending, e.g. {@code Dalmoria}. */
    public String country() {
        return withEnding(COUNTRY_ENDINGS, "");
    }

    /** A unique company name: a stem and a business word, e.g. {@code Zunda Works}. */
    public String company() {
        return withEnding(COMPANY_WORDS, " ");
    }

    /** A made-up entity: its kind ({@code person}, {@code company}, {@code city}, {@code country}) and name. */
    public record MadeUp(String kind, String name) {}

    /**
     * A made-up entity of a random kind (6 in 10 a person, 2 a company, 1 a city, 1 a country); a person gets one of
     * {@code givenNames} and a new surname. Draws from {@code rng} in a fixed order (the world's eval sets rely on it).
     */
    public MadeUp madeUp(Rng rng, List<String> givenNames) {
        int k = rng.nextInt(10);
        String kind = k < 6 ? "person" : k < 8 ? "company" : k < 9 ? "city" : "country";
        String name = switch (kind) {
            case "person" -> rng.pick(givenNames) + " " + surname();
            case "company" -> company();
            case "city" -> city();
            default -> country();
        };
        return new MadeUp(kind, name);
    }

    /** True if {@code name} (any case) was handed out, as a stem or as a full name. */
    public boolean isTaken(String name) {
        return taken.contains(name.toLowerCase(Locale.ROOT));
    }

    private String withEnding(String[] endings, String joiner) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            String stem = stem(2, 2);
            String name = stem + joiner + rng.pick(endings);
            String lower = name.toLowerCase(Locale.ROOT);
            if (!taken.contains(lower) && !BLOCKED.contains(lower)) {
                taken.add(lower);
                return name;
            }
        }
        throw new IllegalStateException("ran out of distinct names");
    }

    /** A capitalised stem of {@code minSyllables..maxSyllables} syllables, unique and distinguishable. */
    private String stem(int minSyllables, int maxSyllables) {
        for (int attempt = 0; attempt < 100_000; attempt++) {
            int syllables = rng.between(minSyllables, maxSyllables);
            StringBuilder sb = new StringBuilder();
            String previous = "";
            boolean repeated = false;
            for (int i = 0; i < syllables; i++) {
                String syllable = rng.pick(ONSETS) + rng.pick(VOWELS);
                if (rng.chance(0.2)) syllable += rng.pick(CODAS);
                repeated |= syllable.equals(previous); // "mama"-like repeats read badly
                sb.append(syllable);
                previous = syllable;
            }
            String lower = sb.toString();
            if (repeated || lower.length() > 9 || BLOCKED.contains(lower) || taken.contains(lower) || tooClose(lower)) {
                continue;
            }
            taken.add(lower);
            while (stemsByLength.size() <= lower.length()) stemsByLength.add(new ArrayList<>());
            stemsByLength.get(lower.length()).add(lower);
            return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
        }
        throw new IllegalStateException("ran out of distinct names");
    }

    /** True if some stem already handed out is within edit distance 1 of {@code s}. */
    private boolean tooClose(String s) {
        for (int len = s.length() - 1; len <= s.length() + 1; len++) {
            if (len < 0 || len >= stemsByLength.size()) continue;
            for (String other : stemsByLength.get(len)) if (withinOneEdit(s, other)) return true;
        }
        return false;
    }

    /** True if {@code a} and {@code b} are equal or differ by one insertion, deletion or substitution. */
    static boolean withinOneEdit(String a, String b) {
        if (a.length() > b.length()) return withinOneEdit(b, a);
        if (b.length() - a.length() > 1) return false;
        int i = 0;
        while (i < a.length() && a.charAt(i) == b.charAt(i)) i++;
        if (a.length() == b.length()) return a.regionMatches(i + 1, b, i + 1, a.length() - i - 1) || i == a.length();
        return a.regionMatches(i, b, i + 1, a.length() - i);
    }
}
