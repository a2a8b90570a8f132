"""A throwaway PostgreSQL cluster for the tests and bench/live_class.py: Debian's ``postgresql`` package, run as the
``postgres`` user (the server refuses root) in a temporary folder, on a free loopback port.

``cluster()`` yields a SQLAlchemy URL (``postgresql+psycopg://postgres@/attention_lab?host=…&port=…``:
a Unix socket in the cluster's own folder). Nothing is mocked: it is a real server.
When PostgreSQL is not installed the caller skips, except under ``CI=true`` (``.ci/run`` installs it).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .server import free_port


def bin_dir() -> Path | None:
    """Debian's PostgreSQL binaries (the newest major version installed), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def missing_reason() -> str | None:
    """Why a cluster cannot be started here, or None when it can."""
    if bin_dir() is None:
        return "PostgreSQL is not installed (apt-get install postgresql; bash scripts/test.sh does it)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser is missing (needed to run PostgreSQL as the postgres user)"
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return "there is no postgres user (apt-get install postgresql creates it)"
    return None


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def cluster(db: str = "attention_lab") -> Iterator[str]:
    """Start a fresh cluster, create database ``db``, yield its URL; stop and delete it on exit."""
    bins = bin_dir()
    if bins is None:
        raise RuntimeError(missing_reason() or "PostgreSQL is missing")
    folder = Path(tempfile.mkdtemp(prefix="attention-lab-pg-"))
    data, sock = folder / "data", folder / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
        os.chmod(folder, 0o755)
    port = free_port()
    log = folder / "server.log"
    run = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run(_as_postgres([str(bins / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]), **run)
        opts = f"-p {port} -k {sock} -c listen_addresses='' -c fsync=off -c max_connections=200"
        subprocess.run(
            _as_postgres([str(bins / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "start"]), **run
        )
        deadline = time.monotonic() + 30
        while True:
            ready = subprocess.run(
                [str(bins / "pg_isready"), "-h", str(sock), "-p", str(port)], capture_output=True, timeout=10
            )
            if ready.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        subprocess.run(_as_postgres([str(bins / "createdb"), "-h", str(sock), "-p", str(port), db]), **run)
        yield f"postgresql+psycopg://postgres@/{db}?host={sock}&port={port}"
    finally:
        subprocess.run(
            _as_postgres([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)
