"""Start the app on a free loopback port and wait until it answers: one launcher, one health poll,
for the browser tests, the classroom tests, the deployment tests and the benchmarks.

- :func:`serve`: ``streamlit run <script>`` (the app, or a test page), as a context manager;
- :func:`start_classroom` / :func:`stop_classroom` (or :func:`classroom`, a context manager):
  ``deploy/classroom.sh`` (replicas behind HAProxy);
- :func:`launch` + :func:`wait_until_ready`: any other command that serves HTTP (the container's ``CMD``);
- :data:`CHROMIUM` and its flags: the browser the tests and ``bench/live.py`` drive.

Every process is started in a group of its own and stopped by its pid (:func:`stop`).
"""

from __future__ import annotations

import os
import pwd
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .env import ROOT

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
DEPLOY = ROOT / "deploy" / "classroom.sh"


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
    """SIGTERM the process group, SIGKILL it if it has not gone after 10 s."""
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


def launch(cmd: list[str], log_path: Path, *, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``cmd`` from the checkout's root in a process group of its own, output in ``log_path``."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else {**os.environ, "PYTHONUNBUFFERED": "1"},
            start_new_session=True,
        )


def wait_until_ready(
    proc: subprocess.Popen[bytes],
    url: str | None,
    log_path: Path,
    *,
    timeout_s: float = 60.0,
    ready: Callable[[], bool] | None = None,
    on_fail: Callable[[str], NoReturn] = _raise,
    interval_s: float = 0.2,
) -> None:
    """The health poll: return once ``url/_stcore/health`` answers ``ok`` (no URL: not asked) and
    ``ready()`` holds (e.g. a state file says so). ``on_fail(message)``, with the log's tail, when
    the process exits or ``timeout_s`` passes first."""
    deadline = time.monotonic() + timeout_s
    while not ((url is None or health(f"{url}/_stcore/health") == "ok") and (ready is None or ready())):
        if proc.poll() is not None or time.monotonic() > deadline:
            why = f"exited with code {proc.returncode}" if proc.poll() is not None else "did not answer in time"
            where = f" ({url}/_stcore/health)" if url else ""
            on_fail(f"{' '.join(map(str, proc.args[:6]))} … {why}{where}. Log:\n{_tail(log_path)}")
        time.sleep(interval_s)


def _tail(path: Path, n: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return "(no log)"


def streamlit_command(script: str, port: int) -> list[str]:
    """``python -m streamlit run <script>`` on 127.0.0.1:``port``, headless, no file watcher."""
    return [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip


@contextmanager
def streamlit_server(
    script: str,
    log_path: Path,
    *,
    timeout_s: float = 60.0,
    on_fail: Callable[[str], NoReturn] = _raise,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run ``streamlit run <script>`` (a path from the checkout's root); yield its URL and process
    once it answers (:func:`wait_until_ready`); stop it on exit."""
    port = free_port()
    proc = launch(streamlit_command(script, port), log_path)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(proc, url, log_path, timeout_s=timeout_s, on_fail=on_fail)
        yield url, proc
    finally:
        stop(proc)


@contextmanager
def serve(
    script: str,
    log_path: Path,
    *,
    timeout_s: float = 60.0,
    on_fail: Callable[[str], NoReturn] = _raise,
) -> Iterator[str]:
    """:func:`streamlit_server`, yielding its URL only (``http://127.0.0.1:PORT``)."""
    with streamlit_server(script, log_path, timeout_s=timeout_s, on_fail=on_fail) as (url, _):
        yield url


# --------------------------------------------------------------------------- a class: deploy/classroom.sh
@dataclass
class Classroom:
    """A running ``deploy/classroom.sh``: its URL, its replicas ``[(name, pid, port)]``, HAProxy's pid."""

    proc: subprocess.Popen[bytes]
    url: str
    replicas: list[tuple[str, int, int]]
    haproxy_pid: int
    log: Path

    def pid_of(self, name: str) -> int:
        return next(pid for n, pid, _ in self.replicas if n == name)


def read_state(path: Path) -> list[tuple[str, int, int]]:
    """``deploy/classroom.sh --state FILE`` lines ``replica NAME PID PORT`` → [(name, pid, port)]."""
    out = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "replica":
            out.append((parts[1], int(parts[2]), int(parts[3])))
    return out


def start_classroom(
    replicas: int,
    folder: Path,
    *,
    timeout_s: float = 180.0,
    logs: Path | None = None,
    on_fail: Callable[[str], NoReturn] = _raise,
) -> Classroom:
    """``deploy/classroom.sh --replicas K`` on a free loopback port, as whoever runs this (its state
    file and log in ``folder``; ``logs``: keep the replicas' logs there); returns once every replica
    and HAProxy are up (the state file says ``ready``) and the balancer answers."""
    port = free_port()
    state, log = folder / "classroom.state", folder / "classroom.log"
    cmd = [
        "bash", str(DEPLOY),
        "--replicas", str(replicas),
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--user", pwd.getpwuid(os.getuid()).pw_name,  # named: classroom.sh refuses root otherwise
        "--state", str(state),
    ]  # fmt: skip
    if logs is not None:
        logs.mkdir(parents=True, exist_ok=True)
        cmd += ["--logs", str(logs)]
    proc = launch(cmd, log)
    url = f"http://127.0.0.1:{port}"

    def fail(message: str) -> NoReturn:
        stop_classroom(proc)
        on_fail(message)

    wait_until_ready(
        proc, url, log, timeout_s=timeout_s, ready=lambda: state.exists() and "ready" in state.read_text(), on_fail=fail
    )
    lines = [x.split() for x in state.read_text().splitlines()]
    haproxy = next(int(x[1]) for x in lines if x and x[0] == "haproxy")
    return Classroom(proc, url, read_state(state), haproxy, log)


@contextmanager
def classroom(
    replicas: int,
    folder: Path,
    *,
    timeout_s: float = 180.0,
    logs: Path | None = None,
    on_fail: Callable[[str], NoReturn] = _raise,
) -> Iterator[Classroom]:
    """:func:`start_classroom` as a context manager: yield the running class, stop it on exit."""
    room = start_classroom(replicas, folder, timeout_s=timeout_s, logs=logs, on_fail=on_fail)
    try:
        yield room
    finally:
        stop_classroom(room.proc)


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
