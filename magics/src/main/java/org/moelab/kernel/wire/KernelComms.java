package org.moelab.kernel.wire;

import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.channels.ReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.comm.CommManager;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.comm.CommCloseCommand;
import io.github.spencerpark.jupyter.messages.comm.CommMsgCommand;
import io.github.spencerpark.jupyter.messages.comm.CommOpenCommand;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * basekernel's comm manager, made safe for a notebook: thread-safe tables (cells open comms on their own thread
 * while the shell thread handles the front end's messages), every message the kernel sends about a comm carries
 * the request that caused it as its parent, and a target that fails while opening closes the comm instead of
 * leaving the front end waiting. A comm opened by the front end for a target nobody registered is closed at once,
 * as ipykernel does. Notebook code registers targets with {@code getKernelInstance().getCommManager()}.
 */
public final class KernelComms extends CommManager {
    private static final Logger LOG = Logger.getLogger(KernelComms.class.getName());

    public KernelComms() {
        this.targets = new ConcurrentHashMap<>();
        this.comms = new ConcurrentHashMap<>();
    }

    @Override
    public void handleCommOpenCommand(ReplyEnvironment env, Message<CommOpenCommand> message) {
        setMessageContext(message);
        try {
            super.handleCommOpenCommand(env, message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "comm target '" + message.getContent().getTargetName() + "' failed to open a comm", e);
            unregisterComm(message.getContent().getCommID());
            env.publish(new CommCloseCommand(message.getContent().getCommID(), new JsonObject()));
        }
    }

    @Override
    public void handleCommMsgCommand(ReplyEnvironment env, Message<CommMsgCommand> message) {
        setMessageContext(message);
        try {
            super.handleCommMsgCommand(env, message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "comm " + message.getContent().getCommID() + " failed on a message", e);
        }
    }

    @Override
    public void handleCommCloseCommand(ReplyEnvironment env, Message<CommCloseCommand> message) {
        setMessageContext(message);
        try {
            super.handleCommCloseCommand(env, message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "comm " + message.getContent().getCommID() + " failed while closing", e);
        }
    }
}
