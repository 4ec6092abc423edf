package org.moelab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.moelab.models.CausalTransformer;

/**
 * A seed fixes a whole training run bit for bit (init, data, dropout masks, routing), in any JVM, on any thread count,
 * interpreted or compiled; another seed changes it. The paper models run through {@link DeterminismProbe} in child
 * JVMs, so that "the first run, before any warm-up" really is the JVM's first.
 */
class DeterminismTest {
    record Outcome(float[] losses, Map<String, float[]> state) {}

    static Outcome run(long seed) {
        CausalTransformer model = CopyTask.model(seed, 0.1f);
        float[] losses = CopyTask.train(model, seed, 25, 8);
        return new Outcome(losses, model.stateDict());
    }

    static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < b.length; i++) b[i] = Float.floatToRawIntBits(values[i]);
        return b;
    }

    @Test
    void sameSeedGivesBitIdenticalLossesAndParameters() {
        Outcome a = run(7), b = run(7);
        assertArrayEquals(bits(a.losses()), bits(b.losses()));
        assertEquals(a.state().keySet(), b.state().keySet());
        a.state().forEach((name, values) -> assertArrayEquals(bits(values), bits(b.state().get(name)), name));
    }

    @Test
    void differentSeedGivesADifferentRun() {
        Outcome a = run(7), c = run(8);
        assertFalse(Arrays.equals(a.losses(), c.losses()));
        assertFalse(Arrays.equals(a.state().get("blocks.0.attn.q.weight"), c.state().get("blocks.0.attn.q.weight")));
    }

    /**
     * Every paper model and the {@code %%moe} LM, 30 steps, twice in a fresh JVM (the first run starts cold, while the
     * JIT compiles), in three JVMs with 1, 2 and 4 threads: one fingerprint per model across all six runs.
     */
    @Test
    void paperModelsGiveTheSameBitsTwiceInAJvmAndOnOneTwoAndFourThreads() throws Exception {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (int threads : new int[] {1, 2, 4}) {
            Map<String, List<String>> runs = probe(List.of("-Dmoelab.threads=" + threads), "--steps", "30", "--repeat", "2");
            assertEquals(DeterminismProbe.MODELS, List.copyOf(runs.keySet()), "threads " + threads);
            runs.forEach((model, fingerprints) -> all.computeIfAbsent(model, m -> new ArrayList<>()).addAll(fingerprints));
        }
        all.forEach((model, fingerprints) -> assertEquals(1, fingerprints.stream().distinct().count(),
                model + ": runs (1 thread ×2, 2 threads ×2, 4 threads ×2) differ: " + fingerprints));
        // A fingerprint that ignored its input would pass the above: different models must differ.
        assertEquals(all.size(), all.values().stream().map(f -> f.get(0)).distinct().count(), all.toString());
    }

    /**
     * An interpreted JVM (-Xint: no JIT at all, the Vector API's Java fallbacks) gives the compiled run's bits. EvoMoE
     * because its 5 steps cover every phase: dense phase A, spawning, the Gumbel dense-to-sparse gate and top-1.
     */
    @Test
    void interpretedRunGivesTheCompiledBits() throws Exception {
        Map<String, List<String>> interpreted = probe(List.of("-Xint"), "--steps", "5", "--repeat", "1", "evomoe");
        assertEquals(DeterminismProbe.run("evomoe", 5), interpreted.get("evomoe").get(0));
    }

    /** The ND4J kernels (the CUDA route) are reproducible on their own: the same bits twice. */
    @Test
    void nd4jKernelsGiveTheSameBitsTwice() throws Exception {
        Map<String, List<String>> runs = probe(List.of(), "--steps", "10", "--repeat", "2", "--kernels", "nd4j", "lm", "mom");
        runs.forEach((model, f) -> assertEquals(f.get(0), f.get(1), model + " under Nd4jKernels"));
        assertEquals(2, runs.size());
    }

    /** Runs {@link DeterminismProbe} in a child JVM with the test class path; returns model → fingerprints. */
    static Map<String, List<String>> probe(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-Xmx2g",
                "-Dorg.bytedeco.javacpp.maxbytes=2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=4g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DeterminismProbe.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) p.destroyForcibly();
        assertEquals(0, p.exitValue(), "child JVM " + jvmOptions + " failed:\n" + output);
        Map<String, List<String>> runs = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            if (!line.startsWith("probe ")) continue;
            String[] parts = line.split(" ", 4);
            runs.computeIfAbsent(parts[1], m -> new ArrayList<>()).add(parts[3]);
        }
        return runs;
    }
}
