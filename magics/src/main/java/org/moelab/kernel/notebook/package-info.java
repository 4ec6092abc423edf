/**
 * Executing .ipynb files without Jupyter: the JUnit notebook tests and {@code ./moelab reproduce} run code cells on
 * an in-process kernel and record nbformat outputs; {@code ./moelab strip} removes them.
 */
package org.moelab.kernel.notebook;
