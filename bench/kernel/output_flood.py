"""Output-flood benchmark (issue 14): the same print loops in the MoE Lab kernel and in the python3 kernel
(ipykernel), through jupyter_client: 2,000 lines of 25 KB (50 MB) and 100,000 short lines. Reports wall time from
execute_request to idle, bytes of stream text delivered and the number of stream messages. Not a test: numbers only.

    /usr/bin/python3 bench/kernel/output_flood.py [--rounds N] [--out build/bench/output-flood.md]

The MoE Lab kernel runs twice: with its default per-cell output limit (10 MB, the rest dropped with one notice) and
with MOELAB_MAX_CELL_OUTPUT=0 (no limit, like ipykernel). Needs the kernelspecs moelab-java (./moelab install-kernel)
and python3 (Debian's python3-ipykernel); JUPYTER_PATH is honoured."""
import argparse
import os
import time

from jupyter_client.manager import start_new_kernel

CASES = {
    "moelab-java": {
        "50 MB (2,000 x 25 KB)": 'String line = "x".repeat(25_000);\nfor (int i = 0; i < 2000; i++) System.out.println(line);',
        "100,000 lines": 'for (int i = 0; i < 100_000; i++) System.out.println("step " + i);',
    },
    "python3": {
        "50 MB (2,000 x 25 KB)": 'line = "x" * 25_000\nfor i in range(2000):\n    print(line)',
        "100,000 lines": 'for i in range(100_000):\n    print("step", i)',
    },
}


def measure(kc, code, timeout=900):
    started = time.time()
    msg_id = kc.execute(code)
    delivered = messages = 0
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            messages += 1
            delivered += len(msg["content"]["text"].encode())
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return time.time() - started, delivered, messages


def run_kernel(name, env, rounds):
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=180, env=env)
    rows = []
    try:
        kc.execute_interactive("1 + 1", timeout=120)  # warm-up
        for case, code in CASES[name].items():
            best = None
            for _ in range(rounds):
                result = measure(kc, code)
                if best is None or result[0] < best[0]:
                    best = result
            rows.append((case, best))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    base = dict(os.environ)
    configurations = [
        ("MoE Lab (default: 10 MB per cell)", "moelab-java", {k: v for k, v in base.items() if k != "MOELAB_MAX_CELL_OUTPUT"}),
        ("MoE Lab (MOELAB_MAX_CELL_OUTPUT=0)", "moelab-java", dict(base, MOELAB_MAX_CELL_OUTPUT="0")),
        ("python3 (ipykernel)", "python3", base),
    ]
    lines = ["| kernel | case | time (s) | bytes delivered | stream messages |", "|---|---|---|---|---|"]
    for label, name, env in configurations:
        for case, (seconds, delivered, messages) in run_kernel(name, env, args.rounds):
            lines.append("| %s | %s | %.2f | %s | %s |" % (label, case, seconds, format(delivered, ","), format(messages, ",")))
            print(lines[-1], flush=True)
    try:
        load = "%.1f" % os.getloadavg()[0]
    except OSError:
        load = "?"
    report = "# Output flood (load average %s, best of %d)\n\n%s\n" % (load, args.rounds, "\n".join(lines))
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as handle:
            handle.write(report)
    print(report)


if __name__ == "__main__":
    main()
