package org.moelab.nn;

import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/**
 * Class-label embedding with one extra row for the null label (id = numClasses), used for classifier-free
 * guidance. {@link #dropLabels} replaces each label by the null id with probability p (training); the dropped
 * labels are what conditional routing must see. Rows start N(0, 0.02) as in DiT.
 */
public final class LabelEmbedding extends Module {
    private final int numClasses;
    private final Embedding table;

    public LabelEmbedding(int numClasses, int dim, Rng rng) {
        this.numClasses = Require.positive("LabelEmbedding", "numClasses", numClasses);
        Require.positive("LabelEmbedding", "dim", dim);
        Require.notNull("LabelEmbedding", "rng", rng);
        this.table = registerModule("table", new Embedding(numClasses + 1, dim, rng));
        float[] w = table.weight().data();
        for (int i = 0; i < w.length; i++) w[i] *= 0.02f;
    }

    /** The null (unconditional) label id, = numClasses. */
    public int nullLabel() {
        return numClasses;
    }

    public int numClasses() {
        return numClasses;
    }

    /** A copy of labels with each replaced by {@link #nullLabel()} with probability p (CFG label dropout). */
    public int[] dropLabels(int[] labels, float p, Rng rng) {
        Require.notNull("LabelEmbedding", "labels", labels);
        Require.inRange("LabelEmbedding", "label dropout p", p, 0f, 1f);
        Require.notNull("LabelEmbedding", "rng", rng);
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) if (rng.nextDouble() < p) out[i] = numClasses;
        return out;
    }

    /** Embeddings [B, dim]; each label must be in [0, numClasses] (numClasses = null). */
    public Tensor forward(int[] labels) {
        Require.notNull("LabelEmbedding", "labels", labels);
        for (int y : labels) {
            if (y < 0 || y > numClasses) throw new IllegalArgumentException("LabelEmbedding: label " + y + " is out of range [0, " + numClasses + "] (" + numClasses + " = null)");
        }
        return table.forward(labels, labels.length);
    }
}
