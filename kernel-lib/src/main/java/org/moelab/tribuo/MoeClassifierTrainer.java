package org.moelab.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.moelab.moe.AuxLosses;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.BatchSource;
import org.moelab.train.Run;
import org.moelab.train.RunStatus;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * A Tribuo {@code Trainer<Label>} for a small MoE classifier (see {@link MoeNetwork}): standardised features →
 * Linear → h + MoE(h) → LayerNorm → Linear, trained with AdamW on cross-entropy plus
 * {@code balanceWeight} × Switch's load-balancing loss, through our {@link org.moelab.train.Trainer}.
 *
 * <p>Hyper-parameters are OLCUT {@code @Config} fields, so they appear in the model's provenance and a trainer can
 * be rebuilt from it ({@code ProvenanceUtil.extractConfiguration}). As in Tribuo's own trainers, each
 * {@code train} call uses a random stream derived from {@code seed} and the invocation count, and
 * {@link #setInvocationCount} replays it: the same seed and count give bit-identical models.
 *
 * <pre>{@code
 * var trainer = MoeClassifierTrainer.builder().numExperts(4).topK(2).epochs(30).build();
 * MoeClassifierModel model = trainer.train(trainData);
 * }</pre>
 */
public final class MoeClassifierTrainer implements Trainer<Label> {

    /** Which router picks the experts. */
    public enum RouterKind {
        /** Learned softmax gate, each example takes its top-k experts (Switch/Mixtral). */
        LEARNED_TOP_K,
        /** SMoE-Dropout's random gate, frozen at initialisation; the experts learn around it. */
        FROZEN_RANDOM,
        /** Experts pick examples (capacity factor k) while training; top-k by the same scores at inference. */
        EXPERT_CHOICE
    }

    @Config(description = "Number of experts in the MoE layer.")
    private int numExperts = 4;

    @Config(description = "Experts per example (top-k); for EXPERT_CHOICE the capacity factor.")
    private int topK = 2;

    @Config(description = "Hidden units of each expert's feed-forward network.")
    private int hiddenSize = 32;

    @Config(description = "Width of the representation the router and experts see.")
    private int dModel = 32;

    @Config(description = "Router: LEARNED_TOP_K, FROZEN_RANDOM or EXPERT_CHOICE.")
    private RouterKind routerKind = RouterKind.LEARNED_TOP_K;

    @Config(description = "Passes over the training data.")
    private int epochs = 30;

    @Config(description = "Examples per optimizer step.")
    private int batchSize = 32;

    @Config(description = "AdamW learning rate.")
    private float learningRate = 0.01f;

    @Config(description = "Weight of Switch's load-balancing loss (top-k routers; expert choice is balanced by construction).")
    private float balanceWeight = 0.01f;

    @Config(description = "Seed of the random stream (initialisation, shuffling, routing noise).")
    private long seed = Trainer.DEFAULT_SEED;

    /** Not a hyper-parameter: whether to show a live progress bar (notebooks); not in provenance. */
    private boolean progress;

    private int invocationCount;

    /** For OLCUT, which sets the {@code @Config} fields reflectively and then calls {@link #postConfig()}. */
    private MoeClassifierTrainer() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Called by OLCUT after configuration; throws a {@link PropertyException} naming the bad field. */
    @Override
    public void postConfig() {
        validate((field, message) -> new PropertyException("", field, message));
    }

    private void validate(BiFunction<String, String, RuntimeException> error) {
        if (routerKind == null) throw error.apply("routerKind", "routerKind must be one of " + Arrays.toString(RouterKind.values()) + ", got null");
        if (numExperts < 1) throw error.apply("numExperts", "numExperts must be >= 1, got " + numExperts);
        if (topK < 1 || topK > numExperts) throw error.apply("topK", "topK must be in [1, numExperts = " + numExperts + "], got " + topK);
        if (hiddenSize < 1) throw error.apply("hiddenSize", "hiddenSize must be >= 1, got " + hiddenSize);
        if (dModel < 1) throw error.apply("dModel", "dModel must be >= 1, got " + dModel);
        if (epochs < 1) throw error.apply("epochs", "epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw error.apply("batchSize", "batchSize must be >= 1, got " + batchSize);
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) throw error.apply("learningRate", "learningRate must be a finite number > 0, got " + learningRate);
        if (!(balanceWeight >= 0) || !Float.isFinite(balanceWeight)) throw error.apply("balanceWeight", "balanceWeight must be a finite number >= 0, got " + balanceWeight);
    }

    // ---------------------------------------------------------------- training

    @Override
    public MoeClassifierModel train(Dataset<Label> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public MoeClassifierModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public synchronized MoeClassifierModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        if (invocationCount != INCREMENT_INVOCATION_COUNT) setInvocationCount(invocationCount);
        ImmutableFeatureMap features = examples.getFeatureIDMap();
        ImmutableOutputInfo<Label> labels = examples.getOutputIDInfo();
        if (examples.size() == 0) throw new IllegalArgumentException("MoeClassifierTrainer: the training dataset is empty");
        if (features.size() == 0) throw new IllegalArgumentException("MoeClassifierTrainer: the training dataset has no features");
        // Provenance first, so it records the invocation count this model was trained with (Tribuo's convention).
        TrainerProvenance trainerProvenance = getProvenance();
        Rng rng = new Rng(seed).fork("invocation-" + this.invocationCount);
        this.invocationCount++;

        Standardiser standardiser = Standardiser.fit(examples, features);
        int n = examples.size(), d = features.size();
        float[] x = new float[n * d];
        int[] y = new int[n];
        int i = 0;
        for (Example<Label> example : examples) {
            standardiser.row(example, features, x, i * d);
            y[i] = labels.getID(example.getOutput());
            if (y[i] < 0) throw new IllegalArgumentException("MoeClassifierTrainer: example " + i + " has a label outside the dataset's output domain: " + example.getOutput());
            i++;
        }

        MoeNetwork.Spec spec = new MoeNetwork.Spec(d, labels.size(), dModel, numExperts, hiddenSize, topK, routerKind);
        MoeNetwork network = new MoeNetwork(spec, rng.fork("init"));
        int batch = Math.min(batchSize, n);
        long stepsPerEpoch = (n + batch - 1) / batch;
        Run run = org.moelab.train.Trainer.<Batch>builder(network, new Shuffled(x, y, d, batch, stepsPerEpoch, rng.fork("shuffle")),
                        (b, ctx) -> {
                            RoutingContext pass = RoutingContext.training(ctx.step(), ctx.rng());
                            Tensor logits = network.forward(b.x(), pass);
                            return Losses.crossEntropy(logits, b.y()).add(AuxLosses.total(List.of(network.routing(pass)), balanceWeight, 0f));
                        })
                .steps(epochs * stepsPerEpoch)
                .seed(rng.fork("steps").seed())
                .optimizer(AdamW.builder(network).learningRate(learningRate).build())
                .label("MoeClassifierTrainer")
                .progress(progress)
                .fit();
        if (run.status() == RunStatus.DIVERGED) {
            throw new IllegalStateException("MoeClassifierTrainer: training diverged (" + run.message() + "); lower learningRate (now " + learningRate + ")");
        }
        // An interrupted run (Jupyter's stop button) still yields a model: it keeps what was learned so far.
        ModelProvenance provenance = new ModelProvenance(MoeClassifierModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, runProvenance);
        return new MoeClassifierModel("moe-classifier", provenance, features, labels, spec, standardiser,
                network.stateDict(), run.history().losses());
    }

    /** One step's examples: standardised rows [b, features] and label ids. */
    private record Batch(Tensor x, int[] y) {}

    /**
     * Batches keyed by step: epoch e visits the examples in a permutation drawn from {@code rng.fork("epoch-e")}, so
     * a step's batch depends only on the seed and the step number.
     */
    private static final class Shuffled implements BatchSource<Batch> {
        private final float[] x;
        private final int[] y;
        private final int d, batch;
        private final long stepsPerEpoch;
        private final Rng rng;
        private long cachedEpoch = -1;
        private int[] order;

        Shuffled(float[] x, int[] y, int d, int batch, long stepsPerEpoch, Rng rng) {
            this.x = x;
            this.y = y;
            this.d = d;
            this.batch = batch;
            this.stepsPerEpoch = stepsPerEpoch;
            this.rng = rng;
        }

        @Override
        public Batch batch(long step) {
            long epoch = step / stepsPerEpoch;
            if (epoch != cachedEpoch) {
                order = rng.fork("epoch-" + epoch).permutation(y.length);
                cachedEpoch = epoch;
            }
            // The last batch of an epoch wraps to the start of the permutation, so every batch has the same size.
            int start = (int) (step % stepsPerEpoch) * batch;
            float[] bx = new float[batch * d];
            int[] by = new int[batch];
            for (int r = 0; r < batch; r++) {
                int row = order[(start + r) % order.length];
                System.arraycopy(x, row * d, bx, r * d, d);
                by[r] = y[row];
            }
            return new Batch(Tensor.of(bx, batch, d), by);
        }
    }

    // ---------------------------------------------------------------- Tribuo plumbing

    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) throw new IllegalArgumentException("MoeClassifierTrainer: invocationCount must be >= 0, got " + invocationCount);
        this.invocationCount = invocationCount;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MoeClassifierTrainer(numExperts=%d,topK=%d,hiddenSize=%d,dModel=%d,routerKind=%s,epochs=%d,batchSize=%d,learningRate=%s,balanceWeight=%s,seed=%d)",
                numExperts, topK, hiddenSize, dModel, routerKind, epochs, batchSize, learningRate, balanceWeight, seed);
    }

    /** Validating builder; every setting has the default of the corresponding {@code @Config} field. */
    public static final class Builder {
        private final MoeClassifierTrainer t = new MoeClassifierTrainer();

        private Builder() {}

        public Builder numExperts(int v) { t.numExperts = v; return this; }

        public Builder topK(int v) { t.topK = v; return this; }

        public Builder hiddenSize(int v) { t.hiddenSize = v; return this; }

        public Builder dModel(int v) { t.dModel = v; return this; }

        public Builder routerKind(RouterKind v) { t.routerKind = v; return this; }

        public Builder epochs(int v) { t.epochs = v; return this; }

        public Builder batchSize(int v) { t.batchSize = v; return this; }

        public Builder learningRate(float v) { t.learningRate = v; return this; }

        public Builder balanceWeight(float v) { t.balanceWeight = v; return this; }

        public Builder seed(long v) { t.seed = v; return this; }

        /** Live progress bar while training (off by default, like Tribuo's trainers). */
        public Builder progress(boolean v) { t.progress = v; return this; }

        /** Checks every setting together (topK against numExperts...) and names the first bad one. */
        public MoeClassifierTrainer build() {
            t.validate((field, message) -> new IllegalArgumentException("MoeClassifierTrainer: " + message));
            MoeClassifierTrainer out = new MoeClassifierTrainer();
            out.numExperts = t.numExperts;
            out.topK = t.topK;
            out.hiddenSize = t.hiddenSize;
            out.dModel = t.dModel;
            out.routerKind = t.routerKind;
            out.epochs = t.epochs;
            out.batchSize = t.batchSize;
            out.learningRate = t.learningRate;
            out.balanceWeight = t.balanceWeight;
            out.seed = t.seed;
            out.progress = t.progress;
            return out;
        }
    }
}
