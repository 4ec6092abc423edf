/**
 * Tab completion, Shift-Tab inspection and is-complete answers from JShell's source analysis; magics' names from the
 * registry ({@link org.moelab.kernel.assist.MagicCatalog}) and their later words from each magic's
 * {@link org.moelab.kernel.assist.MagicCompleter}.
 */
package org.moelab.kernel.assist;
