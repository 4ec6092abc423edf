package org.moelab.kernel.magics;

import eu.maveniverse.maven.mima.context.Context;
import eu.maveniverse.maven.mima.context.ContextOverrides;
import eu.maveniverse.maven.mima.context.Runtime;
import eu.maveniverse.maven.mima.context.Runtimes;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.util.artifact.JavaScopes;

/**
 * Resolves Maven coordinates with their runtime dependencies through Maven Resolver (via MIMA's static runtime):
 * the user's {@code ~/.m2/settings.xml} and local repository, then Maven Central. No Ivy, no shelling out to mvn.
 */
public final class MavenResolver {
    private final boolean offline;

    /** @param offline resolve from the local repository only (tests, air-gapped machines) */
    public MavenResolver(boolean offline) {
        this.offline = offline;
    }

    /** Jar files of {@code groupId:artifactId[:extension[:classifier]]:version} and its transitive runtime deps. */
    public List<Path> resolve(List<String> coordinates) throws DependencyResolutionException {
        Runtime runtime = Runtimes.INSTANCE.getRuntime();
        ContextOverrides overrides = ContextOverrides.create().withUserSettings(true).offline(offline).build();
        try (Context context = runtime.create(overrides)) {
            CollectRequest collect = new CollectRequest();
            for (String coordinate : coordinates) {
                collect.addDependency(new Dependency(new DefaultArtifact(coordinate), JavaScopes.RUNTIME));
            }
            collect.setRepositories(context.remoteRepositories());
            DependencyRequest request = new DependencyRequest(collect, null);
            List<ArtifactResult> results = context.repositorySystem()
                    .resolveDependencies(context.repositorySystemSession(), request)
                    .getArtifactResults();
            return results.stream()
                    .map(result -> result.getArtifact().getFile().toPath())
                    .collect(Collectors.toList());
        }
    }
}
