package org.moelab.moe;

import java.util.ArrayList;
import java.util.List;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;

/**
 * A bank of E feed-forward experts, E_e(x) = act(x·W1_e + b1_e)·W2_e + b2_e, run through the fused sparse
 * dispatch. Parameters are named {@code <e>.w1, <e>.b1, <e>.w2, <e>.b2}. Initialised like PyTorch's Linear
 * (U(±1/√fan_in)), so an expert is an ordinary FFN slice: {@link #splitting} a dense FFN of hidden size H into
 * E experts of H/E keeps the parameter count of the dense model.
 */
public final class Experts extends Module implements ExpertBank {
    private final int dModel, hidden;
    private final Unary activation;
    private final List<ExpertDispatch.FfnWeights> weights = new ArrayList<>();

    public Experts(int numExperts, int dModel, int hidden, Unary activation, Rng rng) {
        Require.positive("Experts", "experts", numExperts);
        this.dModel = Require.positive("Experts", "dModel", dModel);
        this.hidden = Require.positive("Experts", "hidden (per expert)", hidden);
        this.activation = Require.notNull("Experts", "activation", activation);
        for (int e = 0; e < numExperts; e++) {
            weights.add(registerModule(String.valueOf(e), new Expert(dModel, hidden, rng)).weights());
        }
    }

    /** E experts that together hold the hidden units of one dense FFN of {@code totalHidden} (SMoE-Dropout's split). */
    public static Experts splitting(int totalHidden, int numExperts, int dModel, Unary activation, Rng rng) {
        Require.positive("Experts", "experts", numExperts);
        if (totalHidden % numExperts != 0) {
            throw new IllegalArgumentException("Experts: the dense hidden size " + totalHidden + " must be divisible by the number of experts " + numExperts);
        }
        return new Experts(numExperts, dModel, totalHidden / numExperts, activation, rng);
    }

    /** Runs the routed experts on tokens [T, d]. */
    @Override
    public Tensor forward(Tensor tokens, Routing routing) {
        return ExpertDispatch.sparse(tokens, routing.assignments(), routing.weights(), weights, activation);
    }

    /** The dense reference path (every expert on every token, masked): for tests and checks only. */
    public Tensor forwardDense(Tensor tokens, Routing routing) {
        return ExpertDispatch.dense(tokens, routing.assignments(), routing.weights(), weights, activation);
    }

    @Override
    public int numExperts() {
        return weights.size();
    }

    public int hidden() {
        return hidden;
    }

    public int dModel() {
        return dModel;
    }

    public ExpertDispatch.FfnWeights expert(int e) {
        return weights.get(e);
    }

    /** One expert's four tensors as a module, so they get dotted names and state-dict entries. */
    private static final class Expert extends Module {
        private final ExpertDispatch.FfnWeights w;

        Expert(int d, int h, Rng rng) {
            float b1 = (float) (1 / Math.sqrt(d)), b2 = (float) (1 / Math.sqrt(h));
            w = new ExpertDispatch.FfnWeights(
                    registerParameter("w1", Tensor.uniform(rng, -b1, b1, d, h)),
                    registerParameter("b1", Tensor.uniform(rng, -b1, b1, h)),
                    registerParameter("w2", Tensor.uniform(rng, -b2, b2, h, d)),
                    registerParameter("b2", Tensor.uniform(rng, -b2, b2, d)));
        }

        ExpertDispatch.FfnWeights weights() {
            return w;
        }
    }
}
