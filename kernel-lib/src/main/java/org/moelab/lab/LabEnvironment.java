package org.moelab.lab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;
import org.moelab.tensor.Rng;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The facts a user needs to trust (or reproduce) a number: math backend, threads, JDK, library versions, default
 * seed, memory limits. Collected live from ND4J, JavaCPP and the JVM; {@code %moe env} renders them as a table.
 * Each fact is read on its own so one failing probe (say, a missing native library) still leaves the rest readable.
 */
public final class LabEnvironment {
    private static final long MIB = 1024L * 1024L;

    private final Map<String, String> facts;

    private LabEnvironment(Map<String, String> facts) {
        this.facts = Collections.unmodifiableMap(facts);
    }

    /** Probes the running JVM now. The first call initialises ND4J (about a second). */
    public static LabEnvironment probe() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("backend", read(() -> Nd4j.getBackend().getClass().getSimpleName()));
        facts.put("blas", read(() -> blas().getBlasVendor() + ", " + blas().getMaxThreads() + " threads"));
        facts.put("nd4j threads", read(() -> String.valueOf(Nd4j.getEnvironment().maxMasterThreads())));
        facts.put("cpu cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        facts.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        facts.put("moelab", version());
        facts.put("nd4j", ArtifactVersions.of("org.nd4j", "nd4j-api"));
        facts.put("tribuo", ArtifactVersions.of("org.tribuo", "tribuo-core"));
        facts.put("xchart", ArtifactVersions.of("org.knowm.xchart", "xchart"));
        facts.put("javacpp", ArtifactVersions.of("org.bytedeco", "javacpp"));
        facts.put("default seed", String.valueOf(Rng.defaultSeed()));
        facts.put("preset", read(() -> Preset.current().toString()));
        facts.put("heap max", mib(Runtime.getRuntime().maxMemory()));
        facts.put("javacpp maxbytes", read(() -> mib(Pointer.maxBytes())));
        facts.put("javacpp maxphysicalbytes", read(() -> mib(Pointer.maxPhysicalBytes())));
        facts.put("vector api", vectorApi());
        return new LabEnvironment(facts);
    }

    /** The MoE Lab version: the kernel-lib jar's, or "development build" when running from class folders. */
    public static String version() {
        String version = ArtifactVersions.of("org.moelab", "kernel-lib");
        return version.startsWith("not on") ? "development build" : version;
    }

    public Map<String, String> facts() {
        return facts;
    }

    public String get(String fact) {
        return facts.get(fact);
    }

    /** Aligned two-column text, the plain-text form of {@code %moe env}. */
    @Override
    public String toString() {
        int width = facts.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder text = new StringBuilder();
        facts.forEach((key, value) -> text.append(String.format("%-" + width + "s  %s%n", key, value)));
        return text.toString();
    }

    private static Blas blas() {
        return Nd4j.factory().blas();
    }

    private static String vectorApi() {
        // The engine uses jdk.incubator.vector; without --add-modules it silently falls back to scalar loops.
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "enabled" : "not enabled";
    }

    private static String mib(long bytes) {
        return bytes <= 0 ? "unlimited" : (bytes / MIB) + " MiB";
    }

    private static String read(Supplier<String> probe) {
        try {
            return probe.get();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }
}
