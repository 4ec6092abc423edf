package org.moelab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabEnvironmentTest {

    @Test
    void reportsRealBackendVersionsAndLimits() {
        LabEnvironment env = LabEnvironment.probe();
        assertEquals("CpuBackend", env.get("backend"));
        assertEquals("1.0.0-M2.1", env.get("nd4j"));
        assertEquals("4.3.2", env.get("tribuo"));
        assertEquals("3.8.8", env.get("xchart"));
        assertTrue(env.get("heap max").endsWith("MiB"), env.get("heap max"));
        assertTrue(env.get("javacpp maxbytes").endsWith("MiB"), env.get("javacpp maxbytes"));
        assertTrue(env.get("blas").contains("threads"), env.get("blas"));
        assertTrue(env.toString().contains("default seed"));
    }

    /** The sweep keys stored results by this: equal code, equal key; one changed byte of a class, another key. */
    @Test
    void codeFingerprintFollowsTheClassFilesNotTheVersionString(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path a = java.nio.file.Files.createDirectories(dir.resolve("a/org/x")), b = java.nio.file.Files.createDirectories(dir.resolve("b/org/x"));
        java.nio.file.Files.write(a.resolve("K.class"), new byte[] {1, 2, 3});
        java.nio.file.Files.write(b.resolve("K.class"), new byte[] {1, 2, 3});
        java.nio.file.Files.writeString(a.resolve("notes.txt"), "not code");
        assertEquals(LabEnvironment.fingerprint(dir.resolve("a")), LabEnvironment.fingerprint(dir.resolve("b")), "resources other than classes do not count");
        java.nio.file.Files.write(b.resolve("K.class"), new byte[] {1, 2, 4});
        assertFalse(LabEnvironment.fingerprint(dir.resolve("a")).equals(LabEnvironment.fingerprint(dir.resolve("b"))));
        assertTrue(LabEnvironment.codeFingerprint().matches("[0-9a-f]{16}"), LabEnvironment.codeFingerprint());
        assertEquals(LabEnvironment.codeFingerprint(), LabEnvironment.codeFingerprint());
    }

    @Test
    void interruptFlagIsRaisedCheckedAndCleared() {
        Interrupts.clear();
        Interrupts.check();
        Interrupts.request();
        assertTrue(Interrupts.requested());
        assertThrows(InterruptRequestedException.class, Interrupts::check);
        Interrupts.clear();
        assertFalse(Interrupts.requested());
    }

    @Test
    void presetFollowsTheSystemProperty() {
        System.setProperty(Preset.PROPERTY, "quick");
        try {
            assertTrue(Preset.current().isQuick());
        } finally {
            System.clearProperty(Preset.PROPERTY);
        }
    }
}
