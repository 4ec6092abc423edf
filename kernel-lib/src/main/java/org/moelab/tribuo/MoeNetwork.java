package org.moelab.tribuo;

import java.io.Serializable;
import org.moelab.moe.Assignments;
import org.moelab.moe.ExpertChoiceRouter;
import org.moelab.moe.Experts;
import org.moelab.moe.MoELayer;
import org.moelab.moe.Router;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.TopKRouter;
import org.moelab.nn.LayerNorm;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;
import org.moelab.tribuo.MoeClassifierTrainer.RouterKind;

/**
 * The classifier network: Linear(features, dModel) → h + MoELayer(h) → LayerNorm → Linear(dModel, classes).
 * Each example is one token. Parameter names are stable, so a {@link Spec} plus a state dict rebuilds it exactly
 * (that is how {@link MoeClassifierModel} is serialised and copied).
 */
final class MoeNetwork extends Module {

    /** Everything needed to rebuild the architecture; the weights travel separately as a state dict. */
    record Spec(int numFeatures, int numClasses, int dModel, int numExperts, int hiddenSize, int topK, RouterKind routerKind)
            implements Serializable {
    }

    private final Spec spec;
    private final Linear input;
    private final MoELayer moe;
    private final LayerNorm norm;
    private final Linear output;

    MoeNetwork(Spec spec, Rng rng) {
        this.spec = spec;
        this.input = registerModule("input", new Linear(spec.numFeatures(), spec.dModel(), rng.fork("input")));
        Rng routerRng = rng.fork("router");
        Router router = switch (spec.routerKind()) {
            case LEARNED_TOP_K -> TopKRouter.learned(spec.dModel(), spec.numExperts(), spec.topK(), routerRng);
            case FROZEN_RANDOM -> TopKRouter.frozenRandom(spec.dModel(), spec.numExperts(), spec.topK(), routerRng);
            case EXPERT_CHOICE -> new ExpertChoiceThenTopK(spec.dModel(), spec.numExperts(), spec.topK(), routerRng);
        };
        Experts experts = new Experts(spec.numExperts(), spec.dModel(), spec.hiddenSize(), Unary.GELU, rng.fork("experts"));
        this.moe = registerModule("moe", new MoELayer(router, experts));
        this.norm = registerModule("norm", new LayerNorm(spec.dModel()));
        this.output = registerModule("output", new Linear(spec.dModel(), spec.numClasses(), rng.fork("output")));
    }

    /** Logits [n, classes] for standardised features [n, features]; the routing is recorded in {@code context}. */
    Tensor forward(Tensor x, RoutingContext context) {
        Tensor h = input.forward(x);
        h = h.add(moe.forward(h, context));
        return output.forward(norm.forward(h));
    }

    /** The MoE layer's routing in a pass. */
    Routing routing(RoutingContext pass) {
        return pass.recorder().of(moe);
    }

    Router router() {
        return moe.router();
    }

    Spec spec() {
        return spec;
    }

    /** The input projection [dModel, features], for feature-importance summaries. */
    Tensor inputWeight() {
        return input.weight();
    }

    /**
     * Expert choice (Zhou et al. 2022) while training, with capacity factor k so experts process as many slots as
     * top-k routing would. At inference each example instead takes its top-k experts by the same router
     * probabilities, weighted by those probabilities as expert choice weighs them: expert choice ranks tokens
     * against the rest of the batch, and a Tribuo prediction must not depend on which other examples happen to be
     * predicted alongside it.
     */
    static final class ExpertChoiceThenTopK extends Module implements Router {
        private final ExpertChoiceRouter expertChoice;
        private final int k;

        ExpertChoiceThenTopK(int dModel, int numExperts, int k, Rng rng) {
            this.expertChoice = registerModule("expertChoice", new ExpertChoiceRouter(dModel, numExperts, k, rng));
            this.k = k;
        }

        @Override
        public Routing route(Tensor tokens, RoutingContext context) {
            Routing chosen = expertChoice.route(tokens, context);
            if (context.training()) return chosen;
            int t = tokens.size(0);
            Indexing.TopK top = Indexing.topK(chosen.probabilities(), k);
            int[] token = new int[t * k], expert = new int[t * k];
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < k; j++) {
                    token[i * k + j] = i;
                    expert[i * k + j] = top.index(i, j);
                }
            }
            return new Routing(new Assignments(t, numExperts(), token, expert), top.values().reshape(t * k),
                    chosen.logits(), chosen.probabilities(), chosen.auxLosses());
        }

        @Override
        public int numExperts() {
            return expertChoice.numExperts();
        }

        @Override
        public String describe() {
            return expertChoice.describe() + " (top-" + k + " by its scores at inference)";
        }
    }
}
