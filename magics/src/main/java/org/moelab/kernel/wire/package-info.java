/**
 * The kernel's side of the Jupyter wire protocol that basekernel leaves to us: {@link
 * org.moelab.kernel.wire.KernelConnection} (ZMQ sockets, HMAC signatures, {@link org.moelab.kernel.wire.ReplayGuard}
 * against replayed messages), {@link org.moelab.kernel.wire.ExecuteHandler} (execute_request with batched cell
 * output through {@link org.moelab.kernel.wire.CellOutput} and {@link org.moelab.kernel.wire.OutputPolicy}, and
 * ipykernel's abort-on-error of queued cells), {@link org.moelab.kernel.wire.KernelComms} and {@link
 * org.moelab.kernel.wire.Replies}. Nothing here knows about JShell or the magics: it may import basekernel and the
 * JDK only, so the protocol can be tested over real sockets without a kernel behind it.
 */
package org.moelab.kernel.wire;
