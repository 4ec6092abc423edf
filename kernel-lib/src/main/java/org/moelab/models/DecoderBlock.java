package org.moelab.models;

import java.util.function.UnaryOperator;
import org.moelab.moe.RoutedLayer;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.Layer;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Dropout;
import org.moelab.tensor.Tensor;

/**
 * One pre-norm decoder block, the only one the decoders use (on x [B, T, d]):
 * <pre>
 *   h = x + drop(attn(norm1(x)))         the token mixer: softmax attention, linear attention, Gated DeltaNet, MoM
 *   y = h + drop(ffn(norm2(h)))          the feed-forward slot: a dense FFN or an MoE layer; absent: y = h
 * </pre>
 * Both slots take any {@link Layer}, or a {@link RoutedLayer}, which also reads the pass (routers, labels, the
 * recorder). Residual dropout draws from the pass's stream and only in a training pass: the pass is the one source
 * of the training flag. Sub-module names, PyTorch style and fla's: {@code norm1}, {@code attn}, {@code norm2},
 * {@code ffn}.
 *
 * <p>The block is given its parts (built by its model, in the order the model draws their initial values) rather
 * than building them, so one block serves every decoder without owning a seeding convention.
 */
public final class DecoderBlock extends Module {
    /** A slot's forward with the pass. */
    @FunctionalInterface
    private interface Slot {
        Tensor forward(Tensor normed, RoutingContext pass);
    }

    private final int dModel;
    private final float dropout;
    private final Layer norm1, norm2;
    private final Module attn, ffn;
    private final Slot attnSlot, ffnSlot;

    /**
     * @param dModel  the residual width d
     * @param norm1   the norm before the token mixer, [.., d] → [.., d]
     * @param attn    the token mixer, a {@link Layer} or {@link RoutedLayer} [B, T, d] → [B, T, d]
     * @param norm2   the norm before the feed-forward; null exactly when {@code ffn} is
     * @param ffn     the feed-forward slot, a {@link Layer} or {@link RoutedLayer} [.., d] → [.., d], or null for none
     * @param dropout residual dropout probability in [0, 1)
     */
    public DecoderBlock(int dModel, Layer norm1, Module attn, Layer norm2, Module ffn, float dropout) {
        String owner = "DecoderBlock";
        this.dModel = Require.positive(owner, "dModel", dModel);
        this.dropout = Require.inRange(owner, "dropout", dropout, 0f, 1f);
        if ((norm2 == null) != (ffn == null)) throw new IllegalArgumentException(owner + ": norm2 and ffn are given together or not at all");
        this.norm1 = registerModule("norm1", Require.notNull(owner, "norm1", norm1));
        this.attn = registerModule("attn", Require.notNull(owner, "attn", attn));
        this.attnSlot = slot("attn", attn);
        this.norm2 = norm2 == null ? null : registerModule("norm2", norm2);
        this.ffn = ffn == null ? null : registerModule("ffn", ffn);
        this.ffnSlot = ffn == null ? null : slot("ffn", ffn);
    }

    private static Slot slot(String name, Module m) {
        if (m instanceof RoutedLayer routed) return routed::forward;
        if (m instanceof Layer layer) return (x, pass) -> layer.forward(x);
        throw new IllegalArgumentException("DecoderBlock: " + name + " must be a Layer or a RoutedLayer, got " + m.getClass().getSimpleName());
    }

    /** The block in {@code pass}. */
    public Tensor forward(Tensor x, RoutingContext pass) {
        return forward(x, pass, h -> attnSlot.forward(h, pass), ffnSlot == null ? null : h -> ffnSlot.forward(h, pass));
    }

    /**
     * The block with other sub-layers in its two slots: each hook receives the slot's normed input and returns its
     * output; the block keeps the norms, residuals and dropout. LoRA-Mixer routes the projections of a frozen base
     * this way instead of re-running the block by hand. {@code feedForward} is ignored (may be null) in a block
     * without a feed-forward slot.
     */
    public Tensor forward(Tensor x, RoutingContext pass, UnaryOperator<Tensor> attention, UnaryOperator<Tensor> feedForward) {
        Require.input(this, x, dModel, 3);
        Tensor h = x.add(drop(attention.apply(norm1.forward(x)), pass));
        return ffn == null ? h : h.add(drop(feedForward.apply(norm2.forward(h)), pass));
    }

    private Tensor drop(Tensor y, RoutingContext pass) {
        return Dropout.dropout(y, dropout, pass.rng(), pass.training());
    }

    /** The norm before the token mixer; its output is what LoRA-Mixer's per-layer router reads. */
    public Layer attentionNorm() {
        return norm1;
    }

    /** The token mixer. */
    public Module attention() {
        return attn;
    }

    /** The feed-forward slot, or null. */
    public Module feedForward() {
        return ffn;
    }

    public float dropout() {
        return dropout;
    }

    @Override
    public String toString() {
        return "DecoderBlock(dModel=" + dModel + ", attn=" + attn.getClass().getSimpleName() + ", ffn="
                + (ffn == null ? "none" : ffn.getClass().getSimpleName()) + ")";
    }
}
