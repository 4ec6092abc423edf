package org.moelab.moe;

import org.moelab.tensor.Tensor;

/**
 * A bank of experts that a {@link Routing} dispatches tokens to: for tokens x [N, d_in] it returns [N, d_out] with
 * row t = (the bank's always-on part, if it has one) + Σ over t's slots (t, e, w) of w · expert_e(x_t). The FFN
 * experts of an MoE layer ({@link Experts}) and LoRA-Mixer's routed LoRA adapters around a frozen projection
 * ({@link LoRAMixerLinear}, whose always-on part is that projection) are the two banks; both take the same
 * {@code Routing}, so a router, an oracle or a fixed top-k drives either one the same way.
 */
public interface ExpertBank {
    int numExperts();

    /** The routed output for tokens [N, d_in]; {@code routing} covers exactly these N tokens and this bank's experts. */
    Tensor forward(Tensor tokens, Routing routing);
}
