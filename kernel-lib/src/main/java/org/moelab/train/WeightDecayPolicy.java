package org.moelab.train;

import org.moelab.tensor.Tensor;

/**
 * Which parameters weight decay applies to. The default, {@link #MATRICES_ONLY}, decays weight matrices and
 * embedding tables (rank ≥ 2) and exempts biases and norm gains (rank 1, or a name ending in "bias"): decaying a
 * gain toward 0 shrinks the signal instead of regularising it (the GPT-2/nanoGPT convention).
 */
@FunctionalInterface
public interface WeightDecayPolicy {
    WeightDecayPolicy MATRICES_ONLY = (name, p) -> p.rank() >= 2 && !name.endsWith("bias");
    WeightDecayPolicy ALL = (name, p) -> true;
    WeightDecayPolicy NONE = (name, p) -> false;

    boolean decays(String name, Tensor parameter);
}
