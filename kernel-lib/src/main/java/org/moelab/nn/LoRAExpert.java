package org.moelab.nn;

import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * One low-rank adapter ΔW = (α/r)·B·A for a projection {@code in → out} (Hu et al. 2021, LoRA): A [r, in] starts
 * U(-1/√in, 1/√in) (PEFT's kaiming-uniform with a = √5), B [out, r] starts at zero, so a fresh adapter changes
 * nothing. {@link #delta} computes (α/r)·(x·Aᵀ)·Bᵀ on rows of x [n, in] without ever forming ΔW.
 *
 * <p>Used alone by {@link LoRALinear} and as one expert of {@code org.moelab.moe.LoRAMixerLinear}; saved and loaded on its own by
 * {@link LoRAExpertFiles}.
 */
public final class LoRAExpert extends Module {
    private final int in, out, rank;
    private final float alpha;
    private final Tensor a, b;

    public LoRAExpert(int in, int out, int rank, float alpha, Rng rng) {
        this.in = Require.positive("LoRAExpert", "in", in);
        this.out = Require.positive("LoRAExpert", "out", out);
        this.rank = Require.positive("LoRAExpert", "rank", rank);
        this.alpha = Require.positive("LoRAExpert", "alpha", alpha);
        Require.notNull("LoRAExpert", "rng", rng);
        if (rank > Math.min(in, out)) {
            throw new IllegalArgumentException("LoRAExpert: rank must be <= min(in, out) = " + Math.min(in, out) + ", got " + rank);
        }
        float bound = (float) (1 / Math.sqrt(in));
        this.a = registerParameter("A", Tensor.uniform(rng, -bound, bound, rank, in));
        this.b = registerParameter("B", Tensor.zeros(out, rank));
    }

    /** (α/r)·(x·Aᵀ)·Bᵀ for x [n, in]: two skinny matmuls, O(n·r·(in + out)). */
    public Tensor delta(Tensor x) {
        Require.input(this, x, in, 2);
        return x.matmul(a, false, true).matmul(b, false, true).mul(scale());
    }

    /** Stops (or restarts) gradients into A and B: the frozen experts of LoRA-Mixer's stage 2. */
    public LoRAExpert frozen(boolean frozen) {
        a.requiresGrad(!frozen);
        b.requiresGrad(!frozen);
        return this;
    }

    /** α/r, the factor every LoRA update is scaled by. */
    public float scale() {
        return alpha / rank;
    }

    public Tensor a() {
        return a;
    }

    public Tensor b() {
        return b;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    public int rank() {
        return rank;
    }

    public float alpha() {
        return alpha;
    }

    @Override
    public String toString() {
        return "LoRAExpert(" + in + " -> " + out + ", r=" + rank + ", alpha=" + alpha + ")";
    }
}
