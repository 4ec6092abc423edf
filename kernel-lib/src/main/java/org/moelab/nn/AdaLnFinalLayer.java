package org.moelab.nn;

import java.util.Arrays;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * DiT's final layer: (shift, scale) = Linear(silu(c)) split in two; out = Linear(modulate(LN(x), shift, scale)),
 * projecting D → p·p·C per token (ready for {@link Unpatchify}). Both Linears start at zero, so the model's initial
 * prediction is 0.
 */
public final class AdaLnFinalLayer extends Module {
    private final int dModel;
    private final LayerNorm norm;
    private final Linear modulation, projection;

    public AdaLnFinalLayer(int dModel, int outDim, Rng rng) {
        this.dModel = Require.positive("AdaLnFinalLayer", "dModel", dModel);
        Require.positive("AdaLnFinalLayer", "outDim", outDim);
        Require.notNull("AdaLnFinalLayer", "rng", rng);
        this.norm = registerModule("norm", new LayerNorm(dModel, 1e-6f));
        this.modulation = registerModule("modulation", new Linear(dModel, 2 * dModel, rng));
        this.projection = registerModule("projection", new Linear(dModel, outDim, rng));
        for (Linear l : new Linear[] {modulation, projection}) {
            Arrays.fill(l.weight().data(), 0f);
            Arrays.fill(l.bias().data(), 0f);
        }
    }

    /** x [B, N, D], conditioning c [B, D] → [B, N, outDim]. */
    public Tensor forward(Tensor x, Tensor c) {
        Require.input(this, x, dModel, 3);
        Require.input(this, c, dModel, 2);
        if (c.size(0) != x.size(0)) throw new IllegalArgumentException("AdaLnFinalLayer: conditioning batch " + c.size(0) + " != input batch " + x.size(0));
        Tensor mod = modulation.forward(c.silu()).reshape(c.size(0), 1, 2 * dModel);
        Tensor shift = mod.slice(2, 0, dModel), scale = mod.slice(2, dModel, 2 * dModel);
        return projection.forward(AdaLnZeroBlock.modulate(norm.forward(x), shift, scale));
    }
}
