package org.moelab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.moelab.data.Mqar;
import org.moelab.lab.Preset;
import org.moelab.models.CausalTransformer;
import org.moelab.models.DecoderBlock;
import org.moelab.models.MoM;
import org.moelab.moe.Routing;
import org.moelab.moe.RoutingContext;
import org.moelab.nn.DeltaRule;
import org.moelab.nn.Embedding;
import org.moelab.nn.FeedForward;
import org.moelab.nn.GatedDeltaNet;
import org.moelab.nn.Layer;
import org.moelab.nn.LearnedPositionalEmbedding;
import org.moelab.nn.Linear;
import org.moelab.nn.LinearAttention;
import org.moelab.nn.MultiHeadAttention;
import org.moelab.nn.RMSNorm;
import org.moelab.report.ExperimentReport;
import org.moelab.report.MeanSd;
import org.moelab.report.ResultsTable;
import org.moelab.report.Verdict;
import org.moelab.tensor.GradMode;
import org.moelab.tensor.Losses;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.LearningRateSchedule;
import org.moelab.train.Run;
import org.moelab.train.RunStatus;
import org.moelab.train.Trainer;
import org.moelab.viz.Better;
import org.moelab.viz.ChartStyle;
import org.moelab.viz.Curves;
import org.moelab.viz.HeatMaps;
import org.moelab.viz.Sweeps;

/**
 * MoM's memory-interference claim on multi-query associative recall (our CPU-scale analogue, plan A16 of the
 * notes: the paper itself has no MQAR run). Every arm is the same two-block {@link CausalTransformer}; only the
 * token mixer differs. Each arm trains on the same data order (a mix of pair counts) and is scored by query
 * accuracy for each number of pairs P on fixed held-out sequences.
 */
public final class MomExperiment {
    /** The arms of the plan; the oracle is our diagnostic, not the paper's. */
    public enum Arm {
        ATTENTION("softmax attention"),
        LINEAR_ATTENTION("linear attention (1 memory)"),
        GATED_DELTANET("Gated DeltaNet (1 memory)"),
        MOM("MoM (4 mem, top-2, shared)"),
        GDN_EXPANDED("Gated DeltaNet, d_v×3 (same activated state)"),
        MOM_NO_SHARED("MoM w/o shared memory"),
        MOM_NO_AUX("MoM aux = 0"),
        MOM_ORACLE("MoM oracle routing (ours)");

        public final String label;

        Arm(String label) {
            this.label = label;
        }

        public boolean isMoM() {
            return name().startsWith("MOM");
        }
    }

    /** One trained arm: accuracy per P and the bookkeeping the notebook prints. */
    public record ArmResult(Arm arm, long seed, Map<Integer, Double> accuracy, long parameters, long activatedState,
                            double[] tokenShare, double queryHitRate, double[] hitRatePerLayer, double chanceHitRate, double finalLoss,
                            double seconds, Run run, CausalTransformer model) implements ExperimentRunner.ArmRun<Arm> {
        public double accuracyAt(int pairs) {
            Double a = accuracy.get(pairs);
            return a == null ? Double.NaN : a;
        }
    }

    /** How much higher MoM's accuracy must be to count as better (evaluation noise is about ±0.02 at 1k queries). */
    public static final double MARGIN = 0.02;

    private final MomSettings settings;
    private final Mqar task;
    private final float gdnInitStd;

    public MomExperiment(MomSettings settings) {
        this(settings, GatedDeltaNet.INIT_STD);
    }

    /**
     * @param gdnInitStd init std of the Gated DeltaNet and MoM layers' projections and convs
     *                   ({@link GatedDeltaNet#INIT_STD}, fla's; 0 = the pre-issue-13 PyTorch-default init, kept
     *                   to reproduce the "before" column of papers/mom.md)
     */
    public MomExperiment(MomSettings settings, float gdnInitStd) {
        this.settings = settings;
        this.gdnInitStd = gdnInitStd;
        this.task = new Mqar(settings.vocab(), settings.length());
        for (int p : settings.trainPairs()) task.requirePairs(p);
        for (int p : settings.testPairs()) task.requirePairs(p);
    }

    public MomSettings settings() {
        return settings;
    }

    public Mqar task() {
        return task;
    }

    /**
     * Builds one arm's model for a seed: the {@link CausalTransformer} with RMSNorm, no FFN (unless {@code mlpHidden}),
     * no head bias, and the arm's token mixer in every block; learned positions for softmax attention only (the
     * recurrent mixers see order through their recurrence). Same embedding, blocks and head for every arm: one
     * stream, in the order embedding, positions, per block its mixer then its MLP, head.
     */
    public CausalTransformer model(Arm arm, long seed) {
        MomSettings s = settings;
        int d = s.dModel();
        Rng rng = new Rng(seed).fork("init");
        Embedding embed = new Embedding(s.vocab(), d, rng);
        Layer positions = arm == Arm.ATTENTION ? new LearnedPositionalEmbedding(s.length(), d, rng) : null;
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int i = 0; i < s.layers(); i++) {
            Layer mixer = mixer(arm, i, rng);
            Layer mlp = s.mlpHidden() > 0 ? new FeedForward(d, s.mlpHidden(), FeedForward.Activation.GELU, rng) : null;
            blocks.add(new DecoderBlock(d, new RMSNorm(d), mixer, mlp == null ? null : new RMSNorm(d), mlp, 0f));
        }
        return new CausalTransformer(embed, positions, blocks, new RMSNorm(d), new Linear(d, s.vocab(), false, rng), s.length());
    }

    /**
     * The MQAR objective: mean cross-entropy at the query positions plus every MoM layer's weighted balance loss, in
     * {@code pass} (MoM's routing draws no randomness: an evaluation pass serves training too). {@code forced}
     * (or null): the oracle's memory per token, handed to the MoM layers as the pass's labels.
     */
    public static Tensor loss(CausalTransformer model, Mqar.Batch b, int[] forced, RoutingContext pass) {
        RoutingContext p = forced == null ? pass : pass.withLabels(forced);
        Tensor ce = Losses.crossEntropy(model.logitsAt(model.hidden(b.inputs(), b.rows(), b.length(), p), b.queryPositions()), b.queryTargets());
        for (MoM m : model.sublayers(MoM.class)) ce = ce.add(m.balanceLoss(p));
        return ce;
    }

    private Layer mixer(Arm arm, int layer, Rng rng) {
        MomSettings s = settings;
        int d = s.dModel(), h = s.heads(), dk = s.headDim();
        MoM.Builder mom = MoM.builder().dModel(d).heads(h).headDim(dk).memories(s.memories()).topK(s.topK()).initStd(gdnInitStd)
                .routerInput(s.routerInput()).rng(rng);
        return switch (arm) {
            case ATTENTION -> new MultiHeadAttention(d, 2, true, false, rng);
            case LINEAR_ATTENTION -> new LinearAttention(d, h, dk, dk, DeltaRule.FeatureMap.ELU_PLUS_ONE, true, rng);
            case GATED_DELTANET -> new GatedDeltaNet(d, h, dk, dk, gdnInitStd, rng);
            // top-k routed + shared memory activate (k+1) memories: one memory with d_v enlarged that many times.
            case GDN_EXPANDED -> new GatedDeltaNet(d, h, dk, dk * (s.topK() + 1), gdnInitStd, rng);
            case MOM -> mom.build();
            case MOM_NO_SHARED -> mom.sharedMemory(false).build();
            case MOM_NO_AUX -> mom.auxWeight(0f).build();
            case MOM_ORACLE -> mom.auxWeight(0f).build();
        };
    }

    /** Activated recurrent state per token and layer, in floats (attention: its KV cache at the full length). */
    public long activatedState(Arm arm) {
        MomSettings s = settings;
        long one = (long) s.heads() * s.headDim() * s.headDim();
        return switch (arm) {
            case ATTENTION -> 2L * s.length() * s.dModel();
            case LINEAR_ATTENTION, GATED_DELTANET -> one;
            case GDN_EXPANDED -> one * (s.topK() + 1);
            case MOM, MOM_NO_AUX -> one * (s.topK() + 1);
            case MOM_NO_SHARED -> one * s.topK();
            case MOM_ORACLE -> one * 2;
        };
    }

    /**
     * The oracle's memory for each position: a hash of the key the position is about, the token itself when it is
     * a key, else the previous token (so a value lands in its key's memory and a query reads from it).
     */
    public int[] oracleMemories(int[] tokens, int rows, int length) {
        int[] out = new int[tokens.length];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                int i = r * length + t;
                int key = task.isKey(tokens[i]) || t == 0 ? tokens[i] : tokens[i - 1];
                out[i] = Math.floorMod(key * 0x9E3779B1, settings.memories());
            }
        }
        return out;
    }

    /** Trains one arm on the shared data order and evaluates it. */
    public ArmResult runArm(Arm arm, long seed) {
        MomSettings s = settings;
        CausalTransformer model = model(arm, seed);
        AdamW optimizer = AdamW.builder(model).learningRate(s.learningRate()).weightDecay(0.1f).build();
        Rng data = new Rng(seed).fork("mqar-train");
        boolean oracle = arm == Arm.MOM_ORACLE;
        double[] lastLoss = {Double.NaN};
        Run run = Trainer.builder(model, step -> task.generate(s.batch(), s.trainPairs(), data.fork("step-" + step)),
                        (Mqar.Batch b, org.moelab.train.StepContext ctx) -> {
                            Tensor loss = loss(model, b, oracle ? oracleMemories(b.inputs(), b.rows(), b.length()) : null, RoutingContext.evaluation());
                            lastLoss[0] = loss.item();
                            return loss;
                        })
                .label(arm.label + " seed " + seed)
                .steps(s.steps()).seed(seed).optimizer(optimizer)
                .schedule(LearningRateSchedule.cosine(s.learningRate(), LearningRateSchedule.fivePercentWarmup(s.steps()), s.steps(), 0f))
                .clipNorm(1f)
                .tokensPerBatch(b -> b.rows() * b.length())
                .fit();
        if (run.status() == RunStatus.INTERRUPTED) {
            // Stopped by the user: keep the model and its run at once, evaluate nothing.
            return new ArmResult(arm, seed, Map.of(), model.numParameters(), activatedState(arm), new double[0], Double.NaN, new double[0],
                    chanceHitRate(arm), lastLoss[0], run.wallSeconds(), run, model);
        }
        Map<Integer, Double> accuracy = new LinkedHashMap<>();
        double[] share = new double[0], hitPerLayer = new double[0];
        double hit = Double.NaN;
        for (int p : s.testPairs()) {
            Evaluation e = evaluate(model, arm, p);
            accuracy.put(p, e.accuracy);
            if (p == s.largestPairs() && arm.isMoM()) {
                share = e.share;
                hit = e.hitRate;
                hitPerLayer = e.hitPerLayer;
            }
        }
        return new ArmResult(arm, seed, accuracy, model.numParameters(), activatedState(arm), share, hit, hitPerLayer, chanceHitRate(arm),
                lastLoss[0], run.wallSeconds(), run, model);
    }

    /** P(two tokens' top-k sets share a memory) under uniform random routing: 1 − C(M−k, k)/C(M, k). */
    public double chanceHitRate(Arm arm) {
        if (!arm.isMoM()) return Double.NaN;
        int m = settings.memories(), k = arm == Arm.MOM_ORACLE ? 1 : settings.topK();
        return 1 - binomial(m - k, k) / binomial(m, k);
    }

    private static double binomial(int n, int k) {
        if (k < 0 || k > n) return 0;
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }

    private record Evaluation(double accuracy, double[] share, double hitRate, double[] hitPerLayer) {}

    /**
     * Query accuracy on fixed held-out sequences with P pairs (the same for every arm and seed), and for MoM the
     * per-memory token share and the rate at which a query is routed to a memory that its key's value was written
     * to (averaged over layers).
     */
    private Evaluation evaluate(CausalTransformer model, Arm arm, int pairs) {
        MomSettings s = settings;
        model.eval();
        int correct = 0, total = 0, hits = 0, queries = 0;
        List<MoM> moms = model.sublayers(MoM.class);
        int layers = moms.size();
        int[] layerHits = new int[layers], layerQueries = new int[layers];
        double[] share = new double[s.memories()];
        int chunks = 0;
        try (var scope = GradMode.noGrad()) {
            Rng rng = new Rng(7919L * pairs).fork("mqar-eval");
            for (int done = 0; done < s.evalRows(); done += 64) {
                int rows = Math.min(64, s.evalRows() - done);
                Mqar.Batch b = task.generate(rows, pairs, rng);
                int[] pos = b.queryPositions(), targets = b.queryTargets();
                int[] forced = arm == Arm.MOM_ORACLE ? oracleMemories(b.inputs(), rows, b.length()) : null;
                RoutingContext pass = forced == null ? RoutingContext.evaluation() : RoutingContext.evaluation().withLabels(forced);
                Tensor logits = model.logitsAt(model.hidden(b.inputs(), rows, b.length(), pass), pos);
                for (int i = 0; i < pos.length; i++) if (argmax(logits, i) == targets[i]) correct++;
                total += pos.length;
                for (int li = 0; li < layers; li++) {
                    MoM mom = moms.get(li);
                    Routing routing = pass.recorder().of(mom);
                    double[] sh = MoM.tokenShare(routing);
                    for (int m = 0; m < sh.length; m++) share[m] += sh[m];
                    int[][] sel = MoM.selection(routing);
                    for (int q : pos) {
                        int write = valuePositionOf(b, q, pairs);
                        if (write < 0) continue;
                        queries++;
                        layerQueries[li]++;
                        if (overlap(sel[q], sel[write])) {
                            hits++;
                            layerHits[li]++;
                        }
                    }
                }
                chunks++;
            }
        } finally {
            model.train();
        }
        for (int m = 0; m < share.length; m++) share[m] /= Math.max(1, chunks * layers);
        double[] perLayer = new double[layers];
        for (int li = 0; li < layers; li++) perLayer[li] = layerQueries[li] == 0 ? Double.NaN : (double) layerHits[li] / layerQueries[li];
        return new Evaluation((double) correct / Math.max(1, total), share, queries == 0 ? Double.NaN : (double) hits / queries, perLayer);
    }

    /** Flat position of the value that follows the queried key in the context (where the pair was written). */
    private static int valuePositionOf(Mqar.Batch b, int query, int pairs) {
        int row = query / b.length(), key = b.inputs()[query];
        for (int i = 0; i < pairs; i++) if (b.inputs()[row * b.length() + 2 * i] == key) return row * b.length() + 2 * i + 1;
        return -1;
    }

    private static boolean overlap(int[] a, int[] b) {
        for (int x : a) for (int y : b) if (x == y) return true;
        return false;
    }

    private static int argmax(Tensor logits, int row) {
        int v = logits.size(1), best = 0;
        float[] d = logits.data();
        for (int j = 1; j < v; j++) if (d[row * v + j] > d[row * v + best]) best = j;
        return best;
    }

    /** Every arm for every seed, in a fixed order; stops early (keeping what finished) on an interrupt. */
    public List<ArmResult> runAll() {
        return ExperimentRunner.seedsTimesArms(settings.seeds(), settings.arms(), this::runArm);
    }

    // ---------------------------------------------------------------- tables and verdict

    /** One row per arm and seed: parameters, activated state per layer, accuracy per P, seconds. */
    public ResultsTable table(List<ArmResult> results) {
        List<String> cols = new ArrayList<>(List.of("arm", "seed", "parameters", "activated state / layer"));
        for (int p : settings.testPairs()) cols.add(accuracyColumn(p));
        cols.add("query→key-memory hit");
        for (int l = 1; l <= settings.layers(); l++) cols.add("hit layer " + l);
        cols.add("seconds");
        ResultsTable.Builder b = ResultsTable.builder(cols);
        for (ArmResult r : results) {
            List<Object> row = new ArrayList<>(List.of(r.arm().label, (int) r.seed(), r.parameters(), r.activatedState()));
            for (int p : settings.testPairs()) row.add(r.accuracyAt(p));
            row.add(Double.isNaN(r.queryHitRate()) ? null : r.queryHitRate());
            for (int l = 0; l < settings.layers(); l++) row.add(l < r.hitRatePerLayer().length ? r.hitRatePerLayer()[l] : null);
            row.add(r.seconds());
            b.row(row);
        }
        return b.caption("MQAR query accuracy by number of key-value pairs (V=" + settings.vocab() + ", T=" + settings.length()
                + ", d_k=" + settings.headDim() + ", " + settings.steps() + " steps)").build();
    }

    /** Mean ± sd over seeds per arm. */
    public ResultsTable summary(List<ArmResult> results) {
        List<String> values = new ArrayList<>();
        for (int p : settings.testPairs()) values.add(accuracyColumn(p));
        return table(results).meanSd(List.of("arm"), values).caption("MQAR query accuracy, mean ± sd over seeds");
    }

    public static String accuracyColumn(int pairs) {
        return "acc P=" + pairs;
    }

    /** Mean accuracy of an arm at P over the seeds present (NaN when the arm did not run). */
    public static double meanAccuracy(List<ArmResult> results, Arm arm, int pairs) {
        return results.stream().filter(r -> r.arm() == arm).mapToDouble(r -> r.accuracyAt(pairs)).average().orElse(Double.NaN);
    }

    /**
     * The claim check, computed from the measured means: at the largest P MoM beats single Gated DeltaNet and
     * single linear attention; MoM's lead over Gated DeltaNet is larger at the largest P than at the smallest;
     * softmax attention stays within 0.05 of the best arm. The oracle's numbers are shown beside it, so a failing
     * learned router can be told apart from a failing mechanism.
     */
    public Verdict verdict(List<ArmResult> results) {
        int lo = settings.smallestPairs(), hi = settings.largestPairs();
        double momHi = meanAccuracy(results, Arm.MOM, hi), gdnHi = meanAccuracy(results, Arm.GATED_DELTANET, hi);
        double laHi = meanAccuracy(results, Arm.LINEAR_ATTENTION, hi), attHi = meanAccuracy(results, Arm.ATTENTION, hi);
        double gapHi = momHi - gdnHi, gapLo = meanAccuracy(results, Arm.MOM, lo) - meanAccuracy(results, Arm.GATED_DELTANET, lo);
        double best = results.stream().mapToDouble(r -> meanAccuracy(results, r.arm(), hi)).filter(Double::isFinite).max().orElse(Double.NaN);
        String p = "P=" + hi;
        Verdict.Builder v = Verdict.claim("At equal per-memory size, routed memories (MoM) recall more pairs than one memory, the gap grows with P, and softmax attention stays near the top")
                .measured("MoM acc " + p, momHi).measured("GDN acc " + p, gdnHi).measured("LinAttn acc " + p, laHi)
                .measured("MoM−GDN gap P=" + lo, gapLo).measured("MoM−GDN gap " + p, gapHi)
                .measured("attention acc " + p, attHi).measured("best arm acc " + p, best)
                .measured("oracle MoM acc " + p, meanAccuracy(results, Arm.MOM_ORACLE, hi))
                .measured("expanded GDN acc " + p, meanAccuracy(results, Arm.GDN_EXPANDED, hi));
        // A margin of MARGIN so that a win inside the evaluation noise (a few hundred queries) does not count.
        v.require("MoM acc " + p + " ≥ GDN acc " + p + " + " + MARGIN, momHi >= gdnHi + MARGIN)
                .require("MoM acc " + p + " ≥ LinAttn acc " + p + " + " + MARGIN, momHi >= laHi + MARGIN)
                .lessThan("MoM−GDN gap P=" + lo, "MoM−GDN gap " + p)
                .require("attention acc " + p + " ≥ best arm acc " + p + " − 0.05", attHi >= best - 0.05);
        return v.build();
    }

    // ---------------------------------------------------------------- charts and report

    /** Every chart of this study (and of MoM's decoding cost, {@link MomDecoding}) gives an arm the same colour. */
    static final ChartStyle ARM_COLOURS = ChartStyle.HOUSE.withArms(java.util.Arrays.stream(Arm.values()).map(a -> a.label).toList());


    /** Accuracy against P, one line per arm (means over seeds, ± sd when several seeds ran). */
    public Chart<?, ?> accuracyChart(List<ArmResult> results) {
        List<Integer> ps = java.util.Arrays.stream(settings.testPairs()).boxed().toList();
        Sweeps.Builder b = Sweeps.builder("MQAR recall: query accuracy vs key-value pairs").style(ARM_COLOURS).parameter("pairs P", ps).yTitle("query accuracy", Better.HIGHER);
        for (Arm arm : settings.arms()) {
            if (results.stream().noneMatch(r -> r.arm() == arm)) continue;
            double[] mean = new double[ps.size()], sd = new double[ps.size()];
            for (int i = 0; i < ps.size(); i++) {
                int p = ps.get(i);
                double[] v = results.stream().filter(r -> r.arm() == arm).mapToDouble(r -> r.accuracyAt(p)).toArray();
                MeanSd m = MeanSd.of(v);
                mean[i] = m.mean();
                sd[i] = Double.isFinite(m.sd()) ? m.sd() : 0;
            }
            if (java.util.Arrays.stream(mean).allMatch(Double::isNaN)) continue; // interrupted before its evaluation
            b.add(arm.label, mean, sd);
        }
        return b.build();
    }

    /** Per-memory share of routed slots for each MoM arm (first seed, evaluation at the largest P). */
    public Chart<?, ?> shareHeatMap(List<ArmResult> results) {
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (ArmResult r : ExperimentRunner.firstSeed(results)) {
            if (r.tokenShare().length == 0) continue;
            rows.add(r.tokenShare());
            labels.add(r.arm().label);
        }
        if (rows.isEmpty()) rows.add(new double[settings.memories()]);
        if (labels.isEmpty()) labels.add("(no MoM arm ran)");
        List<String> cols = new ArrayList<>();
        for (int m = 0; m < settings.memories(); m++) cols.add("memory " + m);
        return HeatMaps.builder("Router token share per memory (evaluation, P=" + settings.largestPairs() + ")", rows.toArray(new double[0][]))
                .rowLabels(labels).columnLabels(cols).rowTitle("arm").columnTitle("memory").valuePattern("0.00").range(0, 1).build();
    }

    /** Training loss per arm (first seed). */
    public Chart<?, ?> lossChart(List<ArmResult> results) {
        Curves.Builder b = Curves.builder("Training loss (first seed)").style(ARM_COLOURS).xTitle("step").yTitle("cross-entropy at query positions (nats)", Better.LOWER).smoothing(0.9);
        for (ArmResult r : ExperimentRunner.firstSeed(results)) b.add(r.arm().label, r.run().history().stepNumbers(), r.run().history().losses());
        return b.build();
    }

    /** Tables, charts and the verdict of a finished run. */
    public ExperimentReport report(List<ArmResult> results) {
        Map<String, ResultsTable> tables = new LinkedHashMap<>();
        tables.put("summary", summary(results));
        tables.put("runs", table(results));
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        if (results.stream().anyMatch(r -> !r.accuracy().isEmpty())) charts.put("accuracy", accuracyChart(results));
        charts.put("share", shareHeatMap(results));
        charts.put("loss", lossChart(results));
        return new ExperimentReport("MoM: memory interference on MQAR (" + settings.steps() + " steps, " + settings.seeds().size() + " seed"
                + (settings.seeds().size() == 1 ? "" : "s") + ")", tables, charts, verdict(results));
    }

    /** {@code %moe reproduce mom [--full]}. */
    public static ExperimentReport reproduce(Preset preset) {
        MomExperiment experiment = new MomExperiment(MomSettings.of(preset));
        return experiment.report(experiment.runAll());
    }

    /** A one-line summary per arm, for logs. */
    public String describe(ArmResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-44s seed %d  params %,d  state %,d  ", r.arm().label, r.seed(), r.parameters(), r.activatedState()));
        r.accuracy().forEach((p, a) -> sb.append(String.format(Locale.ROOT, "P=%d %.3f  ", p, a)));
        if (r.arm().isMoM()) sb.append(String.format(Locale.ROOT, "hit %.2f %s (chance %.2f)  share %s  ", r.queryHitRate(),
                java.util.Arrays.toString(round(r.hitRatePerLayer())), r.chanceHitRate(), java.util.Arrays.toString(round(r.tokenShare()))));
        return sb.append(String.format(Locale.ROOT, "loss %.3f  %.1fs", r.finalLoss(), r.seconds())).toString();
    }

    private static double[] round(double[] x) {
        double[] o = new double[x.length];
        for (int i = 0; i < x.length; i++) o[i] = Math.round(x[i] * 100) / 100.0;
        return o;
    }
}
