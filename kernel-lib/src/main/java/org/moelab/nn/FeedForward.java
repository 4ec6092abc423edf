package org.moelab.nn;

import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * The position-wise MLP of a transformer block. {@link Activation#GELU}: down(gelu(up(x))).
 * {@link Activation#SWIGLU}: down(silu(gate(x)) ∘ up(x)) (Shazeer 2020, LLaMA). Sub-layer names: {@code up},
 * {@code gate} (SwiGLU only), {@code down}.
 */
public final class FeedForward extends Layer {
    /** The non-linearity; SwiGLU adds a gate projection. */
    public enum Activation { GELU, SWIGLU }

    private final int dModel, hidden;
    private final Activation activation;
    private final Linear up, gate, down;

    public FeedForward(int dModel, int hidden, Activation activation, Rng rng) {
        this(dModel, hidden, activation, true, rng);
    }

    public FeedForward(int dModel, int hidden, Activation activation, boolean bias, Rng rng) {
        this.dModel = Require.positive("FeedForward", "dModel", dModel);
        this.hidden = Require.positive("FeedForward", "hidden", hidden);
        this.activation = Require.notNull("FeedForward", "activation (GELU or SWIGLU)", activation);
        Require.notNull("FeedForward", "rng", rng);
        this.up = registerModule("up", new Linear(dModel, hidden, bias, rng));
        this.gate = activation == Activation.SWIGLU ? registerModule("gate", new Linear(dModel, hidden, bias, rng)) : null;
        this.down = registerModule("down", new Linear(hidden, dModel, bias, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, dModel);
        Tensor h = activation == Activation.GELU ? up.forward(x).gelu() : gate.forward(x).silu().mul(up.forward(x));
        return down.forward(h);
    }

    @Override
    public String toString() {
        return "FeedForward(" + activation + ", dModel=" + dModel + ", hidden=" + hidden + ")";
    }

    public Activation activation() {
        return activation;
    }

    /** The input projection (d → hidden). */
    public Linear up() {
        return up;
    }

    /** The output projection (hidden → d). */
    public Linear down() {
        return down;
    }

    public int hidden() {
        return hidden;
    }
}
