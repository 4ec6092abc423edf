package org.moelab.tensor;

import java.util.stream.Stream;

/** The kernel implementations every op test runs under. */
final class KernelsUnderTest {
    private KernelsUnderTest() {}

    static Stream<Kernels> all() {
        return Stream.of(new CpuKernels(), new Nd4jKernels());
    }
}
