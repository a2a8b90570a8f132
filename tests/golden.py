"""Compare computed numbers with a notebook's printout, to the precision it was printed at."""

from __future__ import annotations

from decimal import Decimal

import numpy as np


def printed_tolerance(printed: float, *, float32: bool) -> float:
    """Half a unit in the last printed digit; plus float32 rounding when the notebook computed in float32.

    ``repr`` of the preset's float is the shortest string that round-trips, i.e. the digits
    the notebook printed (trailing zeros are dropped by numpy too).
    """
    exponent = Decimal(repr(float(printed))).as_tuple().exponent
    assert isinstance(exponent, int)
    tol = 0.5 * 10.0**exponent
    if float32:
        tol += 2.0**-23 * max(1.0, abs(printed))  # one float32 ulp at this magnitude
    return tol * (1 + 1e-9)


def assert_matches_printout(actual: object, printed: object, *, float32: bool = False) -> None:
    """Every number of ``actual`` equals the printed one to the printed precision."""
    a = np.asarray(actual, dtype=np.float64)
    p = np.asarray(printed, dtype=np.float64)
    assert a.shape == p.shape, (a.shape, p.shape)
    for idx in np.ndindex(p.shape):
        tol = printed_tolerance(float(p[idx]), float32=float32)
        assert abs(a[idx] - p[idx]) <= tol, f"at {idx}: computed {a[idx]!r}, printed {p[idx]!r} (tolerance {tol:.1e})"
