package org.moelab.nn;

import org.moelab.models.CausalTransformer;
import org.moelab.models.DecoderBlock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.moelab.tensor.Rng;
import org.moelab.tensor.Tensor;

/** Wrong shapes, ranks and arguments fail with a message naming the module, the argument and the shapes. */
class BadInputTest {
    static final Rng RNG = new Rng(1);

    static void fails(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void linearRejectsWrongFeatureCount() {
        Linear l = new Linear(4, 5, RNG);
        fails("Linear(4 -> 5): input's last dimension must be 4 but the input has shape [2, 3]", () -> l.forward(Tensor.zeros(2, 3)));
        fails("Linear: in must be >= 1, got 0", () -> new Linear(0, 5, RNG));
    }

    @Test
    void attentionRejectsWrongRankAndIndivisibleHeads() {
        MultiHeadAttention a = new MultiHeadAttention(8, 2, true, RNG);
        fails("MultiHeadAttention(dModel=8, heads=2, causal): input must have rank [3] but has shape [5, 8]", () -> a.forward(Tensor.zeros(5, 8)));
        fails("MultiHeadAttention(dModel=8, heads=2, causal): input's last dimension must be 8 but the input has shape [1, 5, 6]", () -> a.forward(Tensor.zeros(1, 5, 6)));
        fails("MultiHeadAttention: heads must divide dModel: dModel=64, heads=5", () -> new MultiHeadAttention(64, 5, true, RNG));
    }

    @Test
    void normsAndFeedForwardRejectWrongWidth() {
        fails("LayerNorm(6): input's last dimension must be 6 but the input has shape [2, 4]", () -> new LayerNorm(6).forward(Tensor.zeros(2, 4)));
        fails("RMSNorm(6): input's last dimension must be 6 but the input has shape [2, 4]", () -> new RMSNorm(6).forward(Tensor.zeros(2, 4)));
        fails("RMSNorm: eps must be a finite value > 0, got 0.0", () -> new RMSNorm(6, 0f));
        fails("FeedForward(SWIGLU, dModel=4, hidden=8): input's last dimension must be 4 but the input has shape [3]",
                () -> new FeedForward(4, 8, FeedForward.Activation.SWIGLU, RNG).forward(Tensor.zeros(3)));
        fails("FeedForward: activation (GELU or SWIGLU) must not be null", () -> new FeedForward(4, 8, null, RNG));
    }

    @Test
    void embeddingsAndPositionsRejectOutOfRange() {
        fails("Embedding: token id 5 is out of range [0, 5)", () -> new Embedding(5, 4, RNG).forward(new int[] {1, 5}));
        fails("LearnedPositionalEmbedding(maxLen=4, dim=3): sequence length 6 exceeds maxLen=4 (input shape [1, 6, 3])",
                () -> new LearnedPositionalEmbedding(4, 3, RNG).forward(Tensor.zeros(1, 6, 3)));
        fails("SinCosPositionalEmbedding.twoD: dim must be divisible by 4, got 6", () -> SinCosPositionalEmbedding.twoD(2, 2, 6));
        fails("dropout: p must be in [0, 1), got 1.0", () -> org.moelab.tensor.Dropout.dropout(Tensor.zeros(2), 1f, RNG, true));
    }

    @Test
    void buildersNameTheMissingOrInvalidSetting() {
        fails("CausalTransformer: vocab is required; call vocab(...) with a value >= 1",
                () -> CausalTransformer.builder().dModel(8).heads(2).layers(1).maxLen(4).build());
        fails("CausalTransformer: heads must divide dModel: dModel=10, heads=4",
                () -> CausalTransformer.builder().vocab(5).dModel(10).heads(4).layers(1).maxLen(4).build());
        fails("CausalTransformer: dropout must be in [0.0, 1.0), got -0.1",
                () -> CausalTransformer.builder().vocab(5).dModel(8).heads(2).layers(1).maxLen(4).dropout(-0.1f).build());
        fails("CausalTransformer: heads is required; call heads(...) with a value >= 1", () -> CausalTransformer.builder().vocab(5).dModel(8).layers(1).maxLen(4).build());
        fails("DecoderBlock: dropout must be in [0.0, 1.0), got 1.0",
                () -> new DecoderBlock(8, new LayerNorm(8), new MultiHeadAttention(8, 2, true, RNG), new LayerNorm(8), new FeedForward(8, 8, FeedForward.Activation.GELU, RNG), 1f));
        fails("DecoderBlock: norm2 and ffn are given together or not at all",
                () -> new DecoderBlock(8, new LayerNorm(8), new MultiHeadAttention(8, 2, true, RNG), new LayerNorm(8), null, 0f));
    }

    @Test
    void transformerRejectsWrongTokenCounts() {
        CausalTransformer m = CausalTransformer.builder().vocab(5).dModel(8).heads(2).layers(1).maxLen(4).build();
        fails("CausalTransformer: tokens must hold batch*time = 2*3 = 6 ids, got 5", () -> m.forward(new int[5], 2, 3));
        fails("CausalTransformer: time=5 exceeds maxLen=4", () -> m.forward(new int[5], 1, 5));
        fails("CausalTransformer.loss: targets must hold batch*time = 4 ids, got 3", () -> m.loss(new int[4], new int[3], 1, 4));
    }
}
