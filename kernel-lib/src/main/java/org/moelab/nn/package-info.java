/**
 * Neural-network building blocks on the {@link org.moelab.tensor} autograd: {@link org.moelab.nn.Module} (named
 * parameters, nested submodules, train/eval mode, state dicts), {@link org.moelab.nn.Layer} (a module mapping one
 * tensor to another), and the layers a transformer is made of: {@link org.moelab.nn.Linear},
 * {@link org.moelab.nn.Conv2d} (images), {@link org.moelab.nn.Embedding}, {@link org.moelab.nn.LayerNorm}, {@link org.moelab.nn.RMSNorm},
 * {@link org.moelab.nn.MultiHeadAttention}, {@link org.moelab.nn.FeedForward},
 * positional embeddings, LoRA adapters ({@link org.moelab.nn.LoRAExpert}, {@link org.moelab.nn.LoRALinear}, their files;
 * the routed mixture of them is an expert bank in {@code org.moelab.moe}), and the token mixers of the recall study ({@link org.moelab.nn.LinearAttention},
 * {@link org.moelab.nn.GatedDeltaNet}). Blocks and decoders are assembled from these in {@code org.moelab.models}
 * ({@code DecoderBlock}, {@code CausalTransformer}), where the forward pass's context lives.
 *
 * <p>Parameters are plain leaf {@link org.moelab.tensor.Tensor}s with {@code requiresGrad(true)} (Tensor is final,
 * so there is no Parameter subclass); a module owns them through {@link org.moelab.nn.Module#registerParameter}.
 * Initialisation follows PyTorch's defaults and draws only from the {@link org.moelab.tensor.Rng} a constructor is
 * given, so a seed fixes every weight.
 */
package org.moelab.nn;
