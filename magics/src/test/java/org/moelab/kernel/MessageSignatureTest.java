package org.moelab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.HMACGenerator;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Jupyter signs every message with the connection file's key; a forged one must not be executed or answered. */
class MessageSignatureTest {
    private static final String KEY = "a-secret-only-jupyter-knows";

    @Test
    void aMessageWithABadSignatureIsRejectedAndTheKernelKeepsServing() throws Exception {
        int[] ports = freePorts(5);
        String connectionJson = String.format("{\"ip\":\"127.0.0.1\",\"transport\":\"tcp\",\"signature_scheme\":\"hmac-sha256\","
                + "\"key\":\"%s\",\"shell_port\":%d,\"iopub_port\":%d,\"stdin_port\":%d,\"control_port\":%d,\"hb_port\":%d}",
                KEY, ports[0], ports[1], ports[2], ports[3], ports[4]);
        KernelSession session = new KernelSession();
        JupyterConnection connection = KernelMain.connect(KernelConnectionProperties.parse(connectionJson), session.kernel);
        HMACGenerator signer = new HMACGenerator("hmac-sha256", KEY);
        try (ZContext context = new ZContext()) {
            ZMQ.Socket shell = context.createSocket(SocketType.DEALER);
            shell.setReceiveTimeOut(2000);
            shell.connect("tcp://127.0.0.1:" + ports[0]);

            send(shell, kernelInfoRequest(), "0".repeat(64));
            assertNull(shell.recv(), "no reply to a forged message");

            send(shell, kernelInfoRequest(), null, signer);
            shell.setReceiveTimeOut(15000);
            List<byte[]> reply = receive(shell);
            assertNotNull(reply, "the kernel still answers correctly signed messages");
            String header = new String(reply.get(2), StandardCharsets.UTF_8);
            assertTrue(header.contains("kernel_info_reply"), header);
            String expected = signer.calculateSignature(reply.get(2), reply.get(3), reply.get(4), reply.get(5));
            assertEquals(expected, new String(reply.get(1), StandardCharsets.US_ASCII), "replies are signed too");
        } finally {
            connection.close();
            session.close();
        }
    }

    private static byte[][] kernelInfoRequest() {
        String header = "{\"msg_id\":\"" + UUID.randomUUID() + "\",\"username\":\"test\",\"session\":\"s1\","
                + "\"date\":\"2026-01-01T00:00:00.000000Z\",\"msg_type\":\"kernel_info_request\",\"version\":\"5.3\"}";
        return new byte[][] {bytes(header), bytes("{}"), bytes("{}"), bytes("{}")};
    }

    private static void send(ZMQ.Socket socket, byte[][] parts, String signature, HMACGenerator... signer) {
        String sig = signature != null ? signature : signer[0].calculateSignature(parts);
        socket.sendMore(bytes("<IDS|MSG>"));
        socket.sendMore(bytes(sig));
        for (int i = 0; i < parts.length - 1; i++) {
            socket.sendMore(parts[i]);
        }
        socket.send(parts[parts.length - 1]);
    }

    private static void send(ZMQ.Socket socket, byte[][] parts, String signature) {
        send(socket, parts, signature, new HMACGenerator[0]);
    }

    private static List<byte[]> receive(ZMQ.Socket socket) {
        byte[] first = socket.recv();
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(List.of(first));
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        return frames;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }
}
