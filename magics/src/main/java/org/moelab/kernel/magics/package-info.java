/** IJava's class path magics: {@code %classpath}, {@code %jars}, {@code %maven} (Maven Resolver via MIMA). */
package org.moelab.kernel.magics;
