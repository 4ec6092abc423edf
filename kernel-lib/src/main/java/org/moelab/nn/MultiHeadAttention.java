package org.moelab.nn;

import java.util.function.UnaryOperator;
import org.moelab.tensor.Attention;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Multi-head self-attention over x [B, T, dModel] with separate q, k, v and output projections (names {@code q},
 * {@code k}, {@code v}, {@code out}) and the fused {@link Attention#scaledDotProduct} on [B, H, T, dHead].
 *
 * <p>Separate projections rather than one fused [3d, d] GEMM: splitting a fused result costs a permute plus three
 * slice copies, about what the two extra (smaller) GEMM calls cost, and separate weights keep PyTorch-style names
 * and let LoRA target q and v alone.
 */
public final class MultiHeadAttention extends Layer {
    private final int dModel, heads, dHead;
    private final boolean causal;
    private final Linear q, k, v, out;

    public MultiHeadAttention(int dModel, int heads, boolean causal, Rng rng) {
        this(dModel, heads, causal, true, rng);
    }

    public MultiHeadAttention(int dModel, int heads, boolean causal, boolean bias, Rng rng) {
        this.dModel = Require.positive("MultiHeadAttention", "dModel", dModel);
        this.heads = Require.positive("MultiHeadAttention", "heads", heads);
        if (dModel % heads != 0) throw new IllegalArgumentException("MultiHeadAttention: heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
        Require.notNull("MultiHeadAttention", "rng", rng);
        this.dHead = dModel / heads;
        this.causal = causal;
        this.q = registerModule("q", new Linear(dModel, dModel, bias, rng));
        this.k = registerModule("k", new Linear(dModel, dModel, bias, rng));
        this.v = registerModule("v", new Linear(dModel, dModel, bias, rng));
        this.out = registerModule("out", new Linear(dModel, dModel, bias, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, q::forward, k::forward, v::forward, out::forward);
    }

    /**
     * This attention with other projections in its four places, each mapping [..., dModel] to [..., dModel]: the
     * projection hooks through which LoRA-Mixer routes its experts around {@link #query()}, {@link #key()},
     * {@link #value()} and {@link #output()} (inside the projections, before the softmax) for one pass, with that
     * pass's route, so no route is stored between calls.
     */
    public Tensor forward(Tensor x, UnaryOperator<Tensor> query, UnaryOperator<Tensor> key, UnaryOperator<Tensor> value, UnaryOperator<Tensor> output) {
        Require.input(this, x, dModel, 3);
        int[] s = x.shape();
        int b = s[0], t = s[1];
        // Heads are column blocks of the projections' rows: no split/merge permutes (Attention.multiHead).
        return output.apply(Attention.multiHead(query.apply(x).reshape(b, t, dModel), key.apply(x).reshape(b, t, dModel),
                value.apply(x).reshape(b, t, dModel), heads, causal));
    }

    /** The query projection. */
    public Linear query() {
        return q;
    }

    public Linear key() {
        return k;
    }

    public Linear value() {
        return v;
    }

    /** The output projection applied after the heads are merged. */
    public Linear output() {
        return out;
    }

    public int dModel() {
        return dModel;
    }

    public boolean causal() {
        return causal;
    }

    public int heads() {
        return heads;
    }

    @Override
    public String toString() {
        return "MultiHeadAttention(dModel=" + dModel + ", heads=" + heads + (causal ? ", causal)" : ")");
    }
}
