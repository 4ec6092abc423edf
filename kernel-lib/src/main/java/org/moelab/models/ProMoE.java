package org.moelab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.moelab.data.LabelledImages;
import org.moelab.data.Shapes10;
import org.moelab.moe.AuxLosses;
import org.moelab.moe.ConditionalRouter;
import org.moelab.moe.ExpertChoiceRouter;
import org.moelab.moe.Experts;
import org.moelab.moe.MoELayer;
import org.moelab.moe.PerSequenceRouter;
import org.moelab.moe.PrototypeRouter;
import org.moelab.moe.Router;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.moe.RoutingContrastiveLoss;
import org.moelab.moe.SwitchRouter;
import org.moelab.nn.AdaLnFinalLayer;
import org.moelab.nn.AdaLnZeroBlock;
import org.moelab.nn.FeedForward;
import org.moelab.nn.LabelEmbedding;
import org.moelab.nn.Layer;
import org.moelab.nn.Linear;
import org.moelab.nn.Module;
import org.moelab.nn.Patchify;
import org.moelab.nn.SinCosPositionalEmbedding;
import org.moelab.nn.TimestepEmbedding;
import org.moelab.nn.Unpatchify;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tensor.Unary;

/**
 * ProMoE — "Routing Matters in MoE: Scaling Diffusion Transformers with Explicit Routing Guidance" (Wei et al.,
 * ICLR 2026, arXiv 2510.24711), as a DiT-tiny on 16×16 Shapes-10 images (notes §3.5), reading like the paper:
 * <ol>
 *   <li><b>DiT backbone</b>: patchify (4×4 → 16 tokens), a linear patch embedding, 2-D sin-cos positions; the
 *       conditioning c = t_emb(1000·σ) + y_emb(label), the label table having a null row for CFG; adaLN-Zero blocks;
 *       adaLN final layer; unpatchify. {@code learn_sigma = false}: the output is the velocity only. Code:
 *       {@link #forward}.</li>
 *   <li><b>MoE placement</b> ({@code interleave}): the feed-forward of every <em>odd</em> block is an MoE; the
 *       others keep a dense 4D MLP. The MoE input is the adaLN-modulated LN output.</li>
 *   <li><b>Two-step router</b> (Alg. 1): step 1, conditional routing — tokens of images whose
 *       <em>post-dropout</em> label is null go to the unconditional expert E_U ({@link ConditionalRouter});
 *       step 2, prototypical routing — the others go to argmax_j cos(h_t, P_j) with gate weight the raw cosine
 *       (Eq. 4–5, {@link PrototypeRouter#route}).</li>
 *   <li><b>Output</b>: MoE(h) = Shared(h) + [G·E_j(h) if conditional, E_U(h) if not]; shared, routed and
 *       unconditional experts are all 4D/2 wide, so the activated MLP compute equals a dense 4D MLP.</li>
 *   <li><b>Loss</b> (rectified flow): σ ~ sigmoid(N(0,1)), x_σ = (1−σ)x0 + σε, target ε − x0;
 *       L = MSE + λ_RCL·Σ_layers L_RCL (Eq. 6) [+ λ_LB·Σ LB for arms that use it]. Code: {@link #lossTerms}, the
 *       RCL term from {@link org.moelab.moe.RoutingContrastiveLoss#of}; sampling with CFG: {@link #sample}.</li>
 * </ol>
 * The same builder makes the baselines at equal activated MLP compute: a dense DiT (4D MLP), token-choice MoE
 * (DiT-MoE: softmax linear router, top-1, weight p_e, load balance 0.01, full-width 4D experts) and expert-choice
 * MoE (EC-DiT: each expert takes its top S/E tokens per image, full width), plus Table 7's ablation ladder
 * ({@link Builder#contrastive}, {@link Builder#conditional}) and Table 8's gate activations.
 */
public final class ProMoE {
    /** Which feed-forward the odd blocks get. */
    public enum Arm {
        /** A dense DiT: every block a 4D MLP. */
        DENSE,
        /** DiT-MoE: Switch-style softmax top-1 with load balance, full-width experts. */
        TOKEN_CHOICE,
        /** EC-DiT: expert choice per image, capacity 1, full-width experts. */
        EXPERT_CHOICE,
        /** Shared + half-width routed experts behind the prototypical router (± RCL, ± conditional routing). */
        PROTOTYPE
    }

    private final Builder config;
    private final Network network;
    private final List<MoeFeedForward> moe = new ArrayList<>();

    private ProMoE(Builder b) {
        this.config = b;
        this.network = new Network(b, new Rng(b.seed).fork("init"));
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- 1. the DiT backbone --------------------------------------------------------------------------------

    /** The velocity field v(x_σ, σ, y) for images x [B, 1, H, W]: what the sampler integrates. */
    public Tensor forward(Tensor x, float[] sigma, int[] labels, RoutingContext context) {
        return network.forward(x, sigma, labels, context);
    }

    /** The velocity in evaluation mode (no dropout-dependent behaviour, no gradient needed). */
    public Tensor velocity(Tensor x, float[] sigma, int[] labels) {
        return network.forward(x, sigma, labels, RoutingContext.evaluation());
    }

    private final class Network extends Module {
        private final Patchify patchify;
        private final Unpatchify unpatchify;
        private final Linear patchEmbed;
        private final SinCosPositionalEmbedding positions;
        private final TimestepEmbedding timestep;
        private final LabelEmbedding label;
        private final List<AdaLnZeroBlock> blocks = new ArrayList<>();
        private final AdaLnFinalLayer finalLayer;

        Network(Builder b, Rng rng) {
            int grid = b.imageSize / b.patch;
            patchify = new Patchify(b.patch, 1, b.imageSize, b.imageSize);
            unpatchify = new Unpatchify(b.patch, 1, b.imageSize, b.imageSize);
            patchEmbed = registerModule("patchEmbed", new Linear(patchify.tokenDim(), b.dModel, rng));
            positions = SinCosPositionalEmbedding.twoD(grid, grid, b.dModel);
            timestep = registerModule("timestep", new TimestepEmbedding(b.frequencyDim, b.dModel, rng));
            label = registerModule("label", new LabelEmbedding(b.classes, b.dModel, rng));
            for (int i = 0; i < b.depth; i++) {
                Layer ffn = hasMoe(b, i) ? moeFeedForward(b, rng) : new FeedForward(b.dModel, 4 * b.dModel, FeedForward.Activation.GELU, rng);
                blocks.add(registerModule("block" + i, new AdaLnZeroBlock(b.dModel, b.heads, ffn, rng)));
            }
            finalLayer = registerModule("final", new AdaLnFinalLayer(b.dModel, patchify.tokenDim(), rng));
        }

        Tensor forward(Tensor x, float[] sigma, int[] labels, RoutingContext context) {
            int batch = x.size(0);
            if (sigma.length != batch || labels.length != batch) {
                throw new IllegalArgumentException("ProMoE: " + sigma.length + " sigmas and " + labels.length + " labels for a batch of " + batch);
            }
            Tensor h = positions.forward(patchEmbed.forward(patchify.forward(x)));
            Tensor c = timestep.forward(RectifiedFlow.timesteps(sigma)).add(label.forward(labels));
            // routers see one label per token: the (post-dropout) label of the token's image
            int n = patchify.tokens();
            int[] perToken = new int[batch * n];
            for (int i = 0; i < perToken.length; i++) perToken[i] = labels[i / n];
            RoutingContext routed = context.withLabels(perToken);
            for (AdaLnZeroBlock block : blocks) {
                h = block.feedForward() instanceof MoeFeedForward m ? block.forward(h, c, t -> m.layer.forward(t, routed)) : block.forward(h, c);
            }
            return unpatchify.forward(finalLayer.forward(h, c));
        }
    }

    // ---- 2.–4. the MoE feed-forward of the odd blocks -------------------------------------------------------

    private Layer moeFeedForward(Builder b, Rng rng) {
        int d = b.dModel, e = b.routedExperts;
        MoELayer layer = switch (b.arm) {
            case TOKEN_CHOICE -> new MoELayer(new SwitchRouter(d, e, 0f, rng), new Experts(e, d, 4 * d, Unary.GELU, rng));
            case EXPERT_CHOICE -> new MoELayer(new PerSequenceRouter(new ExpertChoiceRouter(d, e, 1f, rng), tokensPerImage()),
                    new Experts(e, d, 4 * d, Unary.GELU, rng));
            case PROTOTYPE -> {
                Router router = new PrototypeRouter(d, e, 1f, b.gate, b.contrastive, b.rclTemperature, rng);
                if (b.conditional) router = new ConditionalRouter(router, b.classes); // + E_U, the last expert
                yield new MoELayer(router, new Experts(router.numExperts(), d, 2 * d, Unary.GELU, rng),
                        new FeedForward(d, 2 * d, FeedForward.Activation.GELU, rng)); // shared expert
            }
            case DENSE -> throw new IllegalStateException("the dense arm has no MoE layer");
        };
        MoeFeedForward slot = new MoeFeedForward(layer);
        moe.add(slot);
        return slot;
    }

    /**
     * An MoE layer in a block's {@link Layer} slot. It needs the pass's context, so the network runs it through
     * {@link AdaLnZeroBlock#forward(Tensor, Tensor, java.util.function.UnaryOperator)}; it holds no per-pass state.
     */
    private static final class MoeFeedForward extends Layer {
        private final MoELayer layer;

        MoeFeedForward(MoELayer layer) {
            this.layer = registerModule("moe", layer);
        }

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("ProMoE: the MoE feed-forward runs with its forward context, through ProMoE.forward");
        }
    }

    // ---- 5. the training loss -------------------------------------------------------------------------------

    /**
     * One rectified-flow training loss on a batch of clean images: labels dropped to null with p (CFG), σ
     * logit-normal, x_σ = (1−σ)x0 + σε, MSE to ε − x0, plus λ_RCL·Σ RCL and λ_LB·Σ LB over the MoE layers.
     * Randomness comes from {@code context.rng()} only, so a step is reproducible from its seed.
     */
    public Tensor loss(LabelledImages batch, RoutingContext context) {
        return lossTerms(batch, context).total();
    }

    /** The terms of one training loss: the weighted total and, unweighted, the MSE, Σ RCL and Σ load balance. */
    public record LossTerms(Tensor total, double mse, double rcl, double balance) {}

    /** {@link #loss} with its terms, for curves and diagnostics. */
    public LossTerms lossTerms(LabelledImages batch, RoutingContext context) {
        return lossTerms(batch, draw(batch, context.rng()), context);
    }

    /** One training step's random draws: the labels after label dropout, σ per image and the noise ε (shaped as x0). */
    public record FlowDraws(int[] labels, float[] sigma, Tensor noise) {}

    /** The draws {@link #lossTerms(LabelledImages, RoutingContext)} takes from {@code rng} (each from its own fork). */
    public FlowDraws draw(LabelledImages batch, Rng rng) {
        int[] labels = network.label.dropLabels(batch.labels(), config.labelDropout, rng.fork("labels"));
        float[] sigma = RectifiedFlow.sampleSigmas(rng.fork("sigma"), batch.count());
        return new FlowDraws(labels, sigma, Tensor.randn(rng.fork("noise"), batch.tensor().shape()));
    }

    /**
     * The loss terms for given draws: public so that a caller can record the draws (the PyTorch trajectory check
     * replays them) and still train on exactly the loss {@link #loss} computes.
     */
    public LossTerms lossTerms(LabelledImages batch, FlowDraws draws, RoutingContext context) {
        float[] sigma = draws.sigma();
        Tensor x0 = batch.tensor(), noise = draws.noise();
        Tensor prediction = forward(RectifiedFlow.interpolate(x0, noise, sigma), sigma, draws.labels(), context);
        Tensor mse = prediction.sub(RectifiedFlow.velocityTarget(x0, noise)).square().mean();
        Tensor rcl = auxSum(context, PrototypeRouter.RCL), balance = auxSum(context, AuxLosses.LOAD_BALANCE);
        Tensor total = mse;
        if (config.rclWeight > 0 && config.contrastive) total = total.add(rcl.mul(config.rclWeight));
        if (config.balanceWeight() > 0) total = total.add(balance.mul(config.balanceWeight()));
        return new LossTerms(total, mse.item(), rcl.item(), balance.item());
    }

    /** Σ over MoE layers of one aux term of a pass (0 when no layer reports it). */
    private Tensor auxSum(RoutingContext pass, String key) {
        Tensor sum = Tensor.scalar(0f);
        for (Routing r : routings(pass)) {
            Tensor t = r.auxLosses().get(key);
            if (t != null) sum = sum.add(t);
        }
        return sum;
    }

    // ---- sampling (paper App. B) ----------------------------------------------------------------------------

    /**
     * Euler sampling from N(0, I) over σ = 1 → 0 with CFG weight w: v = v_u + w·(v_c − v_u), the unconditional pass
     * with the null label (so every token routes to E_U). Call it inside {@code Ema.withAverage} to sample from the
     * EMA weights. Runs in evaluation mode and without a graph.
     */
    public Tensor sample(int[] labels, float guidance, int steps, Rng rng) {
        boolean wasTraining = network.isTraining();
        network.eval();
        try (var scope = GradMode.noGrad()) {
            Tensor noise = Tensor.randn(rng, labels.length, 1, config.imageSize, config.imageSize);
            return RectifiedFlow.sample(this::velocity, noise, labels, nullLabel(), steps, guidance);
        } finally {
            network.train(wasTraining);
        }
    }

    // ---- introspection for the experiment ------------------------------------------------------------------

    public Module module() {
        return network;
    }

    public Arm arm() {
        return config.arm;
    }

    public int nullLabel() {
        return config.classes;
    }

    public int tokensPerImage() {
        int g = config.imageSize / config.patch;
        return g * g;
    }

    /** Experts a conditional token can be routed to (the prototypes / the baselines' experts); 0 for dense. */
    public int routedExperts() {
        return config.arm == Arm.DENSE ? 0 : config.routedExperts;
    }

    /** Side of a patch token in pixels (tokens are patches in row-major order, as {@link Patchify} makes them). */
    public int patchSize() {
        return config.patch;
    }

    /** The block index of each MoE layer, in the order of {@link #moeLayers()} (empty for dense). */
    public List<Integer> moeBlocks() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < config.depth; i++) if (hasMoe(config, i)) out.add(i);
        return out;
    }

    /** Interleave: every odd block's feed-forward is an MoE, unless the arm is dense. */
    private static boolean hasMoe(Builder b, int block) {
        return b.arm != Arm.DENSE && block % 2 == 1;
    }

    /** The MoE layers in block order (empty for dense). */
    public List<MoELayer> moeLayers() {
        return moe.stream().map(m -> m.layer).toList();
    }

    /** The routings of a pass, one per MoE layer, in block order. */
    public List<Routing> routings(RoutingContext pass) {
        return pass.recorder().of(moeLayers());
    }

    /** The prototypical routers (possibly inside conditional routers), one per MoE layer; empty for other arms. */
    public List<PrototypeRouter> prototypeRouters() {
        List<PrototypeRouter> out = new ArrayList<>();
        for (MoeFeedForward m : moe) {
            Router r = m.layer.router();
            if (r instanceof ConditionalRouter c) r = c.inner();
            if (r instanceof PrototypeRouter p) out.add(p);
        }
        return out;
    }

    /** Hidden units of MLP evaluated per token per block, averaged over blocks (equal across arms by design). */
    public double activatedMlpHidden() {
        return 4.0 * config.dModel;
    }

    /** The configuration as strings, for checkpoints and tables. */
    public Map<String, String> describe() {
        Map<String, String> m = Provenance.of("promoe", config);
        // What the arm makes of the options: its effective balance weight, the routed experts, the token count.
        m.put("effective balanceWeight", "" + config.balanceWeight());
        m.put("routed experts (effective)", "" + routedExperts());
        m.put("tokens per image", "" + tokensPerImage());
        m.put("parameters", "" + network.numParameters());
        return m;
    }

    @Override
    public String toString() {
        return "ProMoE[" + config.arm + (config.arm == Arm.PROTOTYPE ? ", " + config.gate.name().toLowerCase() + " gate, RCL " + config.contrastive
                + ", conditional " + config.conditional : "") + ", " + network.numParameters() + " parameters]";
    }

    /** Hyper-parameters with the CPU-scale plan's defaults (notes §3.5); {@link #build()} validates them all. */
    public static final class Builder implements Cloneable {
        private Arm arm = Arm.PROTOTYPE;
        private PrototypeRouter.GateActivation gate = PrototypeRouter.GateActivation.IDENTITY;
        private boolean contrastive = true, conditional = true;
        private int routedExperts = 4, dModel = 48, depth = 4, heads = 4, patch = 4, imageSize = Shapes10.SIZE, classes = Shapes10.CLASSES, frequencyDim = 64;
        private float rclWeight = 1f, rclTemperature = RoutingContrastiveLoss.DEFAULT_TEMPERATURE, labelDropout = 0.1f;
        private Float balanceWeight;
        private long seed = Rng.defaultSeed();

        public Builder arm(Arm v) { arm = v; return this; }
        /** Score activation of the prototypical router (Table 8): IDENTITY (paper), SOFTMAX, SIGMOID. */
        public Builder gate(PrototypeRouter.GateActivation v) { gate = v; return this; }
        /** Routing contrastive loss on (paper) or off (Table 7 rung "+ prototypical routing"). */
        public Builder contrastive(boolean v) { contrastive = v; return this; }
        /** Conditional routing to an unconditional expert on (paper) or off (Table 7 rung "+ RCL"). */
        public Builder conditional(boolean v) { conditional = v; return this; }
        /** Routed experts: prototypes of ProMoE (4 + shared + unconditional), experts of TC/EC. */
        public Builder routedExperts(int v) { routedExperts = v; return this; }
        public Builder dModel(int v) { dModel = v; return this; }
        public Builder depth(int v) { depth = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder patch(int v) { patch = v; return this; }
        public Builder imageSize(int v) { imageSize = v; return this; }
        public Builder classes(int v) { classes = v; return this; }
        public Builder frequencyDim(int v) { frequencyDim = v; return this; }
        public Builder rclWeight(float v) { rclWeight = v; return this; }
        public Builder rclTemperature(float v) { rclTemperature = v; return this; }
        /** Load-balance weight; default 0.01 for token choice (DiT-MoE), 0 otherwise (ProMoE uses none). */
        public Builder balanceWeight(float v) { balanceWeight = v; return this; }
        /** CFG label dropout probability. */
        public Builder labelDropout(float v) { labelDropout = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        float balanceWeight() {
            return balanceWeight != null ? balanceWeight : arm == Arm.TOKEN_CHOICE ? 0.01f : 0f;
        }

        public ProMoE build() {
            String o = "ProMoE";
            if (arm == null) throw new IllegalArgumentException(o + ": arm must be one of " + Arrays.toString(Arm.values()) + ", got null");
            if (gate == null) throw new IllegalArgumentException(o + ": gate must be one of " + Arrays.toString(PrototypeRouter.GateActivation.values()) + ", got null");
            for (var e : new LinkedHashMap<>(Map.of("dModel", dModel, "depth", depth, "heads", heads, "patch", patch, "imageSize", imageSize,
                    "classes", classes, "frequencyDim", frequencyDim)).entrySet()) {
                if (e.getValue() < 1) throw new IllegalArgumentException(o + ": " + e.getKey() + " must be >= 1, got " + e.getValue());
            }
            if (dModel % 4 != 0) throw new IllegalArgumentException(o + ": dModel must be divisible by 4 (2-D sin-cos positions), got " + dModel);
            if (dModel % heads != 0) throw new IllegalArgumentException(o + ": heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
            if (frequencyDim % 2 != 0) throw new IllegalArgumentException(o + ": frequencyDim must be even, got " + frequencyDim);
            if (imageSize % patch != 0) throw new IllegalArgumentException(o + ": patch must divide imageSize: imageSize=" + imageSize + ", patch=" + patch);
            if (arm != Arm.DENSE && depth < 2) throw new IllegalArgumentException(o + ": depth must be >= 2 for arm " + arm + " (MoE sits in the odd blocks), got " + depth);
            if (arm != Arm.DENSE && routedExperts < 2) throw new IllegalArgumentException(o + ": routedExperts must be >= 2, got " + routedExperts);
            if (arm == Arm.EXPERT_CHOICE && (imageSize / patch) * (imageSize / patch) < routedExperts) {
                throw new IllegalArgumentException(o + ": expert choice needs at least one token per expert per image: " + routedExperts + " experts, "
                        + (imageSize / patch) * (imageSize / patch) + " tokens");
            }
            if (arm != Arm.PROTOTYPE && (gate != PrototypeRouter.GateActivation.IDENTITY || !contrastive || !conditional)) {
                // the defaults are ProMoE's; changing them means the caller wanted the PROTOTYPE arm
                throw new IllegalArgumentException(o + ": gate, contrastive and conditional apply only to arm PROTOTYPE, got arm " + arm);
            }
            if (!(rclWeight >= 0)) throw new IllegalArgumentException(o + ": rclWeight must be >= 0, got " + rclWeight);
            if (!(rclTemperature > 0)) throw new IllegalArgumentException(o + ": rclTemperature must be > 0, got " + rclTemperature);
            if (balanceWeight != null && !(balanceWeight >= 0)) throw new IllegalArgumentException(o + ": balanceWeight must be >= 0, got " + balanceWeight);
            if (arm == Arm.EXPERT_CHOICE && balanceWeight != null && balanceWeight > 0) {
                throw new IllegalArgumentException(o + ": balanceWeight must be 0 for arm EXPERT_CHOICE (balanced by construction), got " + balanceWeight);
            }
            if (!(labelDropout >= 0 && labelDropout < 1)) throw new IllegalArgumentException(o + ": labelDropout must be in [0, 1), got " + labelDropout);
            // The model keeps its own copy, so reusing this builder after build() never changes a built model.
            return new ProMoE(copy());
        }

        private Builder copy() {
            try {
                return (Builder) clone(); // every field is a primitive, an enum or immutable
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
