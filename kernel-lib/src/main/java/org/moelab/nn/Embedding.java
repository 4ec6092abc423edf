package org.moelab.nn;

import org.moelab.tensor.Indexing;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** Token embedding: rows of a [vocab, dim] table, initialised N(0, 1) as in PyTorch. */
public final class Embedding extends Module {
    private final int vocab, dim;
    private final Tensor weight;

    public Embedding(int vocab, int dim, Rng rng) {
        this.vocab = Require.positive("Embedding", "vocab", vocab);
        this.dim = Require.positive("Embedding", "dim", dim);
        Require.notNull("Embedding", "rng", rng);
        this.weight = registerParameter("weight", Tensor.randn(rng, vocab, dim));
    }

    /** Embeddings of {@code ids} laid out as {@code idShape}; the result has shape [idShape..., dim]. */
    public Tensor forward(int[] ids, int... idShape) {
        Require.notNull("Embedding", "ids", ids);
        for (int id : ids) {
            if (id < 0 || id >= vocab) throw new IllegalArgumentException("Embedding: token id " + id + " is out of range [0, " + vocab + ")");
        }
        return Indexing.embedding(weight, ids, idShape.length == 0 ? new int[] {ids.length} : idShape);
    }

    public Tensor weight() {
        return weight;
    }

    public int vocab() {
        return vocab;
    }

    public int dim() {
        return dim;
    }
}
