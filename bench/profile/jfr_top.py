"""Summarises the execution samples of a JFR recording: top frames (self time), hottest org.moelab methods
(inclusive: time spent in them or in what they call) and the org.moelab frame nearest to each sample's top
(our code that caused the time, attributing JDK/Vector-API frames to their caller).

    jfr print --json --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample rec.jfr > rec.json
    /usr/bin/python3 bench/profile/jfr_top.py rec.json [N]
"""
import collections
import json
import sys


def frame_name(f):
    m = f["method"]
    return "%s.%s" % (m["type"]["name"].replace("/", "."), m["name"])


def main():
    path = sys.argv[1]
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    with open(path) as fh:
        events = json.load(fh)["recording"]["events"]
    own, inclusive, nearest = collections.Counter(), collections.Counter(), collections.Counter()
    native_own = collections.Counter()
    java, native = 0, 0
    for e in events:
        frames = [frame_name(f) for f in (e["values"].get("stackTrace") or {}).get("frames", [])]
        if not frames:
            continue
        if e["type"] == "jdk.NativeMethodSample":
            native += 1
            native_own[frames[0]] += 1
            continue
        java += 1
        own[frames[0]] += 1
        for name in set(frames):
            if name.startswith("org.moelab"):
                inclusive[name] += 1
        ours = next((n for n in frames if n.startswith("org.moelab")), frames[0])
        nearest[ours] += 1

    def show(title, counter, total):
        print("\n## %s (%d samples)\n" % (title, total))
        for name, n in counter.most_common(top_n):
            print("%6.1f%%  %5d  %s" % (100.0 * n / max(total, 1), n, name))

    show("Java samples by top frame (self)", own, java)
    show("Java samples by nearest org.moelab frame", nearest, java)
    show("Java samples by org.moelab method, inclusive", inclusive, java)
    show("Native-method samples (Java threads blocked in native code, e.g. cblas_sgemm)", native_own, native)


if __name__ == "__main__":
    main()
