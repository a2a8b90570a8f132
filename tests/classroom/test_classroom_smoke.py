"""Smoke run of the load client (bench/classroom.py): 3 students for 10 s against its own server.

Not timed: it checks that the client runs end to end (page loads, changes of every kind it
picks, the markdown table, the JSON) and that nothing failed, not how fast.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from labdev.env import ROOT
from tests.classroom.classroom_helpers import require_installed_here

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True, scope="module")
def _installed_here() -> None:
    """``python3 bench/classroom.py`` imports the installed project: this checkout's."""
    require_installed_here()


def test_help_documents_the_options() -> None:
    out = subprocess.run(
        [sys.executable, "bench/classroom.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    for option in ("--students", "--duration", "--think", "--serve", "--url", "--live", "--profile", "--memory"):
        assert option in out.stdout


def test_only_loopback_is_a_target() -> None:
    out = subprocess.run(
        [sys.executable, "bench/classroom.py", "--url", "http://10.0.0.1:8501"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0 and "loopback" in out.stderr


def test_three_students_ten_seconds(tmp_path) -> None:
    result = tmp_path / "run.json"
    cmd = [
        sys.executable, "bench/classroom.py", "--serve", "plain", "--students", "3", "--duration", "10",
        "--ramp", "1", "--think", "1.5", "--json", str(result),
    ]  # fmt: skip
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, f"stdout:\n{out.stdout}\nstderr:\n{out.stderr[-3000:]}"
    assert "| change | n | p50 ms | p95 ms | max ms | errors |" in out.stdout
    assert "| page load | 3 |" in out.stdout
    data = json.loads(result.read_text())
    assert data["errors"] == {} and data["missing"] == {} and data["exceptions"] == []
    assert len(data["latencies"]["page load"]) == 3
    assert data["changes"] >= 3  # every student made at least one change
    assert all(s["loaded"] and s["changes"] >= 1 for s in data["students"])
    assert data["cpu_ms"] > 0 and data["rss_peak"] > 0  # read from /proc of the server
