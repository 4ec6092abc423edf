package org.moelab.nn;

import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * A {@link Linear} with one LoRA adapter: y = x·Wᵀ + b + (α/r)·(x·Aᵀ)·Bᵀ. B starts at zero, so a fresh
 * LoRALinear computes exactly its base. {@link #freezeBase()} stops gradients into W and b (the usual LoRA
 * fine-tuning setup); the base stays a child module, so its state-dict names are {@code base.weight}, {@code base.bias},
 * and the adapter's {@code lora.A}, {@code lora.B}.
 */
public final class LoRALinear extends Layer {
    private final Linear base;
    private final LoRAExpert lora;

    /** Wraps {@code base} with a fresh adapter of the given rank and α. */
    public LoRALinear(Linear base, int rank, float alpha, Rng rng) {
        this(base, new LoRAExpert(Require.notNull("LoRALinear", "base", base).inFeatures(), base.outFeatures(), rank, alpha, rng));
    }

    /** Wraps {@code base} with an existing adapter (e.g. one loaded from a file), whose sizes must match. */
    public LoRALinear(Linear base, LoRAExpert lora) {
        Require.notNull("LoRALinear", "base", base);
        Require.notNull("LoRALinear", "lora", lora);
        if (lora.inFeatures() != base.inFeatures() || lora.outFeatures() != base.outFeatures()) {
            throw new IllegalArgumentException("LoRALinear: adapter " + lora.inFeatures() + " -> " + lora.outFeatures()
                    + " does not fit base Linear " + base.inFeatures() + " -> " + base.outFeatures());
        }
        this.base = registerModule("base", base);
        this.lora = registerModule("lora", lora);
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, base.inFeatures());
        int[] shape = x.shape();
        Tensor rows = x.reshape(-1, base.inFeatures());
        Tensor y = base.forward(rows).add(lora.delta(rows));
        shape[shape.length - 1] = base.outFeatures();
        return y.reshape(shape);
    }

    /** Stops gradients into the base weight and bias; returns this. */
    public LoRALinear freezeBase() {
        base.weight().requiresGrad(false);
        if (base.bias() != null) base.bias().requiresGrad(false);
        return this;
    }

    public Linear base() {
        return base;
    }

    public LoRAExpert lora() {
        return lora;
    }

    @Override
    public String toString() {
        return "LoRALinear(" + base + ", r=" + lora.rank() + ", alpha=" + lora.alpha() + ")";
    }
}
