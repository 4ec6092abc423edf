/**
 * The autograd engine everything else runs on: {@link org.moelab.tensor.Tensor} (row-major float storage, shape,
 * gradient, the graph {@link org.moelab.tensor.Node}s that backpropagate), the operations grouped by kind
 * ({@link org.moelab.tensor.Elementwise}, {@link org.moelab.tensor.Reductions}, {@link org.moelab.tensor.Softmax},
 * {@link org.moelab.tensor.Indexing} — including the one {@code topK} every router uses —, {@link org.moelab.tensor.Attention},
 * {@link org.moelab.tensor.Convolution}, {@link org.moelab.tensor.Losses} ...), the seeded, forkable random stream
 * {@link org.moelab.tensor.Rng}, and the compute back ends behind {@link org.moelab.tensor.Kernels}
 * ({@link org.moelab.tensor.CpuKernels}: bit-reproducible in any thread count; {@link org.moelab.tensor.Nd4jKernels}).
 *
 * <p>May import: the JDK, ND4J (only in the kernels), and {@link org.moelab.viz.HtmlRenderable} (a tensor renders
 * itself in a notebook). Nothing here knows about layers, routers, models or training.
 */
package org.moelab.tensor;
