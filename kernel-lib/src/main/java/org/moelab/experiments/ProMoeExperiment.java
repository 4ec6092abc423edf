package org.moelab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.moelab.data.ClassImageGenerator;
import org.moelab.data.LabelledImages;
import org.moelab.eval.FrechetDistance;
import org.moelab.eval.ShapesEvaluator;
import org.moelab.experiments.ExperimentRunner.Recipe;
import org.moelab.lab.Interrupts;
import org.moelab.lab.Preset;
import org.moelab.models.ProMoE;
import org.moelab.moe.ExpertSubspaces;
import org.moelab.moe.MoELayer;
import org.moelab.moe.PrototypeRouter;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.report.ExperimentReport;
import org.moelab.report.MeanSd;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.Ema;
import org.moelab.train.Run;
import org.moelab.train.RunStatus;
import org.moelab.train.StepContext;

/**
 * ProMoE's claim at CPU scale (notes §3.5): in a rectified-flow DiT-tiny on 16×16 ten-class images (Shapes-10, or
 * Textures-10 for the second round: {@link ProMoeSettings#dataset()}), explicit routing guidance
 * (conditional routing + cosine prototypes + RCL) specialises experts by class where token-choice routing does
 * not, and generates better samples at equal activated MLP compute. Every arm sees the same batches in the same
 * order for a seed; samples come from the EMA weights with the same noise and labels for every arm and guidance
 * weight; FD and accuracy come from the data set's frozen evaluator; the routing diagnostics from one fixed probe.
 */
public final class ProMoeExperiment {
    /** The arms: baselines, then Table 7's ladder, then the Table 8/17 variants. */
    public enum Arm {
        DENSE("dense DiT", "dense", b -> b.arm(ProMoE.Arm.DENSE)),
        TOKEN_CHOICE("token choice (DiT-MoE)", "TC", b -> b.arm(ProMoE.Arm.TOKEN_CHOICE)),
        EXPERT_CHOICE("expert choice (EC-DiT)", "EC", b -> b.arm(ProMoE.Arm.EXPERT_CHOICE)),
        PROTOTYPICAL("+ prototypical routing", "+proto", b -> b.contrastive(false).conditional(false)),
        PROTOTYPICAL_RCL("+ RCL", "+RCL", b -> b.conditional(false)),
        PROMOE("ProMoE", "ProMoE", b -> b),
        SOFTMAX_GATE("ProMoE, softmax gate", "softmax", b -> b.gate(PrototypeRouter.GateActivation.SOFTMAX)),
        SIGMOID_GATE("ProMoE, sigmoid gate", "sigmoid", b -> b.gate(PrototypeRouter.GateActivation.SIGMOID)),
        BALANCED("ProMoE + load balance 0.01", "+LB", b -> b.balanceWeight(0.01f));

        public final String label;
        /** For chart axes, where nine long labels overlap. */
        public final String shortLabel;
        private final UnaryOperator<ProMoE.Builder> configure;

        Arm(String label, String shortLabel, UnaryOperator<ProMoE.Builder> configure) {
            this.label = label;
            this.shortLabel = shortLabel;
            this.configure = configure;
        }
    }

    private static final long REAL_SEED = 20_251_024L, PROBE_SEED = 24_711L;
    private static final int SUBSPACE_RANK = 8, GRID_PER_CLASS = 6, BOOTSTRAPS = 20, SAMPLE_CHUNK = 250;

    private final ProMoeSettings settings;
    private final LabelledImages real;
    private final ProMoeRoutingProbe probe;
    private ShapesEvaluator evaluator;
    private float[][] realFeatures;

    public ProMoeExperiment(ProMoeSettings settings) {
        this.settings = settings;
        this.real = settings.dataset().generator(REAL_SEED).next(settings.realImages());
        this.probe = new ProMoeRoutingProbe(settings.dataset(), settings.probePerClass(), PROBE_SEED);
    }

    public ProMoeSettings settings() {
        return settings;
    }

    /** The real reference images of the FD (fixed, class-balanced). */
    public LabelledImages realImages() {
        return real;
    }

    /** Builds one arm's model for a seed. */
    public ProMoE model(Arm arm, long seed) {
        return arm.configure.apply(ProMoE.builder().seed(seed)).build();
    }

    /** Trains one arm, then samples and measures it from the EMA weights. */
    public ProMoeArmResult runArm(Arm arm, long seed) {
        ProMoeSettings s = settings;
        ProMoE model = model(arm, seed);
        Recipe recipe = Recipe.constant(s.learningRate(), 0f, 0.5f);
        Ema ema = new Ema(model.module(), s.emaDecay());
        double[] mse = new double[s.steps()];
        LiveExperts live = new LiveExperts(model.routedExperts());
        Run run = recipe.trainer(model.module(), recipe.optimizer(model.module()), step -> s.dataset().generator(seed * 1_000_003L + step).next(s.batch()),
                        (LabelledImages b, StepContext ctx) -> {
                            RoutingContext pass = RoutingContext.training(ctx.step(), ctx.rng());
                            ProMoE.LossTerms loss = model.lossTerms(b, pass);
                            mse[(int) ctx.step()] = loss.mse();
                            live.count(model.routings(pass));
                            return loss.total();
                        }, s.steps(), seed, arm.label + " seed " + seed)
                .beforeEachStep(step -> { if (step > 0) ema.update(); })
                .tokensPerBatch(b -> b.count() * model.tokensPerImage())
                .evaluate(s.evalEvery(), live::checkpoint)
                .config(model.describe())
                .fit();
        ema.update();
        double[] curve = java.util.Arrays.copyOf(mse, (int) run.stepsDone());
        if (run.status() == RunStatus.INTERRUPTED) {
            // Stopped by the user: keep the model and its run at once, measure nothing (sampling takes minutes).
            return new ProMoeArmResult(arm, seed, curve, live.steps(), live.values(), Map.of(), Map.of(), Map.of(), Double.NaN, Double.NaN,
                    Double.NaN, new double[0][], Map.of(), run.wallSeconds(), model.module().numParameters(), run, settings.dataset(), Map.of(), model);
        }
        return ema.withAverage(() -> measure(arm, seed, model, curve, live, run));
    }

    private ProMoeArmResult measure(Arm arm, long seed, ProMoE model, double[] curve, LiveExperts live, Run run) {
        Map<Float, Double> fd = new LinkedHashMap<>(), noise = new LinkedHashMap<>(), accuracy = new LinkedHashMap<>();
        Map<Float, float[][][]> grids = new LinkedHashMap<>();
        int n = settings.samples();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % ClassImageGenerator.CLASSES;
        for (float w : settings.guidances()) {
            if (Interrupts.requested()) break;
            float[] pixels = sample(model, labels, w, seed);
            fd.put(w, evaluator().frechetDistance(pixels, n, real.pixels(), real.count()));
            noise.put(w, bootstrapFdSd(pixels, n, seed));
            accuracy.put(w, evaluator().conditionalAccuracy(pixels, labels));
            grids.put(w, grid(pixels, labels));
        }
        ProMoeRoutingProbe.Result routing = probe.measure(model);
        double overlap = Double.NaN;
        if (model.routedExperts() > 0) {
            overlap = 0;
            for (MoELayer layer : model.moeLayers()) overlap += ExpertSubspaces.meanOverlap(layer.experts(), model.routedExperts(), SUBSPACE_RANK);
            overlap /= model.moeLayers().size();
        }
        return new ProMoeArmResult(arm, seed, curve, live.steps(), live.values(), fd, noise, accuracy, routing.jsd(),
                routing.mutualInformation(), overlap, routing.expertByClass(), grids, run.wallSeconds(), model.module().numParameters(), run,
                settings.dataset(), routing.breakdown(), model);
    }

    /** Class-balanced samples at guidance w, clamped to [−1, 1]; the same noise for every arm and weight of a seed. */
    private float[] sample(ProMoE model, int[] labels, float w, long seed) {
        int n = labels.length;
        float[] pixels = new float[n * 256];
        Rng rng = new Rng(seed).fork("samples");
        for (int start = 0; start < n; start += SAMPLE_CHUNK) {
            int end = Math.min(n, start + SAMPLE_CHUNK);
            float[] chunk = model.sample(java.util.Arrays.copyOfRange(labels, start, end), w, settings.eulerSteps(), rng.fork("chunk" + start)).toFloatArray();
            for (int i = 0; i < chunk.length; i++) pixels[start * 256 + i] = Math.max(-1f, Math.min(1f, chunk[i]));
        }
        return pixels;
    }

    /** sd of the FD over generated sets resampled with replacement: the sampling noise of one FD value. */
    private double bootstrapFdSd(float[] pixels, int n, long seed) {
        float[][] features = evaluator().features(pixels, n);
        Rng rng = new Rng(seed).fork("bootstrap");
        double[] values = new double[BOOTSTRAPS];
        for (int b = 0; b < BOOTSTRAPS; b++) {
            float[][] resampled = new float[n][];
            for (int i = 0; i < n; i++) resampled[i] = features[rng.nextInt(n)];
            values[b] = FrechetDistance.between(resampled, realFeatures());
        }
        return MeanSd.of(values).sd();
    }

    private float[][][] grid(float[] pixels, int[] labels) {
        float[][][] out = new float[ClassImageGenerator.CLASSES][GRID_PER_CLASS][];
        int[] filled = new int[ClassImageGenerator.CLASSES];
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (filled[c] < GRID_PER_CLASS) out[c][filled[c]++] = java.util.Arrays.copyOfRange(pixels, i * 256, (i + 1) * 256);
        }
        for (int c = 0; c < out.length; c++) if (filled[c] < GRID_PER_CLASS) out[c] = java.util.Arrays.copyOf(out[c], filled[c]);
        return out;
    }

    private ShapesEvaluator evaluator() {
        if (evaluator == null) evaluator = ShapesEvaluator.shipped(settings.dataset());
        return evaluator;
    }

    private float[][] realFeatures() {
        if (realFeatures == null) realFeatures = evaluator().features(real.pixels(), real.count());
        return realFeatures;
    }

    /** Every arm for every seed, in a fixed order; stops early (keeping what finished) on an interrupt. */
    public List<ProMoeArmResult> runAll() {
        return ExperimentRunner.seedsTimesArms(settings.seeds(), settings.arms(), this::runArm);
    }

    /** Tables, charts and the verdict of a set of arm results. */
    public ExperimentReport report(List<ProMoeArmResult> results) {
        if (results.isEmpty()) throw new IllegalArgumentException("ProMoeExperiment: no finished arm to report (interrupted before the first one finished?)");
        return ProMoeReport.report(results, settings);
    }

    /** The whole experiment at a preset, as {@code %moe reproduce promoe} runs it. */
    public static ExperimentReport reproduce(Preset preset) {
        ProMoeExperiment experiment = new ProMoeExperiment(ProMoeSettings.of(preset));
        return experiment.report(experiment.runAll());
    }

    /**
     * Live routed experts (prototypes) during training: which of the routed experts received at least one token
     * in the window since the last checkpoint, averaged over MoE layers. A dead prototype gets no gradient from
     * either loss and never comes back, so a falling count is the dead-prototype spiral of the notes' pitfall 6.
     */
    private static final class LiveExperts {
        private final int experts;
        private long[][] window;
        private final List<Double> steps = new ArrayList<>(), values = new ArrayList<>();
        private long counted;

        LiveExperts(int experts) {
            this.experts = experts;
        }

        void count(List<Routing> routings) {
            counted++;
            if (experts == 0) return;
            if (window == null) window = new long[routings.size()][experts];
            for (int l = 0; l < routings.size(); l++) {
                var a = routings.get(l).assignments();
                for (int i = 0; i < a.size(); i++) if (a.expert(i) < experts) window[l][a.expert(i)]++;
            }
        }

        Map<String, Double> checkpoint() {
            double live = Double.NaN;
            if (window != null) {
                live = 0;
                for (long[] layer : window) for (long c : layer) if (c > 0) live++;
                live /= window.length;
                for (long[] layer : window) java.util.Arrays.fill(layer, 0);
            }
            steps.add((double) counted);
            values.add(live);
            return experts == 0 ? Map.of() : Map.of("live experts", live);
        }

        double[] steps() {
            return steps.stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] values() {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
