package org.moelab.bench;

import org.moelab.tensor.Tensor;

/** Keeps results observable so the JIT cannot drop the work that produced them. */
final class Blackhole {
    private static volatile float sink;

    private Blackhole() {}

    static void consume(Tensor t) {
        if (t != null) sink = t.data()[0];
    }
}
