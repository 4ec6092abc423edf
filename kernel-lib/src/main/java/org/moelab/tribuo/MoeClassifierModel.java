package org.moelab.tribuo;

import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.tribuo.MoeClassifierTrainer.RouterKind;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

/**
 * A trained MoE classifier ({@link MoeClassifierTrainer}): softmax probabilities for every label, plus where the
 * router sends examples ({@link #expertLoad}, {@link #expertsByLabel}).
 *
 * <p>Our {@code Tensor} is not {@code Serializable}, so the model keeps its weights as a state dict (name →
 * float[]) next to the architecture {@link MoeNetwork.Spec} and rebuilds the network on first use. That makes
 * Java serialisation (Tribuo 4.3's {@code ObjectOutputStream} route) work; Tribuo's protobuf {@link #serialize()}
 * is not supported. Prediction is synchronised because the network records the routing of its last forward.
 */
public final class MoeClassifierModel extends Model<Label> {
    private static final long serialVersionUID = 1L;
    private static final int PREDICT_BATCH = 256;

    private final MoeNetwork.Spec spec;
    private final Standardiser standardiser;
    /** Never mutated after construction, so copies may share it. */
    private final Map<String, float[]> state;
    private final double[] trainingLoss;
    private transient MoeNetwork network;

    MoeClassifierModel(String name, ModelProvenance provenance, ImmutableFeatureMap features, ImmutableOutputInfo<Label> labels,
                       MoeNetwork.Spec spec, Standardiser standardiser, Map<String, float[]> state, double[] trainingLoss) {
        super(name, provenance, features, labels, true);
        this.spec = spec;
        this.standardiser = standardiser;
        this.state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
        this.trainingLoss = trainingLoss.clone();
    }

    // ---------------------------------------------------------------- prediction

    @Override
    public Prediction<Label> predict(Example<Label> example) {
        return predictAll(List.of(example)).get(0);
    }

    /** Predicts in batches of {@value #PREDICT_BATCH}: routing is per example, so batching changes nothing but speed. */
    @Override
    protected List<Prediction<Label>> innerPredict(Iterable<Example<Label>> examples) {
        List<Example<Label>> list = new ArrayList<>();
        examples.forEach(list::add);
        List<Prediction<Label>> out = new ArrayList<>(list.size());
        for (int from = 0; from < list.size(); from += PREDICT_BATCH) {
            out.addAll(predictAll(list.subList(from, Math.min(list.size(), from + PREDICT_BATCH))));
        }
        return out;
    }

    private List<Prediction<Label>> predictAll(List<Example<Label>> examples) {
        float[] probabilities;
        synchronized (this) {
            probabilities = forward(examples, RoutingContext.evaluation()).softmax().toFloatArray();
        }
        int classes = spec.numClasses();
        List<Prediction<Label>> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Map<String, Label> scores = new LinkedHashMap<>();
            int best = 0;
            for (int c = 0; c < classes; c++) {
                float p = probabilities[i * classes + c];
                String name = outputIDInfo.getOutput(c).getLabel();
                scores.put(name, new Label(name, p));
                if (p > probabilities[i * classes + best]) best = c;
            }
            String bestName = outputIDInfo.getOutput(best).getLabel();
            out.add(new Prediction<>(new Label(bestName, probabilities[i * classes + best]), scores,
                    knownFeatures(examples.get(i)), examples.get(i), true));
        }
        return out;
    }

    /** Logits for the examples, in eval mode and without a gradient tape; the routing is recorded in {@code pass}. */
    private Tensor forward(List<Example<Label>> examples, RoutingContext pass) {
        int d = standardiser.numFeatures();
        float[] rows = new float[examples.size() * d];
        for (int i = 0; i < examples.size(); i++) {
            Example<Label> example = examples.get(i);
            // Tribuo's convention (e.g. LinearSGDModel): an example with no known feature cannot be predicted.
            if (knownFeatures(example) == 0) {
                throw new IllegalArgumentException("MoeClassifierModel: no feature of this example is in the model's feature domain: " + example);
            }
            standardiser.row(example, featureIDMap, rows, i * d);
        }
        try (var noGrad = GradMode.noGrad()) {
            return network().forward(Tensor.of(rows, examples.size(), d), pass);
        }
    }

    private int knownFeatures(Example<Label> example) {
        int n = 0;
        for (Feature f : example) if (featureIDMap.getID(f.getName()) >= 0) n++;
        return n;
    }

    private synchronized MoeNetwork network() {
        if (network == null) {
            // The seed is irrelevant: every parameter is overwritten by the state dict.
            MoeNetwork rebuilt = new MoeNetwork(spec, new Rng(0));
            rebuilt.loadStateDict(state);
            rebuilt.eval();
            network = rebuilt;
        }
        return network;
    }

    // ---------------------------------------------------------------- routing statistics

    /** Routed slots per expert over the examples (with top-k routing every example fills k slots). */
    public int[] expertLoad(Iterable<Example<Label>> examples) {
        int[] load = new int[spec.numExperts()];
        forEachRouting(examples, (batch, routing) -> {
            int[] counts = routing.tokensPerExpert();
            for (int e = 0; e < load.length; e++) load[e] += counts[e];
        });
        return load;
    }

    /**
     * For every true label, how many of its examples have each expert as their primary (largest-weight) expert:
     * the quickest look at whether experts specialise by class. Keys follow the examples' label order of first
     * appearance.
     */
    public Map<String, int[]> expertsByLabel(Iterable<Example<Label>> examples) {
        Map<String, int[]> byLabel = new LinkedHashMap<>();
        forEachRouting(examples, (batch, routing) -> {
            int[] primary = routing.primaryExpert();
            for (int i = 0; i < batch.size(); i++) {
                if (primary[i] < 0) continue;
                byLabel.computeIfAbsent(batch.get(i).getOutput().getLabel(), k -> new int[spec.numExperts()])[primary[i]]++;
            }
        });
        return byLabel;
    }

    private void forEachRouting(Iterable<Example<Label>> examples, BiConsumer<List<Example<Label>>, Routing> action) {
        List<Example<Label>> batch = new ArrayList<>();
        for (Example<Label> e : examples) {
            batch.add(e);
            if (batch.size() == PREDICT_BATCH) {
                routeBatch(batch, action);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) routeBatch(batch, action);
    }

    private synchronized void routeBatch(List<Example<Label>> batch, BiConsumer<List<Example<Label>>, Routing> action) {
        RoutingContext pass = RoutingContext.evaluation();
        forward(batch, pass);
        action.accept(batch, network().routing(pass));
    }

    // ---------------------------------------------------------------- Tribuo Model contract

    /**
     * One list under {@link Model#ALL_OUTPUTS}: features ranked by the L2 norm of their column in the input
     * projection. Features are standardised first, so the norm is "how strongly the first layer reads one standard
     * deviation of this feature" — a coarse importance signal, not a per-class attribution (the experts and the
     * output layer are non-linear in it). {@code n < 0} returns every feature.
     */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        float[] w = network().inputWeight().data();
        int features = spec.numFeatures(), rows = spec.dModel();
        List<Pair<String, Double>> ranked = new ArrayList<>(features);
        for (int j = 0; j < features; j++) {
            double sq = 0;
            for (int r = 0; r < rows; r++) sq += (double) w[r * features + j] * w[r * features + j];
            ranked.add(new Pair<>(featureIDMap.get(j).getName(), Math.sqrt(sq)));
        }
        ranked.sort(Comparator.comparing((Pair<String, Double> p) -> p.getB()).reversed());
        if (n >= 0 && n < ranked.size()) ranked = new ArrayList<>(ranked.subList(0, n));
        Map<String, List<Pair<String, Double>>> out = new LinkedHashMap<>();
        out.put(Model.ALL_OUTPUTS, ranked);
        return out;
    }

    /** No excuses: the model has no cheap faithful explanation of one prediction. */
    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected MoeClassifierModel copy(String newName, ModelProvenance newProvenance) {
        return new MoeClassifierModel(newName, newProvenance, featureIDMap, outputIDInfo, spec, standardiser, state, trainingLoss);
    }

    /** Tribuo 4.3's protobuf form is not implemented; Java serialisation works (see the class comment). */
    @Override
    public ModelProto serialize() {
        throw new UnsupportedOperationException("MoeClassifierModel has no protobuf form; save it with Java serialisation "
                + "(ObjectOutputStream), which Tribuo 4.3 supports and this model implements");
    }

    // ---------------------------------------------------------------- accessors

    public int numExperts() {
        return spec.numExperts();
    }

    public int topK() {
        return spec.topK();
    }

    public RouterKind routerKind() {
        return spec.routerKind();
    }

    /** What the router does, e.g. "top-2 learned". */
    public String routerDescription() {
        return network().router().describe();
    }

    public long numParameters() {
        return network().numParameters();
    }

    /** The training loss (cross-entropy plus the weighted balance term) at every optimizer step. */
    public double[] trainingLoss() {
        return trainingLoss.clone();
    }

    /** A copy of the weights by parameter name (e.g. {@code moe.experts.0.w1}). */
    public Map<String, float[]> stateDict() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        state.forEach((k, v) -> copy.put(k, Arrays.copyOf(v, v.length)));
        return copy;
    }
}
