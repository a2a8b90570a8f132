"""Failover: three replicas behind HAProxy (deploy/classroom.sh), one is killed mid-class.

Nine simulated students (labdev.loadtest, the scenario of bench/classroom.py) work through HAProxy. Once all are in, the replica
holding the most of them is killed (SIGKILL). Its students must get a clean reconnect to another
replica: the websocket drops, they reconnect with the same cookie, HAProxy sends them to a live
replica, the page runs again there (a new session) without a traceback, and they carry on. Every
other student carries on with 0 errors. Then SIGTERM stops the script and everything it started.

Nothing here is timed: generous timeouts (60 s a change), short think times, about a minute.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter

import pytest

from labdev import loadtest
from labdev.server import stop_classroom
from tests.classroom.classroom_helpers import run_async, start_classroom

pytestmark = pytest.mark.slow

STUDENTS = 9
DURATION_S = 24.0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def class_with_a_kill(cfg: loadtest.Config, pids: dict[str, int]) -> tuple[loadtest.Report, str, list[int]]:
    rep = loadtest.Report()
    students = [loadtest.Student(i, cfg, rep) for i in range(STUDENTS)]
    deadline = time.monotonic() + cfg.duration
    tasks = [asyncio.create_task(s.run(deadline, 0.3 * i)) for i, s in enumerate(students)]
    # wait until every student has loaded the page (or failed to), then a little work
    t0 = time.monotonic()
    while sum(1 for s in students if s.replicas) < STUDENTS and time.monotonic() - t0 < 90:
        await asyncio.sleep(0.2)
    await asyncio.sleep(3)
    where = Counter(s.replicas[0] for s in students if s.replicas)
    victim = where.most_common(1)[0][0]
    on_victim = [s.i for s in students if s.replicas and s.replicas[0] == victim]
    os.kill(pids[victim], signal.SIGKILL)
    await asyncio.wait_for(asyncio.gather(*tasks), cfg.duration + 200)
    rep.students.sort(key=lambda d: d["student"])
    return rep, victim, on_victim


def test_killed_replica_students_reconnect_others_carry_on(tmp_path) -> None:
    room = start_classroom(3, tmp_path)
    try:
        pids = {name: pid for name, pid, _ in room.replicas}
        assert len(pids) == 3
        run_async(
            loadtest.warm_up(
                [f"http://127.0.0.1:{port}" for _, _, port in room.replicas],
                loadtest.LESSONS,
                ("step_by_step", "library"),
            )
        )
        cfg = loadtest.Config(
            base=room.url,
            students=STUDENTS,
            duration=DURATION_S,
            think=1.0,
            jitter=0.5,
            ramp=0,
            timeout=60,
            mix={"slider": 4.0, "sentence": 2.0, "language": 0.5, "open": 1.0},
            lessons=("step_by_step", "library", "self_attention"),
        )
        rep, victim, on_victim = run_async(class_with_a_kill(cfg, pids))
        log = room.log.read_text(errors="replace")
        assert not alive(pids[victim])
        assert f"replica {victim}" in log and "exited" in log
        by_student = {s["student"]: s for s in rep.students}
        assert len(by_student) == STUDENTS and on_victim

        for i, s in by_student.items():
            assert s["loaded"], s
            if i in on_victim:
                # a clean reconnect: dropped once, reconnected to a live replica, a new session there
                assert s["disconnects"] >= 1 and s["reconnects"] == s["disconnects"], s
                assert s["replicas"][0] == victim and s["replicas"][-1] != victim, s
                assert len(s["sessions"]) >= 2, s
            else:
                assert s["errors"] == 0 and s["disconnects"] == 0, (s, dict(rep.errors))
                assert s["replicas"] == [s["replicas"][0]] and s["replicas"][0] != victim, s
            assert s["changes"] >= 2, s  # everyone carried on working
        # the only errors are the victim's students' dropped connections / changes in flight
        kinds = Counter(what for (_, what), n in rep.errors.items() for _ in range(n))
        assert set(kinds) <= {"disconnect"}, (dict(rep.errors), rep.exception_texts[:3])
        assert rep.exception_texts == []  # no traceback anywhere, reconnect runs included
        assert len(rep.latencies["reconnect"]) == len(on_victim)
    finally:
        code = stop_classroom(room.proc)
    assert code in (143, 0), room.log.read_text(errors="replace")[-3000:]
    for pid in [room.haproxy_pid] + [pid for _, pid, _ in room.replicas]:
        assert not alive(pid), f"pid {pid} still running after SIGTERM"
    assert "stopped" in room.log.read_text(errors="replace")
