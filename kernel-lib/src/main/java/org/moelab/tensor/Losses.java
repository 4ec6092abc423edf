package org.moelab.tensor;

/** Training losses, fused so that their backward is one pass. */
public final class Losses {
    /** Targets equal to this are ignored by {@link #crossEntropy(Tensor, int[])} (PyTorch's default). */
    public static final int IGNORE_INDEX = -100;

    private Losses() {}

    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return crossEntropy(logits, targets, IGNORE_INDEX);
    }

    /**
     * Mean softmax cross-entropy of logits [..., C] against integer targets (one per row), skipping rows whose
     * target is {@code ignoreIndex}. Returns 0 when every row is ignored.
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        if (logits.rank() < 1) throw new IllegalArgumentException("crossEntropy: logits must have rank >= 1");
        int c = logits.size(-1), rows = logits.numel() / c;
        if (targets.length != rows) {
            throw new IllegalArgumentException("crossEntropy: " + targets.length + " targets for logits of shape " + Shapes.str(logits.shape()) + " (" + rows + " rows)");
        }
        int counted = 0;
        for (int t : targets) {
            if (t == ignoreIndex) continue;
            Shapes.requireIndex("crossEntropy", "target", t, c);
            counted++;
        }
        // logp stays private to this op: back to the cache after backward, or at once when nothing is recorded.
        float[] logp = ArrayCache.ofThread().zeroed(logits.numel());
        Kernels.current().softmax(logits.data, rows, c, true, false, logp);
        double total = 0;
        for (int r = 0; r < rows; r++) if (targets[r] != ignoreIndex) total -= logp[r * c + targets[r]];
        final int n = counted;
        Tensor out = Tensor.scalar(n == 0 ? 0f : (float) (total / n));
        if (!Tensor.anyRequiresGrad(logits) || n == 0) {
            ArrayCache.ofThread().giveBack(logp);
            return out;
        }
        return out.recordedBy(new Node("crossEntropy", logits) {
            @Override
            void backward(float[] gy) {
                float scale = gy[0] / n;
                float[] g = logits.gradBuffer();
                // softmax·scale from the saved log-probabilities with the Vector API's exp (a scalar Math.exp
                // per logit was 4% of a training step's samples), rows split over the pool.
                Parallel.forRange(rows, CpuKernels.rowGrain(c), (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        if (targets[r] == ignoreIndex) continue;
                        int off = r * c;
                        VectorMath.addScaledExp(logp, off, scale, g, off, c);
                        g[off + targets[r]] -= scale;
                    }
                });
                ArrayCache.ofThread().giveBack(logp);
            }
        });
    }

    /** Mean squared error, mean((a - b)²). */
    public static Tensor mse(Tensor prediction, Tensor target) {
        Shapes.requireSame("mse", prediction, target);
        int n = prediction.numel();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = prediction.data[i] - target.data[i];
            s += d * d;
        }
        Tensor out = Tensor.scalar((float) (s / n));
        if (!Tensor.anyRequiresGrad(prediction, target)) return out;
        return out.recordedBy(new Node("mse", prediction, target) {
            @Override
            void backward(float[] gy) {
                float scale = 2f * gy[0] / n;
                for (int i = 0; i < n; i++) {
                    float d = scale * (prediction.data[i] - target.data[i]);
                    if (needs(0)) prediction.gradBuffer()[i] += d;
                    if (needs(1)) target.gradBuffer()[i] -= d;
                }
            }
        });
    }
}
