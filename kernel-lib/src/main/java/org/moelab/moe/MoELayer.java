package org.moelab.moe;

import java.util.Arrays;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Tensor;

/**
 * A mixture-of-experts feed-forward layer: router + expert bank (+ an optional shared expert every token
 * passes through, added with weight 1, as DeepSeek-MoE / ProMoE). Input [..., d] is routed token by token.
 *
 * <p>Mixtral's contract: the routing is part of the result ({@link #forwardRouted}), not state kept in the layer;
 * {@link #forward} also records it in the pass's {@link RoutingContext#recorder()} for aux losses and metrics.
 */
public final class MoELayer extends Module implements RoutedLayer {
    private final Router router;
    private final Experts experts;
    private final FeedForward shared;

    /** The layer's output and the routing that produced it. */
    public record Output(Tensor output, Routing routing) {}

    public MoELayer(Router router, Experts experts) {
        this(router, experts, null);
    }

    public MoELayer(Router router, Experts experts, FeedForward sharedExpert) {
        this.router = Require.notNull("MoELayer", "router", router);
        this.experts = Require.notNull("MoELayer", "experts", experts);
        if (router.numExperts() != experts.numExperts()) {
            throw new IllegalArgumentException("MoELayer: the router chooses among " + router.numExperts() + " experts but the bank has " + experts.numExperts());
        }
        if (router instanceof Module m) registerModule("router", m);
        registerModule("experts", experts);
        this.shared = sharedExpert == null ? null : registerModule("shared", sharedExpert);
    }

    /** y for x [..., d]; the routing goes to {@code context.recorder()}. */
    @Override
    public Tensor forward(Tensor x, RoutingContext context) {
        Output out = forwardRouted(x, context);
        context.recorder().record(this, out.routing());
        return out.output();
    }

    /** y and its routing for x [..., d], recording nothing. */
    public Output forwardRouted(Tensor x, RoutingContext context) {
        Require.input("MoELayer", x, experts.dModel());
        int[] shape = x.shape();
        Tensor tokens = x.reshape(-1, experts.dModel());
        Routing routing = router.route(tokens, context);
        Tensor y = experts.forward(tokens, routing);
        if (shared != null) y = y.add(shared.forward(tokens));
        return new Output(y.reshape(Arrays.copyOf(shape, shape.length)), routing);
    }

    public Router router() {
        return router;
    }

    public Experts experts() {
        return experts;
    }
}
