/** The kernelspec: kernel.json with the JVM's memory limits, installed per user, per prefix or into sys.prefix. */
package org.moelab.kernel.install;
