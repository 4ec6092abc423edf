"""The PyTorch side's timing loop: a line-by-line mirror of bench/src/main/java/org/moelab/bench/Harness.java.

Warm up for `warmup_seconds` (at least `min_warmup_calls` calls), size a sample so it lasts at least
`min_sample_ms`, take `samples` samples, and report the per-call median and quartiles. Results go out as the
same tab-separated lines as Measurement.java, so the report joins both sides on (name, size).
"""
import gc
import math
import time
from dataclasses import dataclass

HEADER = "name\tsize\tmedian_ms\tp25_ms\tp75_ms\tmin_ms\tsamples\tcalls_per_sample\tflops"


@dataclass(frozen=True)
class Settings:
    warmup_seconds: float
    min_warmup_calls: int
    min_sample_ms: float
    samples: int

    def quick(self):
        return Settings(self.warmup_seconds / 4, max(2, self.min_warmup_calls // 4), self.min_sample_ms / 2,
                        max(5, self.samples // 3))


MICRO = Settings(1.0, 20, 25, 15)
TRAIN_STEP = Settings(3.0, 5, 0, 15)


def quantile(sorted_values, q):
    """Linear interpolation between order statistics (as Measurement.quantile)."""
    pos = q * (len(sorted_values) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


@dataclass
class Measurement:
    name: str
    size: str
    flops: float
    median_ms: float
    p25_ms: float
    p75_ms: float
    min_ms: float
    samples: int
    calls_per_sample: int

    def to_tsv(self):
        return "\t".join([self.name, self.size, "%.6f" % self.median_ms, "%.6f" % self.p25_ms, "%.6f" % self.p75_ms,
                          "%.6f" % self.min_ms, str(self.samples), str(self.calls_per_sample), "%.0f" % self.flops])


class Harness:
    def __init__(self, sink, quick=False):
        self.sink = sink
        self.quick = quick

    def measure(self, name, size, flops, settings, body):
        s = settings.quick() if self.quick else settings
        warm_start = time.perf_counter()
        warmup_end = warm_start + s.warmup_seconds
        calls = 0
        while calls < s.min_warmup_calls or time.perf_counter() < warmup_end:
            body()
            calls += 1
        # Size a sample from a timed calibration batch, not from the warm-up average (its first calls are slow).
        inner = calibrate(body, s.min_sample_ms)
        gc.collect()
        per_call = []
        for _ in range(s.samples):
            t0 = time.perf_counter()
            for _ in range(inner):
                body()
            per_call.append((time.perf_counter() - t0) * 1e3 / inner)
        srt = sorted(per_call)
        m = Measurement(name, size, flops, quantile(srt, 0.5), quantile(srt, 0.25), quantile(srt, 0.75), srt[0],
                        len(srt), inner)
        self.sink(m)
        return m


def calibrate(body, min_sample_ms):
    """The smallest power of two of calls that takes at least min_sample_ms (1 when one call already does)."""
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            body()
        elapsed_ms = (time.perf_counter() - t0) * 1e3
        if elapsed_ms >= min_sample_ms or n >= 1 << 20:
            return n
        n *= 2
