/**
 * Running cells: magics become Java calls, a cell is cut into snippets, JShell compiles them and an in-process
 * execution engine runs each on a cell thread, keeping live result objects and real exceptions, and stopping the
 * thread when the user interrupts.
 */
package org.moelab.kernel.execution;
