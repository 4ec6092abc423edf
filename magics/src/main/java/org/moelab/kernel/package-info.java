/**
 * The MoE Lab Jupyter kernel: an IJava-compatible JShell kernel on jupyter-jvm-basekernel 2.3.0.
 * {@link org.moelab.kernel.KernelMain} starts it for Jupyter (or installs its kernelspec);
 * {@link org.moelab.kernel.MoeLabKernel} wires evaluation, display, magics and assistance, which live in the
 * sub-packages. The kernel JVM has kernel-lib, ND4J, Tribuo and XChart on its launch class path.
 */
package org.moelab.kernel;
