package org.moelab.kernel;

import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;

/** Finds and installs {@link KernelExtension}s, each class once however often the class path grows. */
public final class KernelExtensions {
    private final Set<String> installed = new HashSet<>();

    public synchronized void installFrom(ClassLoader loader, MoeLabKernel kernel) {
        for (KernelExtension extension : ServiceLoader.load(KernelExtension.class, loader)) {
            if (installed.add(extension.getClass().getName())) {
                extension.install(kernel);
            }
        }
    }
}
