/** Readable failures: compiler errors with cell lines and carets, stack traces trimmed to the user's frames. */
package org.moelab.kernel.errors;
