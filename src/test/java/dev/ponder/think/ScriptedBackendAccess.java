package dev.ponder.think;

/** Lets tests in other packages build the scripted backend. */
public final class ScriptedBackendAccess {
    private ScriptedBackendAccess() {}

    /** A backend answering {@code answer} at probability {@code p} when the context contains {@code key}. */
    public static Backend backend(String[] keys, String[] answers, double[] probs) {
        ScriptedBackend b = new ScriptedBackend();
        for (int i = 0; i < keys.length; i++) b.when(keys[i], ScriptedBackend.t(answers[i], probs[i]));
        return b;
    }

    public static QuestionFormat format() {
        return ScriptedBackend.FORMAT;
    }
}
