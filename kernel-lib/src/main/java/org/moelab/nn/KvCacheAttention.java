package org.moelab.nn;

import org.moelab.tensor.FloatMath;
import org.moelab.tensor.Rng;

/**
 * Softmax attention in its decoding form: each step appends the token's key and value to a cache and attends over
 * all of it, so time and memory per token grow with the context (2·L·D floats of cache per layer). The baseline
 * of MoM's complexity demonstration; plain loops, one token at a time, H heads of D/H.
 */
public final class KvCacheAttention {
    private final int dModel, heads, dHead;
    private final float[] wq, wk, wv, wo;

    public KvCacheAttention(int dModel, int heads, Rng rng) {
        this.dModel = Require.positive("KvCacheAttention", "dModel", dModel);
        this.heads = Require.positive("KvCacheAttention", "heads", heads);
        if (dModel % heads != 0) throw new IllegalArgumentException("KvCacheAttention: heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
        this.dHead = dModel / heads;
        float bound = (float) (1 / Math.sqrt(dModel));
        wq = uniform(rng, bound);
        wk = uniform(rng, bound);
        wv = uniform(rng, bound);
        wo = uniform(rng, bound);
    }

    private float[] uniform(Rng rng, float bound) {
        float[] w = new float[dModel * dModel];
        for (int i = 0; i < w.length; i++) w[i] = (rng.nextFloat() * 2 - 1) * bound;
        return w;
    }

    /** The cache: keys and values of every past token. */
    public final class Cache {
        float[] keys = new float[16 * dModel], values = new float[16 * dModel];
        int length;

        /** Cache floats in use: 2·L·D. */
        public long floats() {
            return 2L * length * dModel;
        }

        public int length() {
            return length;
        }

        void append(float[] k, float[] v) {
            if ((length + 1) * dModel > keys.length) {
                keys = java.util.Arrays.copyOf(keys, keys.length * 2);
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            System.arraycopy(k, 0, keys, length * dModel, dModel);
            System.arraycopy(v, 0, values, length * dModel, dModel);
            length++;
        }
    }

    public Cache cache() {
        return new Cache();
    }

    /**
     * Fills the cache with {@code length} random key/value rows: the cost of a step depends on the cache length
     * only, so a benchmark need not decode L tokens (O(L²)) to measure the step at context L.
     */
    public void fillRandom(Cache cache, int length, Rng rng) {
        float[] k = new float[dModel], v = new float[dModel];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < dModel; i++) {
                k[i] = (float) rng.nextGaussian();
                v[i] = (float) rng.nextGaussian();
            }
            cache.append(k, v);
        }
    }

    /** One token x [D] → y [D]; appends to the cache. */
    public float[] step(Cache cache, float[] x) {
        float[] q = matvec(wq, x), k = matvec(wk, x), v = matvec(wv, x);
        cache.append(k, v);
        int len = cache.length;
        float[] o = new float[dModel], scores = new float[len];
        float scale = (float) (1 / Math.sqrt(dHead));
        for (int h = 0; h < heads; h++) {
            int off = h * dHead;
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < len; t++) {
                float s = 0;
                int ko = t * dModel + off;
                for (int i = 0; i < dHead; i++) s += q[off + i] * cache.keys[ko + i];
                scores[t] = s * scale;
                max = Math.max(max, scores[t]);
            }
            double sum = 0;
            for (int t = 0; t < len; t++) sum += scores[t] = FloatMath.exp(scores[t] - max);
            for (int t = 0; t < len; t++) {
                float p = (float) (scores[t] / sum);
                int vo = t * dModel + off;
                for (int i = 0; i < dHead; i++) o[off + i] += p * cache.values[vo + i];
            }
        }
        return matvec(wo, o);
    }

    private float[] matvec(float[] w, float[] x) {
        float[] y = new float[dModel];
        for (int r = 0; r < dModel; r++) {
            float s = 0;
            for (int c = 0; c < dModel; c++) s += w[r * dModel + c] * x[c];
            y[r] = s;
        }
        return y;
    }
}
