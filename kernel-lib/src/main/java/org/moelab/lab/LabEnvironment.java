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
        facts.put("moelab", version() + " (code " + codeFingerprint() + ")");
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

    /**
     * A fingerprint of the engine's code: SHA-256 over kernel-lib's compiled classes (the jar's bytes, or every class
     * file of a class folder in path order), first 16 hex digits. Two runs with equal fingerprints ran the same
     * engine code; a snapshot version like "0.1.0-SNAPSHOT" says nothing of the kind, so cached results (the sweep's
     * stored points) are keyed by this. Computed once per JVM.
     */
    public static String codeFingerprint() {
        return CodeFingerprint.VALUE;
    }

    private static final class CodeFingerprint {
        static final String VALUE = compute();

        private static String compute() {
            try {
                return fingerprint(java.nio.file.Path.of(LabEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException("LabEnvironment: cannot locate the engine's code: " + e, e);
            }
        }
    }

    /** SHA-256 (16 hex digits) of a jar's bytes, or of a class folder's class files with their relative paths, in path order. */
    static String fingerprint(java.nio.file.Path codeRoot) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            if (java.nio.file.Files.isDirectory(codeRoot)) {
                try (var files = java.nio.file.Files.walk(codeRoot)) {
                    for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                        sha.update(codeRoot.relativize(f).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        sha.update(java.nio.file.Files.readAllBytes(f));
                    }
                }
            } else {
                sha.update(java.nio.file.Files.readAllBytes(codeRoot));
            }
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("LabEnvironment: cannot fingerprint " + codeRoot + ": " + e, e);
        }
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
