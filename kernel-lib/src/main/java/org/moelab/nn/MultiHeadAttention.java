package org.moelab.nn;

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
    private final Layer q, k, v, out;

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

    private MultiHeadAttention(int dModel, int heads, boolean causal, Layer q, Layer k, Layer v, Layer out) {
        this.dModel = Require.positive("MultiHeadAttention", "dModel", dModel);
        this.heads = Require.positive("MultiHeadAttention", "heads", heads);
        if (dModel % heads != 0) throw new IllegalArgumentException("MultiHeadAttention: heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
        this.dHead = dModel / heads;
        this.causal = causal;
        this.q = registerModule("q", Require.notNull("MultiHeadAttention", "q", q));
        this.k = registerModule("k", Require.notNull("MultiHeadAttention", "k", k));
        this.v = registerModule("v", Require.notNull("MultiHeadAttention", "v", v));
        this.out = registerModule("out", Require.notNull("MultiHeadAttention", "out", out));
    }

    /**
     * Attention over given projections, each mapping [..., dModel] to [..., dModel]: e.g. {@link LoRALinear} or
     * {@link LoRAMixerLinear} wrapping another attention's {@link #query()}, {@link #key()}, {@link #value()} and
     * {@link #output()} (LoRA-Mixer's routed experts sit inside the projections, before the softmax).
     */
    public static MultiHeadAttention withProjections(int dModel, int heads, boolean causal, Layer q, Layer k, Layer v, Layer out) {
        return new MultiHeadAttention(dModel, heads, causal, q, k, v, out);
    }

    @Override
    public Tensor forward(Tensor x) {
        Require.input(this, x, dModel, 3);
        int[] s = x.shape();
        int b = s[0], t = s[1];
        // Heads are column blocks of the projections' rows: no split/merge permutes (Attention.multiHead).
        return out.forward(Attention.multiHead(q.forward(x).reshape(b, t, dModel), k.forward(x).reshape(b, t, dModel),
                v.forward(x).reshape(b, t, dModel), heads, causal));
    }

    /** The query projection (a {@link Linear} unless built {@link #withProjections}). */
    public Layer query() {
        return q;
    }

    public Layer key() {
        return k;
    }

    public Layer value() {
        return v;
    }

    /** The output projection applied after the heads are merged. */
    public Layer output() {
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
