"""The kernel against ipykernel's standard (issue 14), through jupyter_client: kernel_info status, Run All with an
error (stop_on_error -> aborted), a replayed signed message, an output flood and a 100,000-line loop, System.exit,
a stack overflow, crafted checkpoints, comms, %%moe help and magic completion. Prints measurements and OK; any failed
check raises. Run with Debian's /usr/bin/python3."""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

CELL_LIMIT = 10 * 1024 * 1024  # the kernel's default MOELAB_MAX_CELL_OUTPUT


def drain_iopub(kc, msg_id, timeout=600):
    """Every iopub message of one request, up to its idle status."""
    messages = []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages


def shell_reply(kc, msg_id, timeout=600):
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def run(kc, code, timeout=600, stop_on_error=True):
    msg_id = kc.execute(code, stop_on_error=stop_on_error)
    reply = shell_reply(kc, msg_id, timeout)
    return reply["content"], drain_iopub(kc, msg_id, timeout)


def results(messages):
    return [m["content"]["data"].get("text/plain") for m in messages if m["msg_type"] == "execute_result"]


def streams(messages, name=None):
    return [m["content"]["text"] for m in messages
            if m["msg_type"] == "stream" and (name is None or m["content"]["name"] == name)]


def traceback(messages):
    return "\n".join("\n".join(m["content"]["traceback"]) for m in messages if m["msg_type"] == "error")


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def main():
    launched = time.time()
    km, kc = start_new_kernel(kernel_name="moelab-java", startup_timeout=120)
    try:
        content, messages = run(kc, "int kept = 41;\nkept + 1")
        check(content["status"] == "ok" and results(messages) == ["42"], (content, messages))
        first_result = time.time() - launched
        content, messages = run(kc, "%moe env")
        check(content["status"] == "ok", content)
        first_nd4j = time.time() - launched
        print("MEASURE first result %.1f s after launch, first ND4J result (%%moe env) %.1f s" % (first_result, first_nd4j))

        # kernel_info and comm_info replies carry status ok.
        msg_id = kc.kernel_info()
        info = shell_reply(kc, msg_id)["content"]
        check(info.get("status") == "ok" and info["language_info"]["name"] == "Java", info)

        # Run All with an error in cell 2: cells 3 and 4 are aborted, not run.
        ids = [kc.execute(code, stop_on_error=True) for code in
               ["int runAll = 1;", 'throw new IllegalStateException("cell 2 fails");', "runAll = 3;", "runAll = 4;"]]
        statuses = [shell_reply(kc, i)["content"]["status"] for i in ids]
        check(statuses == ["ok", "error", "aborted", "aborted"], statuses)
        for i in ids:
            drain_iopub(kc, i)
        content, messages = run(kc, "runAll")
        check(results(messages) == ["1"], messages)
        # Without stop_on_error a failure does not abort the next request.
        ids = [kc.execute('throw new IllegalStateException("x");', stop_on_error=False), kc.execute("runAll = 5;")]
        statuses = [shell_reply(kc, i)["content"]["status"] for i in ids]
        check(statuses == ["error", "ok"], statuses)
        for i in ids:
            drain_iopub(kc, i)

        # A replayed, correctly signed message is rejected: sent twice, it runs once.
        run(kc, "int replays = 0;")
        msg = kc.session.msg("execute_request", {"code": "replays++;", "silent": False, "store_history": True,
                                                 "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        frames = kc.session.serialize(msg)
        kc.shell_channel.socket.send_multipart(frames)
        kc.shell_channel.socket.send_multipart(frames)
        shell_reply(kc, msg["header"]["msg_id"])
        content, messages = run(kc, "replays")
        check(results(messages) == ["1"], ("the replay ran", messages))

        # Output floods: 2,000 lines of 25 KB (50 MB) and 100,000 short lines, batched; past the cell limit, one notice.
        started = time.time()
        content, messages = run(kc, 'String line = "x".repeat(25_000);\n'
                                    'for (int i = 0; i < 2000; i++) System.out.println(line);\n"done"')
        elapsed = time.time() - started
        out = streams(messages, "stdout")
        delivered = sum(len(t.encode()) for t in out)
        notices = [t for t in streams(messages, "stderr") if "output passed" in t]
        print("MEASURE flood 2000 x 25 KB: %.1f s, %d bytes delivered in %d stream messages" % (elapsed, delivered, len(out)))
        check(content["status"] == "ok" and results(messages) == ["done"], (content, results(messages)))
        check(delivered == CELL_LIMIT, "exactly the cell limit is delivered: %d" % delivered)
        check(len(notices) == 1 and "MOELAB_MAX_CELL_OUTPUT" in notices[0], notices)
        check(len(out) < 1000, "%d stream messages for 10 MB" % len(out))
        started = time.time()
        content, messages = run(kc, 'for (int i = 0; i < 100_000; i++) System.out.println("step " + i);')
        elapsed = time.time() - started
        out = streams(messages, "stdout")
        text = "".join(out)
        print("MEASURE 100,000 lines: %.1f s, %d bytes delivered in %d stream messages" % (elapsed, len(text.encode()), len(out)))
        check(text.startswith("step 0\n") and text.endswith("step 99999\n") and text.count("\n") == 100_000,
              "all 100,000 lines in order")
        check(len(out) < 1000, "%d stream messages for 100,000 lines" % len(out))
        # stdout and stderr keep their order; text before a display comes before it.
        content, messages = run(kc, 'System.out.println("a"); System.err.println("b"); System.out.println("c");'
                                    '\ndisplay("shown"); System.out.println("after");')
        order = [(m["content"]["name"], m["content"]["text"]) if m["msg_type"] == "stream" else (m["msg_type"], "")
                 for m in messages if m["msg_type"] in ("stream", "display_data")]
        check(order == [("stdout", "a\n"), ("stderr", "b\n"), ("stdout", "c\n"), ("display_data", ""),
                        ("stdout", "after\n")], order)

        # System.exit in a cell: a clear error, the kernel and its variables live on.
        content, messages = run(kc, "System.exit(1);")
        check(content["status"] == "error" and "was not run" in traceback(messages), traceback(messages))
        check(km.is_alive(), "the kernel process died")
        content, messages = run(kc, "kept")
        check(results(messages) == ["41"], messages)

        # A stack overflow: a short traceback with the recursion folded.
        content, messages = run(kc, "int down(int n) { return down(n + 1) + 1; }\ndown(0)")
        tb = traceback(messages)
        print("MEASURE stack overflow traceback: %d lines, %d characters" % (tb.count("\n") + 1, len(tb)))
        check(content["status"] == "error" and "StackOverflowError" in tb and tb.count("\n") < 20, tb)

        # Crafted and truncated checkpoints fail with a clear error.
        content, messages = run(kc, r'''
var body = new ByteArrayOutputStream();
var out = new DataOutputStream(body);
out.writeLong(0x4D6F454C61624350L); out.writeInt(1); out.writeLong(7); out.writeInt(0); out.writeBoolean(false);
out.writeInt(1); out.writeUTF("weight"); out.writeInt(1 << 29); out.writeFloat(1f); out.flush();
var crc = new java.util.zip.CRC32(); crc.update(body.toByteArray()); out.writeLong(crc.getValue());
Path crafted = Files.createTempFile("crafted", ".ckpt");
Files.write(crafted, body.toByteArray());
org.moelab.train.Checkpoint.load(crafted);''')
        tb = traceback(messages)
        check(content["status"] == "error" and "IllegalArgumentException" in tb and "claims 536870912 floats" in tb, tb)
        content, messages = run(kc, 'Path cut = Files.createTempFile("cut", ".ckpt");\n'
                                    'Files.write(cut, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});\n'
                                    'org.moelab.train.Checkpoint.load(cut);')
        tb = traceback(messages)
        check(content["status"] == "error" and "corrupted" in tb, tb)

        # Comms: unknown target closed at once without an error; a registered target echoes; comm_info lists it.
        msg_id = kc.comm_info()
        reply = shell_reply(kc, msg_id)["content"]
        check(reply == {"status": "ok", "comms": {}}, reply)
        open_msg = kc.session.msg("comm_open", {"comm_id": "c-unknown", "target_name": "nobody.here", "data": {}})
        kc.shell_channel.send(open_msg)
        closes = [m for m in drain_iopub(kc, open_msg["header"]["msg_id"]) if m["msg_type"] == "comm_close"]
        check(closes and closes[0]["content"]["comm_id"] == "c-unknown", closes)
        content, messages = run(kc, '''
getKernelInstance().getCommManager().registerTarget("moelab.echo", (manager, id, target, msg) ->
    new io.github.spencerpark.jupyter.kernel.comm.Comm(manager, id, target) {
        protected void onMessage(io.github.spencerpark.jupyter.messages.Message<io.github.spencerpark.jupyter.messages.comm.CommMsgCommand> m) {
            send(m.getContent().getData());
        }
        protected void onClose(io.github.spencerpark.jupyter.messages.Message<io.github.spencerpark.jupyter.messages.comm.CommCloseCommand> m, boolean sending) {
        }
    });''')
        check(content["status"] == "ok", traceback(messages))
        open_msg = kc.session.msg("comm_open", {"comm_id": "c-echo", "target_name": "moelab.echo", "data": {}})
        kc.shell_channel.send(open_msg)
        check(not [m for m in drain_iopub(kc, open_msg["header"]["msg_id"]) if m["msg_type"] == "comm_close"], "closed")
        reply = shell_reply(kc, kc.comm_info())["content"]
        check(reply["comms"] == {"c-echo": {"target_name": "moelab.echo"}}, reply)
        comm_msg = kc.session.msg("comm_msg", {"comm_id": "c-echo", "data": {"ping": 1}})
        kc.shell_channel.send(comm_msg)
        echoes = [m for m in drain_iopub(kc, comm_msg["header"]["msg_id"]) if m["msg_type"] == "comm_msg"]
        check(echoes and echoes[0]["content"]["data"] == {"ping": 1}, echoes)
        close_msg = kc.session.msg("comm_close", {"comm_id": "c-echo", "data": {}})
        kc.shell_channel.send(close_msg)
        drain_iopub(kc, close_msg["header"]["msg_id"])
        reply = shell_reply(kc, kc.comm_info())["content"]
        check(reply["comms"] == {}, reply)

        # %%moe help alone in a cell, %%moe without a body (the same help), completion of magics.
        content, messages = run(kc, "%%moe help")
        check(content["status"] == "ok" and "router" in "".join(streams(messages)), messages)
        content, messages = run(kc, "%%moe")
        check(content["status"] == "ok" and "router" in "".join(streams(messages)), messages)  # an empty %%moe prints its help
        reply = shell_reply(kc, kc.complete("%mo", 3))["content"]
        check(reply["status"] == "ok" and "%moe" in reply["matches"] and reply["cursor_start"] == 0, reply)

        check(km.is_alive(), "the kernel is alive at the end")
        print("OK")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main())
