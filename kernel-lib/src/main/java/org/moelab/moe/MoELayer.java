package org.moelab.moe;

import java.util.Arrays;
import org.moelab.nn.FeedForward;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Tensor;

/**
 * A mixture-of-experts feed-forward layer: router + expert bank (+ an optional shared expert every token
 * passes through, added with weight 1, as DeepSeek-MoE / ProMoE). Input [..., d] is routed token by token.
 * The last routing is kept for aux losses and metrics.
 */
public final class MoELayer extends Module {
    private final Router router;
    private final Experts experts;
    private final FeedForward shared;
    private Routing lastRouting;

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

    public Tensor forward(Tensor x, RoutingContext context) {
        Require.input("MoELayer", x, experts.dModel());
        int[] shape = x.shape();
        Tensor tokens = x.reshape(-1, experts.dModel());
        lastRouting = router.route(tokens, context);
        Tensor y = experts.forward(tokens, lastRouting);
        if (shared != null) y = y.add(shared.forward(tokens));
        return y.reshape(Arrays.copyOf(shape, shape.length));
    }

    /** The routing of the most recent forward, or null before the first. */
    public Routing lastRouting() {
        return lastRouting;
    }

    public Router router() {
        return router;
    }

    public Experts experts() {
        return experts;
    }
}
