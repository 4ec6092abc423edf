package org.moelab.tensor;

/** Depthwise causal 1-D convolution (the short convolution of Gated DeltaNet / MoM). */
public final class Convolution {
    private Convolution() {}

    /** y[b,t,c] = Σ_j w[c,j]·x[b, t-W+1+j, c] over x [batch, time, channels] and w [channels, W]. */
    public static Tensor causalDepthwiseConv1d(Tensor x, Tensor w) {
        Shapes.requireRank("causalConv1d", "x", x, 3);
        Shapes.requireRank("causalConv1d", "w", w, 2);
        int[] s = x.shape();
        if (w.size(0) != s[2]) throw new IllegalArgumentException("causalConv1d: w " + Shapes.str(w.shape()) + " needs one row per channel of x " + Shapes.str(s));
        int width = w.size(1);
        Tensor out = Tensor.zeros(s);
        Kernels.current().causalConv1d(x.data, w.data, s[0], s[1], s[2], width, out.data);
        if (!Tensor.anyRequiresGrad(x, w)) return out;
        return out.recordedBy(new Node("causalConv1d", x, w) {
            @Override
            void backward(float[] gy) {
                Kernels.current().causalConv1dBackward(x.data, w.data, gy, s[0], s[1], s[2], width,
                        needs(0) ? x.gradBuffer() : null, needs(1) ? w.gradBuffer() : null);
            }
        });
    }
}
