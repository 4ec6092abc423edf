/** Tab completion, Shift-Tab inspection and is-complete answers from JShell's source analysis. */
package org.moelab.kernel.assist;
