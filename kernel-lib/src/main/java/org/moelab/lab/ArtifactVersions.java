package org.moelab.lab;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Reads a library's version from the {@code pom.properties} Maven puts into every jar, so {@code %moe env} reports
 * what is really on the class path rather than what the pom asked for.
 */
final class ArtifactVersions {
    private ArtifactVersions() {
    }

    static String of(String groupId, String artifactId) {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = ArtifactVersions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "not on the class path";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }
}
