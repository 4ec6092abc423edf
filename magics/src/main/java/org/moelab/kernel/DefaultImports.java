package org.moelab.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * What every notebook starts with: the usual JDK packages, the IJava-compatible helpers, kernel-lib's packages and
 * XChart. A package is imported only if it exists on the kernel's class path, because JShell rejects an import of a
 * package it cannot find (kernel-lib grows package by package).
 */
final class DefaultImports {
    private static final List<String> JDK = List.of(
            "java.util.*", "java.util.function.*", "java.util.stream.*", "java.util.concurrent.*",
            "java.io.*", "java.math.*", "java.nio.file.*", "java.time.*");

    private static final List<String> LAB = List.of(
            "org.moelab.tensor.*", "org.moelab.nn.*", "org.moelab.moe.*", "org.moelab.models.*",
            "org.moelab.data.*", "org.moelab.train.*", "org.moelab.viz.*", "org.moelab.tribuo.*",
            "org.moelab.experiments.*", "org.moelab.report.*", "org.moelab.lab.*", "org.knowm.xchart.*");

    private static final String HELPERS = "static org.moelab.kernel.runtime.Notebook.*";

    private DefaultImports() {
    }

    static List<String> statements(ClassLoader loader) {
        List<String> imports = new ArrayList<>();
        JDK.forEach(name -> imports.add("import " + name + ";"));
        imports.add("import " + HELPERS + ";");
        for (String name : LAB) {
            String folder = name.substring(0, name.length() - 2).replace('.', '/') + "/";
            if (loader.getResource(folder) != null) {
                imports.add("import " + name + ";");
            }
        }
        return imports;
    }
}
