/** The helpers statically imported into every notebook, with IJava's names. */
package org.moelab.kernel.runtime;
