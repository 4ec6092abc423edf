package org.moelab.tensor;

/** Point-wise functions with a known derivative; kernels implement each forward and backward. */
public enum Unary {
    EXP, LOG, TANH, SIGMOID, RELU,
    /** GELU, tanh approximation (as GPT-2 and {@code torch.nn.GELU(approximate="tanh")}). */
    GELU,
    /** SiLU / swish: x·sigmoid(x). */
    SILU,
    SQRT, NEG, SQUARE, ABS
}
