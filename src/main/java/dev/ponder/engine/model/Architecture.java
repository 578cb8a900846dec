package dev.ponder.engine.model;

import dev.ponder.engine.PonderException;

/** The architectures the engine runs, as named by {@code general.architecture}, with how each differs. */
public enum Architecture {
    /** Llama 1/2/3.x, TinyLlama, SmolLM: adjacent-pair RoPE, optional Llama-3 frequency factors. */
    LLAMA("llama", RopeType.NORMAL, false),
    /** Mistral 7B family (same graph as llama; llama.cpp usually labels these files "llama"). */
    MISTRAL("mistral", RopeType.NORMAL, false),
    /** Qwen2 / Qwen2.5: half-split (NeoX) RoPE and biases on the Q, K and V projections. */
    QWEN2("qwen2", RopeType.NEOX, true);

    public final String ggufName;
    public final RopeType ropeType;
    public final boolean qkvBias;

    Architecture(String ggufName, RopeType ropeType, boolean qkvBias) {
        this.ggufName = ggufName;
        this.ropeType = ropeType;
        this.qkvBias = qkvBias;
    }

    public static Architecture fromGGUF(String name) {
        for (Architecture a : values()) if (a.ggufName.equals(name)) return a;
        throw new PonderException("unsupported architecture '" + name + "' (supported: llama, mistral, qwen2)");
    }

    /** How RoPE pairs the dimensions of a head. */
    public enum RopeType {
        /** Rotate adjacent pairs (x[2i], x[2i+1]). */
        NORMAL,
        /** Rotate x[i] with x[i + d/2] (GPT-NeoX style). */
        NEOX
    }
}
