/**
 * Lab-wide facts and switches that notebooks, the trainer and the kernel share without the library depending on
 * Jupyter: the environment report behind {@code %moe env}, the notebook preset, and the cooperative interrupt flag
 * the kernel raises when the user presses Jupyter's interrupt button.
 */
package org.moelab.lab;
