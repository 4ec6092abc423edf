package org.moelab.moe;

import java.util.LinkedHashMap;
import java.util.Map;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.nn.Require;
import org.moelab.tensor.Indexing;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * EvoMoE's Dense-To-Sparse gate (Nie et al., arXiv 2112.14397), as {@code topkgating} in codecaution/EvoMoE
 * implements it:
 * <pre>
 *   s   = x·W_g                                   logits (bias-free gate, as TopKGate.wg)
 *   ζ_e = −log(−log u_e), u_e ~ U(0,1)            fresh Gumbel noise per token, expert and step (seeded)
 *   g   = softmax((s + ζ)/τ)                      Gumbel-softmax, hard = False
 *   soft phase: S = { e : g_e > θ },  θ = 1e-3    a dynamic number of experts per token, E → 1 as τ falls
 *   hard phase: S = { argmax_e g_e }              still noisy while training
 *   w_e = 1[e∈S]·g_e  (GUMBEL, the paper)   or   1[e∈S]·softmax(s)_e  (SOFTMAX, the code's default)
 * </pre>
 * No renormalisation over S (the code's convention; dropped mass is simply lost). At evaluation: clean top-1,
 * argmax softmax(s), weight = that probability, no capacity limit ({@code top1gating} with capacity E).
 * The temperature is set from outside each step (a {@link org.moelab.train.StepSchedule} offset by phase A).
 * Aux loss: Switch's E·Σ f_e·P_e with P = g; with multi-hot selection f counts slots, so it is the code's
 * E·Σ me·ce divided by the mean number of active experts (equal to it once top-1).
 */
public final class DenseToSparseGate extends Module implements Router {
    /** Which weights combine the selected experts. */
    public enum Combine { GUMBEL, SOFTMAX }

    public static final float DEFAULT_THRESHOLD = 1e-3f;

    private final Linear gate;
    private final int numExperts;
    private final float threshold;
    private final Combine combine;
    private float temperature = 2f;
    private boolean hard;

    public DenseToSparseGate(int dModel, int numExperts, float threshold, Combine combine, Rng rng) {
        Require.positive("DenseToSparseGate", "dModel", dModel);
        if (numExperts < 2) throw new IllegalArgumentException("DenseToSparseGate: experts must be >= 2, got " + numExperts);
        this.numExperts = numExperts;
        this.threshold = Require.inRange("DenseToSparseGate", "threshold", threshold, 0f, 1f);
        this.combine = Require.notNull("DenseToSparseGate", "combine (GUMBEL or SOFTMAX)", combine);
        this.gate = registerModule("gate", new Linear(dModel, numExperts, false, rng));
    }

    /** The paper's form: threshold 1e-3, Gumbel weights. */
    public DenseToSparseGate(int dModel, int numExperts, Rng rng) {
        this(dModel, numExperts, DEFAULT_THRESHOLD, Combine.GUMBEL, rng);
    }

    public float temperature() {
        return temperature;
    }

    /** τ for the following training steps (must be > 0). */
    public void setTemperature(float tau) {
        if (!(tau > 0) || !Float.isFinite(tau)) throw new IllegalArgumentException("DenseToSparseGate: temperature must be > 0 and finite, got " + tau);
        temperature = tau;
    }

    public boolean isHard() {
        return hard;
    }

    /** Switches training selection to the noisy top-1 ({@code switch_to_hard_gumbel_softmax}). */
    public void setHard(boolean v) {
        hard = v;
    }

    public Combine combine() {
        return combine;
    }

    public Linear gate() {
        return gate;
    }

    @Override
    public int numExperts() {
        return numExperts;
    }

    @Override
    public String describe() {
        return "dense-to-sparse Gumbel (τ=" + String.format(java.util.Locale.ROOT, "%.2f", temperature) + (hard ? ", hard top-1" : ", θ=" + threshold) + ")";
    }

    @Override
    public Routing route(Tensor tokens, RoutingContext context) {
        Require.input("DenseToSparseGate", tokens, gate.inFeatures(), 2);
        Tensor logits = gate.forward(tokens);
        if (!context.training()) return cleanTop1(logits);
        return route(logits, gumbelNoise(context.rng(), tokens.size(0), numExperts));
    }

    /** The training-mode routing for given logits and a given noise sample (tests fix the noise this way). */
    public Routing route(Tensor logits, Tensor noise) {
        int t = logits.size(0);
        Tensor g = logits.add(noise).mul(1f / temperature).softmax();
        Assignments selection = select(g.data(), t, numExperts, hard ? -1f : threshold);
        Tensor weights = weights(logits, g, selection);
        Map<String, Tensor> aux = new LinkedHashMap<>();
        aux.put(AuxLosses.LOAD_BALANCE, AuxLosses.loadBalance(g, selection));
        aux.put(AuxLosses.Z_LOSS, AuxLosses.zLoss(logits));
        return new Routing(selection, weights, logits, g, aux);
    }

    /** w for the pairs of {@code selection}: g (GUMBEL) or softmax(s) (SOFTMAX) gathered at (token, expert). */
    public Tensor weights(Tensor logits, Tensor gumbelSoftmax, Assignments selection) {
        Tensor source = combine == Combine.GUMBEL ? gumbelSoftmax : logits.softmax();
        int[] flat = new int[selection.size()];
        for (int i = 0; i < flat.length; i++) flat[i] = selection.token(i) * numExperts + selection.expert(i);
        return source.reshape(-1, 1).gatherRows(flat).reshape(flat.length);
    }

    /** Fresh standard Gumbel noise [T, E] from the seeded stream: the same stream gives the same noise. */
    public static Tensor gumbelNoise(Rng rng, int tokens, int experts) {
        float[] z = new float[tokens * experts];
        for (int i = 0; i < z.length; i++) z[i] = (float) rng.nextGumbel();
        return Tensor.of(z, tokens, experts);
    }

    /** Experts with g > θ per token, in expert order; θ < 0 means top-1 (argmax g). Never empty: max g ≥ 1/E. */
    static Assignments select(float[] g, int t, int e, float theta) {
        int[] token = new int[t * e], expert = new int[t * e];
        int n = 0;
        Indexing.TopK top1 = Indexing.topK(Tensor.of(g, t, e), 1);
        for (int i = 0; i < t; i++) {
            int best = top1.index(i, 0);
            for (int j = 0; j < e; j++) {
                boolean keep = theta < 0 ? j == best : g[i * e + j] > theta || j == best;
                if (keep) {
                    token[n] = i;
                    expert[n++] = j;
                }
            }
        }
        return new Assignments(t, e, java.util.Arrays.copyOf(token, n), java.util.Arrays.copyOf(expert, n));
    }

    private Routing cleanTop1(Tensor logits) {
        Tensor p = logits.softmax();
        Assignments top1 = select(p.data(), logits.size(0), numExperts, -1f);
        int[] flat = new int[top1.size()];
        for (int i = 0; i < flat.length; i++) flat[i] = top1.token(i) * numExperts + top1.expert(i);
        Tensor w = p.reshape(-1, 1).gatherRows(flat).reshape(flat.length);
        Map<String, Tensor> aux = new LinkedHashMap<>();
        aux.put(AuxLosses.LOAD_BALANCE, AuxLosses.loadBalance(p, top1));
        return new Routing(top1, w, logits, p, aux);
    }
}
