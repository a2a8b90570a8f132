"""Where the checkout is, and whether we run in CI (where a missing browser or HAProxy is a failure)."""

from __future__ import annotations

import os
from pathlib import Path

#: The checkout this package belongs to (``app.py``, ``deploy/``, ``ui/locales/`` are here).
ROOT = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    """True under ``CI=true`` (or ``1``, ``yes``): what would be skipped elsewhere must fail there."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
