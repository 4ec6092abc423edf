package org.moelab.tensor;

/** Convolutions: the depthwise causal 1-D convolution (Gated DeltaNet / MoM) and the 2-D image convolution. */
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

    /**
     * 2-D cross-correlation as in PyTorch's {@code conv2d}: x [N, C, H, W], weight [O, C, k, k], optional bias [O]
     * (null for none), zero padding {@code padding} on every side, step {@code stride}; the output is
     * [N, O, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1]. See {@link Conv2dGeometry} for how it runs (im2col + one GEMM).
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        Conv2dGeometry g = Conv2dGeometry.of(x, weight, bias, stride, padding);
        boolean recording = bias == null ? Tensor.anyRequiresGrad(x, weight) : Tensor.anyRequiresGrad(x, weight, bias);
        float[] columns = g.im2col(x.data);
        float[] rows = ArrayCache.ofThread().zeroed(g.positions() * g.outChannels);
        // rows [N·OH·OW, O] = columns [N·OH·OW, C·k·k] · weightᵀ
        Kernels.current().gemm(false, true, g.positions(), g.outChannels, g.patch(), 1f, columns, 0, weight.data, 0, 0f, rows, 0);
        float[] out = g.rowsToImages(rows, bias == null ? null : bias.data);
        ArrayCache.ofThread().giveBack(rows);
        int[] shape = {g.batch, g.outChannels, g.outHeight, g.outWidth};
        if (!recording) return new Tensor(out, shape);
        Tensor[] inputs = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        return CustomOp.record("conv2d", out, shape, (gy, grads) -> {
            float[] gRows = g.imagesToRows(gy);
            if (grads.needs(1)) {
                // gW [O, C·k·k] += gRowsᵀ · columns
                Kernels.current().gemm(true, false, g.outChannels, g.patch(), g.positions(), 1f, gRows, 0, columns, 0, 1f, grads.of(1), 0);
            }
            if (bias != null && grads.needs(2)) {
                float[] gb = grads.of(2);
                for (int r = 0; r < g.positions(); r++) {
                    for (int o = 0; o < g.outChannels; o++) gb[o] += gRows[r * g.outChannels + o];
                }
            }
            if (grads.needs(0)) {
                float[] gColumns = ArrayCache.ofThread().zeroed(g.positions() * g.patch());
                Kernels.current().gemm(false, false, g.positions(), g.patch(), g.outChannels, 1f, gRows, 0, weight.data, 0, 0f, gColumns, 0);
                g.col2imAccumulate(gColumns, grads.of(0));
                ArrayCache.ofThread().giveBack(gColumns);
            }
        }, inputs);
    }
}
