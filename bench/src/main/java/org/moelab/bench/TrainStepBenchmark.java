package org.moelab.bench;

import java.util.Locale;
import java.util.Map;
import org.moelab.models.CausalTransformer;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;
import org.moelab.train.AdamW;
import org.moelab.train.Optimizer;

/**
 * One training step (zero grads, forward, next-token cross-entropy, backward, AdamW) of a 2-layer causal
 * transformer LM, on one fixed random batch so that only the step is timed. bench/pytorch/train_step.py builds
 * the same architecture (pre-norm, GELU-tanh FFN 4x, learned positions, untied bias-free head) and the same
 * optimizer; both sides record their parameter count so the report can show they agree.
 */
final class TrainStepBenchmark {
    record Config(String name, int layers, int dModel, int heads, int time, int batch, int vocab) {
        String size() {
            return "d" + dModel + " T" + time + " B" + batch;
        }

        /** Matmul FLOPs of one step: 3x the forward's (each forward GEMM has two backward GEMMs). */
        double flops() {
            double tokens = (double) batch * time;
            double perLayer = 2 * tokens * (4.0 * dModel * dModel + 2.0 * dModel * 4 * dModel)
                    + 2 * 2.0 * batch * time * time * dModel;
            return 3 * (layers * perLayer + 2 * tokens * dModel * vocab);
        }
    }

    static final Config SMALL = new Config("lm-small", 2, 64, 4, 64, 32, 128);
    static final Config LARGE = new Config("lm-large", 2, 256, 4, 128, 32, 128);

    private final Config c;

    TrainStepBenchmark(Config config) {
        this.c = config;
    }

    static TrainStepBenchmark small() {
        return new TrainStepBenchmark(SMALL);
    }

    static TrainStepBenchmark large() {
        return new TrainStepBenchmark(LARGE);
    }

    /** A model, its optimizer and one batch: what a step needs. */
    static final class Setup {
        final CausalTransformer model;
        final Optimizer optimizer;
        final int[] tokens, targets;
        final Config c;

        Setup(Config c) {
            this.c = c;
            model = CausalTransformer.builder().vocab(c.vocab()).dModel(c.dModel()).heads(c.heads())
                    .layers(c.layers()).maxLen(c.time()).seed(7).build();
            optimizer = AdamW.builder(model).learningRate(1e-3f).weightDecay(0.01f).build();
            // One sequence of time+1 tokens per row: inputs are its first `time`, targets its last `time`.
            Rng rng = new Rng(11);
            tokens = new int[c.batch() * c.time()];
            targets = new int[c.batch() * c.time()];
            for (int b = 0; b < c.batch(); b++) {
                int prev = rng.nextInt(c.vocab());
                for (int t = 0; t < c.time(); t++) {
                    int next = rng.nextInt(c.vocab());
                    tokens[b * c.time() + t] = prev;
                    targets[b * c.time() + t] = next;
                    prev = next;
                }
            }
        }

        float step() {
            optimizer.zeroGrad();
            Tensor loss = model.loss(tokens, targets, c.batch(), c.time());
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }

    void run(Harness harness, Map<String, String> info) {
        Setup s = new Setup(c);
        info.put("ours." + c.name() + ".parameters", Long.toString(s.model.numParameters()));
        info.put("ours." + c.name() + ".first_loss", String.format(Locale.ROOT, "%.4f", s.step()));
        harness.measure("train step " + c.name(), c.size(), c.flops(), Harness.Settings.TRAIN_STEP, s::step);
    }
}
