"""Percentiles and medians for the benchmarks' tables (bench/live.py, bench/latency.py, bench/classroom.py)."""

from __future__ import annotations

import statistics


def pct(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100), linear between ranks; NaN for no values."""
    s = sorted(values)
    if not s:
        return float("nan")
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def med(values: list[float]) -> float:
    """The median; NaN for no values."""
    return statistics.median(values) if values else float("nan")
