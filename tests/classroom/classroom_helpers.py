"""Helpers for the classroom tests: HAProxy with replicas (deploy/classroom.sh), and the load client
``bench/classroom.py`` imported as ``classroom``. (A module of its own, not conftest.py: several
test folders have a conftest.py, and ``from conftest import`` would pick whichever came first.)

HAProxy is Debian's (``scripts/test.sh`` installs it). When it is missing the tests that need it are
skipped, except under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
for extra in (ROOT / "bench", ROOT / "tests" / "browser"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import classroom  # noqa: E402  (bench/classroom.py)
from server import free_port, health, serve  # noqa: E402, F401  (tests/browser/server.py; serve is re-exported)

DEPLOY = ROOT / "deploy" / "classroom.sh"


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


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None)


class Classroom:
    """A running ``deploy/classroom.sh``: its URL, its replicas ``[(name, pid, port)]`` and its process."""

    def __init__(self, proc: subprocess.Popen[bytes], url: str, state: Path, log: Path):
        self.proc, self.url, self.log = proc, url, log
        self.replicas = classroom.read_state(state)
        lines = [x.split() for x in state.read_text().splitlines()]
        self.haproxy_pid = next(int(x[1]) for x in lines if x and x[0] == "haproxy")

    def pid_of(self, name: str) -> int:
        return next(pid for n, pid, _ in self.replicas if n == name)


def start_classroom(replicas: int, tmp: Path, timeout_s: float = 180.0) -> Classroom:
    if haproxy_path() is None:
        if in_ci():
            pytest.fail("haproxy is missing (CI=true: bash scripts/test.sh installs it)", pytrace=False)
        pytest.skip("haproxy is missing: apt-get install haproxy (bash scripts/test.sh does it)")
    port = free_port()
    state, log = tmp / "classroom.state", tmp / "classroom.log"
    cmd = [
        "bash",
        str(DEPLOY),
        "--replicas",
        str(replicas),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--user",  # the replicas run as whoever runs this (named: classroom.sh refuses root otherwise)
        pwd.getpwuid(os.getuid()).pw_name,
        "--state",
        str(state),
    ]
    with log.open("wb") as f:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while not (state.exists() and "ready" in state.read_text() and health(f"{url}/_stcore/health") == "ok"):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_classroom(proc)
            pytest.fail(f"deploy/classroom.sh did not start:\n{log.read_text(errors='replace')[-4000:]}", pytrace=False)
        time.sleep(0.3)
    return Classroom(proc, url, state, log)


def stop_classroom(proc: subprocess.Popen[bytes]) -> int | None:
    """SIGTERM the script (it stops what it started, by pid); SIGKILL its group if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    return proc.returncode
