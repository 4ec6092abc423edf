/**
 * The {@code %moe} magic: a thin dispatcher ({@link org.moelab.magics.MoeMagics}) over
 * {@link org.moelab.magics.MoeCommand}s registered in {@link org.moelab.magics.MoeCommands}, one file per command
 * ({@code help}, {@code env}, {@code papers}, {@code reproduce}, {@code sweep}, {@code inspect}, {@code compare});
 * the {@code %%moe} cell hands its body to kernel-lib's {@code MoeCell} and keeps the runs it binds with
 * {@code --as NAME} by name for {@code inspect}/{@code compare}; {@code %%moe sweep} hands its {@code key: value}
 * lines to the sweep module's {@code SweepPlan}. {@code MoeMagics} also answers completion of its words.
 *
 * <p>May import kernel-lib's public API (mostly {@code org.moelab.experiments} and {@code org.moelab.lab}), the sweep
 * module's ({@code org.moelab.sweep}) and the kernel's display hooks; commands never hold model or training logic.
 */
package org.moelab.magics;
