/**
 * The {@code %moe} magic: a thin dispatcher ({@link org.moelab.magics.MoeMagics}) over
 * {@link org.moelab.magics.MoeCommand}s registered in {@link org.moelab.magics.MoeCommands}, one file per command
 * ({@code help}, {@code env}, {@code papers}, {@code reproduce}, {@code sweep}); the {@code %%moe} cell parses its
 * keys with kernel-lib's {@code RunSpec} and runs them with {@code CustomRun}, and {@code %%moe sweep} hands its
 * {@code key: value} lines to the sweep module's {@code SweepPlan}.
 *
 * <p>May import kernel-lib's public API (mostly {@code org.moelab.experiments} and {@code org.moelab.lab}), the sweep
 * module's ({@code org.moelab.sweep}) and the kernel's display hooks; commands never hold model or training logic.
 */
package org.moelab.magics;
