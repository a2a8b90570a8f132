"""Helpers for the classroom tests: HAProxy with replicas (``deploy/classroom.sh``, started by
:func:`labdev.server.start_classroom`) and the load client (:mod:`labdev.protocol`, :mod:`labdev.loadtest`).

HAProxy is Debian's (``scripts/test.sh`` installs it). When it is missing the tests that need it are
skipped, except under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from labdev import server
from labdev.env import ROOT, in_ci


def run_async(coro: Any) -> Any:
    """``asyncio.run(coro)`` in a thread of its own: the browser tests' Playwright (sync API) keeps an
    event loop running in the main thread for the whole session, where ``asyncio.run`` refuses to start."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            result["error"] = exc

    t = threading.Thread(target=target, name="classroom-asyncio")
    t.start()
    t.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def require_installed_here() -> None:
    """The project is installed from this checkout (``pip install -e .``; ``scripts/test.sh`` does it):
    a command such as ``python3 bench/classroom.py`` imports ``labdev`` as an installed package, so
    without it, or with another checkout installed, it would fail or run someone else's code.
    Skipped when not so, except under ``CI=true``, where that is a failure."""
    probe = subprocess.run(
        [sys.executable, "-c", "import labdev.env; print(labdev.env.ROOT)"],
        cwd=os.path.abspath(os.sep),  # not the checkout: only an installed labdev is found
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = probe.stdout.strip() if probe.returncode == 0 else None
    if found == str(ROOT):
        return
    why = f"installed from {found}, not {ROOT}" if found else "not installed"
    message = f"the project is {why}: pip install -e . (bash scripts/test.sh does it)"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None)


def _fail(message: str) -> Any:
    pytest.fail(message, pytrace=False)


def start_classroom(replicas: int, tmp: Path, timeout_s: float = 180.0) -> server.Classroom:
    """``deploy/classroom.sh --replicas K`` (skipped without HAProxy, a failure under CI)."""
    if haproxy_path() is None:
        if in_ci():
            pytest.fail("haproxy is missing (CI=true: bash scripts/test.sh installs it)", pytrace=False)
        pytest.skip("haproxy is missing: apt-get install haproxy (bash scripts/test.sh does it)")
    return server.start_classroom(replicas, tmp, timeout_s=timeout_s, on_fail=_fail)
