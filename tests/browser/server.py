"""Start ``streamlit run <script>`` on a free loopback port for the browser tests and the benchmarks,
and the Chromium they drive.

Shared by ``tests/browser/conftest.py`` and ``bench/live.py``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[2]
#: Debian's Chromium (never a Playwright download) and the flags this machine needs: without the
#: background-networking flags Chromium keeps trying hosts a closed network refuses.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1800}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def health(url: str) -> str | None:
    """The body of ``url`` (e.g. ``/_stcore/health`` answers ``ok``), or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode(errors="replace").strip()
    except (urllib.error.URLError, OSError):
        return None


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group, SIGKILL it if it has not gone after 10 s."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def _raise(message: str) -> NoReturn:
    raise RuntimeError(message)


@contextmanager
def serve(
    script: str,
    log_path: Path,
    *,
    timeout_s: float = 60.0,
    on_fail: Callable[[str], NoReturn] = _raise,
) -> Iterator[str]:
    """Run ``streamlit run <script>`` (own process group, log in ``log_path``); yield its URL
    once ``/_stcore/health`` answers ``ok``; stop it on exit. ``on_fail(message)`` is called
    when the server exits or does not answer within ``timeout_s``."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while health(f"{url}/_stcore/health") != "ok":
            if proc.poll() is not None or time.monotonic() > deadline:
                why = f"exited with code {proc.returncode}" if proc.poll() is not None else "did not answer in time"
                on_fail(
                    f"streamlit server for {script} {why} ({url}/_stcore/health). "
                    f"Log:\n{log_path.read_text(errors='replace')[-4000:]}"
                )
            time.sleep(0.2)
        yield url
    finally:
        stop(proc)
