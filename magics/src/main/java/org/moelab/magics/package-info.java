/**
 * The {@code %moe} magic: a thin dispatcher ({@link org.moelab.magics.MoeMagics}) over
 * {@link org.moelab.magics.MoeCommand}s registered in {@link org.moelab.magics.MoeCommands}, one file per command
 * ({@code help}, {@code env}, {@code papers}, {@code reproduce}); the {@code %%moe} cell parses its keys with
 * kernel-lib's {@code RunSpec} and runs them with {@code CustomRun}.
 *
 * <p>May import kernel-lib's public API (mostly {@code org.moelab.experiments} and {@code org.moelab.lab}) and the
 * kernel's display hooks; commands never hold model or training logic.
 */
package org.moelab.magics;
