"""The PyTorch side of bench/run: runs the selected suites and writes one tab-separated result file in the
format of Measurement.java (lines starting with '#' carry facts such as thread counts and parameter counts).

    /usr/bin/python3 bench/pytorch/bench.py [--suites ops,lm-small,lm-large] [--quick] [--threads 2] [--out F]
"""
import argparse
import os
import platform
import sys

import torch

import harness


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--suites", default="ops,lm-small,lm-large")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default="build/bench/torch.tsv")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    info = {
        "torch.version": torch.__version__,
        "torch.threads": str(torch.get_num_threads()),
        "torch.python": platform.python_version(),
        "torch.blas": torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0],
    }
    results = []

    def sink(m):
        results.append(m)
        print("  torch  %-24s %-14s %10.3f ms  (IQR %4.1f%%, %d x %d calls)"
              % (m.name, m.size, m.median_ms, 100 * (m.p75_ms - m.p25_ms) / m.median_ms, m.samples,
                 m.calls_per_sample), flush=True)

    h = harness.Harness(sink, quick=args.quick)
    for suite in [s.strip() for s in args.suites.split(",") if s.strip()]:
        if suite == "ops":
            import ops
            ops.run_all(h)
        elif suite in ("lm-small", "lm-large"):
            import train_step
            train_step.run(h, train_step.CONFIGS[suite], info)
        elif suite == "moe-layer":
            import moe
            moe.run_layer(h, info)
        elif suite == "smoe-step":
            import moe
            moe.run_smoe_step(h, info)
        elif suite == "evomoe-step":
            import evomoe
            evomoe.run(h, info)
        elif suite == "promoe-step":
            import promoe
            promoe.run(h, info)
        elif suite == "mom-layer":
            import mom
            mom.run_layer(h, info)
        elif suite == "mom-decode":
            import mom
            mom.run_decode(h, info)
        elif suite == "loramixer-step":
            import loramixer
            loramixer.run(h, info)
        else:
            sys.exit("unknown suite '%s' (ops, lm-small, lm-large, moe-layer, smoe-step, evomoe-step, promoe-step, mom-layer, mom-decode, loramixer-step)" % suite)

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        for k, v in info.items():
            f.write("#%s\t%s\n" % (k, str(v).replace("\t", " ").replace("\n", " ")))
        f.write(harness.HEADER + "\n")
        for m in results:
            f.write(m.to_tsv() + "\n")


if __name__ == "__main__":
    main()
