package org.moelab.kernel.wire;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.publish.PublishStream;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.zeromq.ZMQ;

/**
 * execute_request over the wire, around basekernel's own handler:
 * <ul>
 *   <li>the cell's stdout and stderr go through a {@link CellOutput} (batched stream messages, a per-cell limit)
 *       instead of basekernel's one-message-per-flush streams;</li>
 *   <li>after a cell fails in a request with {@code stop_on_error} (JupyterLab's Run All), the execute requests
 *       already queued on the shell socket are answered {@code aborted} without running, as ipykernel does, so a
 *       later cell cannot overwrite a trained model after an earlier failure. Other queued requests (complete,
 *       inspect, ...) are handled normally. Like ipykernel (stop_on_error_timeout = 0), only what is waiting in
 *       the queue is aborted: a request sent after the client saw the replies runs.</li>
 * </ul>
 */
public final class ExecuteHandler implements ShellHandler<ExecuteRequest> {
    private static final Logger LOG = Logger.getLogger(ExecuteHandler.class.getName());

    /** The kernel's side of a cell. */
    public interface Cells {
        /** A cell starts; its output goes to {@code output} until {@link #cellFailed()} is asked. */
        void begin(CellOutput output);

        /** Whether the cell that just ran failed; ends the cell. */
        boolean cellFailed();
    }

    private final JupyterConnection connection;
    private final ShellHandler<ExecuteRequest> basekernel;
    private final OutputPolicy policy;
    private final InputStream stdin;
    private final Cells cells;

    public ExecuteHandler(JupyterConnection connection, ShellHandler<ExecuteRequest> basekernel, OutputPolicy policy,
            InputStream stdin, Cells cells) {
        this.connection = connection;
        this.basekernel = basekernel;
        this.policy = policy;
        this.stdin = stdin;
        this.cells = cells;
    }

    @Override
    public void handle(ShellReplyEnvironment env, Message<ExecuteRequest> request) {
        JupyterSocket iopub = env.getIopub();
        CellOutput output = new CellOutput(policy, (stream, text) -> iopub.sendMessage(new Message<>(request,
                PublishStream.MESSAGE_TYPE, new PublishStream(stream == CellOutput.Stream.STDOUT
                        ? PublishStream.StreamType.OUT : PublishStream.StreamType.ERR, text))));
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        System.setOut(output.out);
        System.setErr(output.err);
        System.setIn(stdin);
        boolean failed;
        cells.begin(output);
        try {
            basekernel.handle(env, request);
        } finally {
            failed = cells.cellFailed();
            output.close();
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
        if (failed && request.getContent().shouldStopOnError() && env.getShell() instanceof ShellChannel shell) {
            // Read what is queued *before* this cell's error reply goes out: a client that sends its next cell as soon
            // as it sees the reply must find it run, not aborted (reading after the reply raced with such a client).
            List<Message<?>> queued = readQueued(shell);
            env.resolveDeferrals(); // this cell's error reply and idle go out before the aborted ones
            for (Message<?> message : queued) {
                if (message.getHeader().getType() == MessageType.EXECUTE_REQUEST) {
                    abort(shell, message);
                } else {
                    dispatch(shell, message);
                }
            }
        }
    }

    /** The requests waiting on the shell socket now, in arrival order (badly signed ones are rejected and skipped). */
    private static List<Message<?>> readQueued(ShellChannel shell) {
        List<Message<?>> queued = new ArrayList<>();
        while ((shell.getEvents() & ZMQ.Poller.POLLIN) != 0) {
            Message<?> message;
            try {
                message = shell.readMessage();
            } catch (SecurityException badSignature) {
                LOG.warning("Rejected a message: " + badSignature.getMessage());
                continue;
            }
            if (message == null) {
                break; // the socket closed
            }
            queued.add(message);
        }
        return queued;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void abort(ShellChannel shell, Message<?> request) {
        ShellReplyEnvironment env = connection.prepareReplyEnv(shell, request);
        env.setBusyDeferIdle();
        env.reply(new Message(request, MessageType.EXECUTE_REPLY, new Replies.Aborted()));
        env.resolveDeferrals();
    }

    /** What basekernel's shell loop does with a message. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void dispatch(ShellChannel shell, Message message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            LOG.warning("Unhandled message: " + message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(shell, message);
        try {
            handler.handle(env, message);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Failed to handle " + message.getHeader().getType().getName(), e);
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }
}
