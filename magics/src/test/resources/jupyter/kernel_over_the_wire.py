"""Drives the installed MoE Lab kernel through jupyter_client, as the Notebook does: execute, interrupt a busy
loop, a failing cell, and the complete / inspect / is_complete requests. Prints OK on success; any failed check
raises. Run with Debian's /usr/bin/python3 (jupyter_client comes from the jupyter-client package)."""
import sys
import time

from jupyter_client.manager import start_new_kernel


def run(kc, code, timeout=120):
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
    return reply["content"], outputs


def text_results(outputs):
    return [o["content"]["data"].get("text/plain") for o in outputs if o["msg_type"] == "execute_result"]


def main():
    km, kc = start_new_kernel(kernel_name="moelab-java", startup_timeout=120)
    try:
        started = time.time()
        content, outputs = run(kc, "int kept = 41;\nkept + 1")
        assert content["status"] == "ok", content
        assert text_results(outputs) == ["42"], outputs
        print("first result after %.1f s" % (time.time() - started))

        # A busy loop that never looks at interrupts: the interrupt button must still stop it.
        msg_id = kc.execute("long spins = 0; while (true) { spins++; }")
        time.sleep(3)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "error", reply["content"]
        content, outputs = run(kc, "kept")
        assert content["status"] == "ok" and text_results(outputs) == ["41"], (content, outputs)

        # A failing cell: an error with a readable trace, the kernel lives on.
        content, outputs = run(kc, 'void explode() { throw new IllegalStateException("boom"); }\nexplode();')
        assert content["status"] == "error", content
        errors = [o["content"] for o in outputs if o["msg_type"] == "error"]
        assert errors and "boom" in "\n".join(errors[0]["traceback"]), outputs
        content, outputs = run(kc, "kept * 2")
        assert text_results(outputs) == ["82"], outputs

        # A compile error names the line.
        content, outputs = run(kc, "int a = 1;\nint b = nothing;")
        errors = [o["content"] for o in outputs if o["msg_type"] == "error"]
        assert errors and "cell line 2" in "\n".join(errors[0]["traceback"]), outputs

        kc.is_complete("for (int i = 0; i < 3; i++) {")
        reply = kc.get_shell_msg(timeout=30)
        assert reply["content"]["status"] == "incomplete", reply["content"]
        kc.complete("kep", 3)
        reply = kc.get_shell_msg(timeout=30)
        assert "kept" in reply["content"]["matches"], reply["content"]
        kc.inspect("Math.max(1, 2)", 6)
        reply = kc.get_shell_msg(timeout=30)
        assert reply["content"]["found"], reply["content"]
        print("OK")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main())
