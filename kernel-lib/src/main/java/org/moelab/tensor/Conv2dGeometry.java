package org.moelab.tensor;

/**
 * Sizes of one {@link Convolution#conv2d} call and the layout changes around its GEMM.
 *
 * <p>Why im2col into rows: every output position (n, oy, ox) becomes one row of C·k·k input values, so the whole
 * batch is a single [N·OH·OW, C·k·k] × [C·k·k, O] product (one large GEMM beats N small ones through JNI), and
 * the backward is two more GEMMs plus the scatter-add of {@link #col2imAccumulate}.
 */
final class Conv2dGeometry {
    final int batch, inChannels, height, width, outChannels, kernel, stride, padding, outHeight, outWidth;

    private Conv2dGeometry(int[] x, int[] w, int stride, int padding) {
        this.batch = x[0];
        this.inChannels = x[1];
        this.height = x[2];
        this.width = x[3];
        this.outChannels = w[0];
        this.kernel = w[2];
        this.stride = stride;
        this.padding = padding;
        this.outHeight = (height + 2 * padding - kernel) / stride + 1;
        this.outWidth = (width + 2 * padding - kernel) / stride + 1;
    }

    static Conv2dGeometry of(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        if (x == null || weight == null) throw new IllegalArgumentException("conv2d: x and weight must not be null");
        Shapes.requireRank("conv2d", "x", x, 4);
        Shapes.requireRank("conv2d", "weight", weight, 4);
        int[] xs = x.shape(), ws = weight.shape();
        if (stride < 1) throw new IllegalArgumentException("conv2d: stride must be >= 1, got " + stride);
        if (padding < 0) throw new IllegalArgumentException("conv2d: padding must be >= 0, got " + padding);
        if (ws[2] != ws[3]) throw new IllegalArgumentException("conv2d: weight must be [out, in, k, k] with a square kernel, got " + Shapes.str(ws));
        if (ws[1] != xs[1]) {
            throw new IllegalArgumentException("conv2d: weight " + Shapes.str(ws) + " expects " + ws[1] + " input channels but x " + Shapes.str(xs) + " has " + xs[1]);
        }
        if (bias != null && (bias.rank() != 1 || bias.size(0) != ws[0])) {
            throw new IllegalArgumentException("conv2d: bias must be [" + ws[0] + "] (one per output channel), got " + Shapes.str(bias.shape()));
        }
        if (xs[2] + 2 * padding < ws[2] || xs[3] + 2 * padding < ws[2]) {
            throw new IllegalArgumentException("conv2d: kernel " + ws[2] + " is larger than the padded input " + Shapes.str(xs) + " with padding " + padding);
        }
        return new Conv2dGeometry(xs, ws, stride, padding);
    }

    /** Output positions over the batch: the GEMM's row count. */
    int positions() {
        return batch * outHeight * outWidth;
    }

    /** Values in one receptive field, ordered (channel, ky, kx) like a weight row. */
    int patch() {
        return inChannels * kernel * kernel;
    }

    /** columns [N·OH·OW, C·k·k]; positions outside the image read the zero padding. */
    float[] im2col(float[] x) {
        float[] columns = new float[positions() * patch()];
        forEachTap((column, source) -> columns[column] = x[source]);
        return columns;
    }

    /** x-gradient += the inverse scatter of im2col: each column entry adds back to the pixel it read. */
    void col2imAccumulate(float[] gColumns, float[] gx) {
        forEachTap((column, source) -> gx[source] += gColumns[column]);
    }

    /** rows [N·OH·OW, O] (+ bias) to images [N, O, OH, OW]. */
    float[] rowsToImages(float[] rows, float[] bias) {
        int plane = outHeight * outWidth;
        float[] out = new float[rows.length];
        for (int n = 0; n < batch; n++) {
            for (int p = 0; p < plane; p++) {
                int row = (n * plane + p) * outChannels;
                for (int o = 0; o < outChannels; o++) {
                    out[(n * outChannels + o) * plane + p] = rows[row + o] + (bias == null ? 0f : bias[o]);
                }
            }
        }
        return out;
    }

    /** images [N, O, OH, OW] to rows [N·OH·OW, O]: the inverse of {@link #rowsToImages} without bias. */
    float[] imagesToRows(float[] images) {
        int plane = outHeight * outWidth;
        float[] rows = new float[images.length];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                int src = (n * outChannels + o) * plane;
                for (int p = 0; p < plane; p++) rows[(n * plane + p) * outChannels + o] = images[src + p];
            }
        }
        return rows;
    }

    private interface Tap {
        void apply(int column, int source);
    }

    /** Visits every (column entry, input pixel) pair of im2col that lies inside the image. */
    private void forEachTap(Tap tap) {
        int patch = patch();
        for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    int rowStart = ((n * outHeight + oy) * outWidth + ox) * patch;
                    for (int c = 0; c < inChannels; c++) {
                        int plane = (n * inChannels + c) * height;
                        for (int ky = 0; ky < kernel; ky++) {
                            int iy = oy * stride - padding + ky;
                            if (iy < 0 || iy >= height) continue;
                            int column = rowStart + (c * kernel + ky) * kernel;
                            int source = (plane + iy) * width;
                            for (int kx = 0; kx < kernel; kx++) {
                                int ix = ox * stride - padding + kx;
                                if (ix >= 0 && ix < width) tap.apply(column + kx, source + ix);
                            }
                        }
                    }
                }
            }
        }
    }
}
