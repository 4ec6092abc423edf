package org.moelab.kernel.wire;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A cell's stdout and stderr, batched into stream messages the way ipykernel does it: text is buffered and sent at
 * most every {@link OutputPolicy#flushInterval()}, at once when a buffer reaches {@link OutputPolicy#maxMessageBytes()},
 * and whenever the kernel needs order (before a display, a result, an error, the reply). Past
 * {@link OutputPolicy#cellLimitBytes()} the rest of the cell's output is dropped and one notice on stderr says so.
 *
 * <p>A print loop therefore costs a buffer append per line, not a signed ZMQ message per line: 2,000 lines of 25 KB
 * become a few hundred messages instead of tens of thousands.
 */
public final class CellOutput implements AutoCloseable {
    /** stdout or stderr, as Jupyter names them. */
    public enum Stream {
        STDOUT("stdout"), STDERR("stderr");

        final String jupyterName;

        Stream(String jupyterName) {
            this.jupyterName = jupyterName;
        }
    }

    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "moelab-output-flush");
        thread.setDaemon(true);
        return thread;
    });

    private final OutputPolicy policy;
    private final BiConsumer<Stream, String> publisher;
    private final Object lock = new Object();
    private final byte[][] buffers = new byte[2][];
    private final int[] lengths = new int[2];
    private Stream lastWritten;
    private long accepted;
    private long dropped;
    private boolean noticeSent;
    private boolean closed;
    private ScheduledFuture<?> scheduled;

    public final PrintStream out;
    public final PrintStream err;

    /** {@code publisher} sends one stream message; it is called with no lock of this class held by other threads. */
    public CellOutput(OutputPolicy policy, BiConsumer<Stream, String> publisher) {
        this.policy = policy;
        this.publisher = publisher;
        this.buffers[0] = new byte[1024];
        this.buffers[1] = new byte[256];
        this.out = new PrintStream(new Sink(Stream.STDOUT), false, StandardCharsets.UTF_8);
        this.err = new PrintStream(new Sink(Stream.STDERR), false, StandardCharsets.UTF_8);
    }

    /** Bytes the cell wrote that were sent (or are waiting to be). */
    public long acceptedBytes() {
        synchronized (lock) {
            return accepted;
        }
    }

    /** Bytes dropped past the cell's limit. */
    public long droppedBytes() {
        synchronized (lock) {
            return dropped;
        }
    }

    private void write(Stream stream, byte[] bytes, int offset, int length) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            long limit = policy.cellLimitBytes();
            int room = limit <= 0 ? length : (int) Math.max(0, Math.min(length, limit - accepted));
            if (room < length) {
                dropped += length - room;
                if (!noticeSent) {
                    noticeSent = true;
                    append(stream, bytes, offset, room);
                    accepted += room;
                    flushLocked();
                    String notice = "\n[MoE Lab: this cell's output passed " + OutputPolicy.describe(limit)
                            + "; the rest of it is dropped (the cell keeps running). Set MOELAB_MAX_CELL_OUTPUT, e.g. "
                            + "50m or 0 for no limit, in the environment Jupyter starts the kernel from.]\n";
                    publisher.accept(Stream.STDERR, notice);
                }
                return;
            }
            if (lastWritten != null && lastWritten != stream) {
                flushStream(lastWritten); // keeps stdout and stderr in the order they were written
            }
            append(stream, bytes, offset, length);
            accepted += length;
            if (lengths[stream.ordinal()] >= policy.maxMessageBytes()) {
                flushStream(stream);
            } else if (scheduled == null) {
                scheduled = FLUSHER.schedule(this::flush, policy.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void append(Stream stream, byte[] bytes, int offset, int length) {
        int i = stream.ordinal();
        if (lengths[i] + length > buffers[i].length) {
            buffers[i] = Arrays.copyOf(buffers[i], Math.max(buffers[i].length * 2, lengths[i] + length));
        }
        System.arraycopy(bytes, offset, buffers[i], lengths[i], length);
        lengths[i] += length;
        lastWritten = stream;
    }

    /** Sends whatever is buffered now. */
    public void flush() {
        synchronized (lock) {
            flushLocked();
        }
    }

    private void flushLocked() {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        if (lastWritten == Stream.STDERR) {
            flushStream(Stream.STDOUT);
            flushStream(Stream.STDERR);
        } else {
            flushStream(Stream.STDERR);
            flushStream(Stream.STDOUT);
        }
    }

    /** Publishes one stream's buffer, keeping an incomplete UTF-8 character at its end for the next message. */
    private void flushStream(Stream stream) {
        int i = stream.ordinal();
        int length = lengths[i];
        if (length == 0) {
            return;
        }
        int complete = completeUtf8Prefix(buffers[i], length);
        if (complete == 0) {
            return;
        }
        String text = new String(buffers[i], 0, complete, StandardCharsets.UTF_8);
        System.arraycopy(buffers[i], complete, buffers[i], 0, length - complete);
        lengths[i] = length - complete;
        if (buffers[i].length > 4 * policy.maxMessageBytes()) {
            buffers[i] = Arrays.copyOf(buffers[i], Math.max(1024, lengths[i]));
        }
        publisher.accept(stream, text);
    }

    static int completeUtf8Prefix(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for the lead byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? length - back : length;
        }
        return length;
    }

    /** Flushes and stops accepting output (later writes from stray threads are ignored). */
    @Override
    public void close() {
        synchronized (lock) {
            flushLocked();
            closed = true;
        }
    }

    private final class Sink extends OutputStream {
        private final Stream stream;

        Sink(Stream stream) {
            this.stream = stream;
        }

        @Override
        public void write(int b) {
            CellOutput.this.write(stream, new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            CellOutput.this.write(stream, bytes, offset, length);
        }

        @Override
        public void flush() {
            CellOutput.this.flush();
        }
    }
}
