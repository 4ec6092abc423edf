package org.moelab.tensor;

/** LayerNorm and RMSNorm over the last axis, fused forward and backward. */
public final class Normalization {
    private Normalization() {}

    /** (x - mean)/sqrt(var + eps)·gamma + beta over the last axis. */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        return norm("layerNorm", x, gamma, beta, eps, false);
    }

    /** x/sqrt(mean(x²) + eps)·gamma over the last axis. */
    public static Tensor rmsNorm(Tensor x, Tensor gamma, float eps) {
        return norm("rmsNorm", x, gamma, null, eps, true);
    }

    private static Tensor norm(String op, Tensor x, Tensor gamma, Tensor beta, float eps, boolean rms) {
        int cols = x.size(-1), rows = x.numel() / cols;
        if (gamma.numel() != cols || gamma.rank() != 1) throw new IllegalArgumentException(op + ": gamma must have shape [" + cols + "] for input " + Shapes.str(x.shape()) + ", got " + Shapes.str(gamma.shape()));
        if (beta != null && (beta.numel() != cols || beta.rank() != 1)) throw new IllegalArgumentException(op + ": beta must have shape [" + cols + "] for input " + Shapes.str(x.shape()) + ", got " + Shapes.str(beta.shape()));
        if (!(eps > 0)) throw new IllegalArgumentException(op + ": eps must be > 0, got " + eps);
        Tensor out = Tensor.zeros(x.shape());
        float[] mean = new float[rows], rstd = new float[rows];
        Kernels.current().norm(x.data, gamma.data, beta == null ? null : beta.data, rows, cols, eps, rms, out.data, mean, rstd);
        Tensor[] inputs = beta == null ? new Tensor[] {x, gamma} : new Tensor[] {x, gamma, beta};
        if (!Tensor.anyRequiresGrad(inputs)) return out;
        return out.recordedBy(new Node(op, inputs) {
            @Override
            void backward(float[] gy) {
                Kernels.current().normBackward(x.data, gamma.data, mean, rstd, gy, rows, cols, rms,
                        needs(0) ? x.gradBuffer() : null, needs(1) ? gamma.gradBuffer() : null,
                        beta != null && needs(2) ? beta.gradBuffer() : null);
            }
        });
    }
}
