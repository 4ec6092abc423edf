package org.moelab.kernel;


/**
 * A plug-in that a jar on the kernel's class path contributes: renderers (say, for Tribuo's
 * {@code LabelEvaluation}), magics, startup code. Listed in
 * {@code META-INF/services/org.moelab.kernel.KernelExtension}, discovered once at kernel start and again
 * for jars added with {@code %classpath}/{@code %maven} (JJava's Extension idea, on basekernel 2.3.0).
 */
public interface KernelExtension {
    void install(MoeLabKernel kernel);
}
