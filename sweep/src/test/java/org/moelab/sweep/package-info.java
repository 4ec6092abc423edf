/**
 * Tests of the sweep module: bit-equality with directly trained points (embedded and on a real standalone cluster),
 * retries and failed rows, resume, bad input, concurrent trainings in one JVM, and the statistics.
 */
package org.moelab.sweep;
