package org.moelab.tensor;

/** Softmax and log-softmax over the last axis. */
public final class Softmax {
    private Softmax() {}

    public static Tensor softmax(Tensor x) {
        return rows(x, false);
    }

    public static Tensor logSoftmax(Tensor x) {
        return rows(x, true);
    }

    private static Tensor rows(Tensor x, boolean log) {
        if (x.rank() == 0) throw new IllegalArgumentException((log ? "logSoftmax" : "softmax") + ": needs rank >= 1, got a scalar");
        int cols = x.size(-1), rows = x.numel() / Math.max(cols, 1);
        Tensor out = Tensor.zeros(x.shape());
        Kernels.current().softmax(x.data, rows, cols, log, false, out.data);
        if (!Tensor.anyRequiresGrad(x)) return out;
        return out.recordedBy(new Node(log ? "logSoftmax" : "softmax", x) {
            @Override
            void backward(float[] gy) {
                Kernels.current().softmaxBackward(out.data, gy, rows, cols, log, x.gradBuffer());
            }
        });
    }
}
