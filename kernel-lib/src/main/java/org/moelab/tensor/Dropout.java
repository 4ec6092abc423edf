package org.moelab.tensor;

/** Inverted dropout with a seeded mask: kept values are scaled by 1/(1-p), so evaluation needs no rescaling. */
public final class Dropout {
    private Dropout() {}

    public static Tensor dropout(Tensor x, float p, Rng rng, boolean training) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        if (!training || p == 0) return x;
        int n = x.numel();
        float[] mask = ArrayCache.ofThread().zeroed(n);
        float keep = 1f / (1 - p);
        for (int i = 0; i < n; i++) mask[i] = rng.nextDouble() < p ? 0f : keep;
        Tensor out = Tensor.zeros(x.shape());
        for (int i = 0; i < n; i++) out.data[i] = x.data[i] * mask[i];
        if (!Tensor.anyRequiresGrad(x)) {
            ArrayCache.ofThread().giveBack(mask);
            return out;
        }
        return out.recordedBy(new Node("dropout", x) {
            @Override
            void backward(float[] gy) {
                float[] g = x.gradBuffer();
                for (int i = 0; i < n; i++) g[i] += gy[i] * mask[i];
                ArrayCache.ofThread().giveBack(mask);
            }
        });
    }
}
