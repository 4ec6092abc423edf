package org.moelab.models;

import org.moelab.moe.MoELayer;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Module;
import org.moelab.tensor.Tensor;

/**
 * The feed-forward position of a transformer block, which is where the papers differ: a dense FFN, or an MoE
 * layer with any router. Models are built from slots so that swapping one for the other is one argument.
 */
public abstract class FeedForwardSlot extends Module {

    public abstract Tensor forward(Tensor x, RoutingContext context);

    /** The MoE layer in this slot, or null for a dense FFN. */
    public abstract MoELayer moe();

    public static FeedForwardSlot dense(FeedForward ffn) {
        return new Dense(ffn);
    }

    public static FeedForwardSlot moe(MoELayer layer) {
        return new Moe(layer);
    }

    private static final class Dense extends FeedForwardSlot {
        private final FeedForward ffn;

        Dense(FeedForward ffn) {
            this.ffn = registerModule("ffn", ffn);
        }

        @Override
        public Tensor forward(Tensor x, RoutingContext context) {
            return ffn.forward(x);
        }

        @Override
        public MoELayer moe() {
            return null;
        }
    }

    private static final class Moe extends FeedForwardSlot {
        private final MoELayer layer;

        Moe(MoELayer layer) {
            this.layer = registerModule("moe", layer);
        }

        @Override
        public Tensor forward(Tensor x, RoutingContext context) {
            return layer.forward(x, context);
        }

        @Override
        public MoELayer moe() {
            return layer;
        }
    }
}
