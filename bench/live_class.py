"""A live class under load: one teacher and N students through deploy/classroom.sh, on SQLite or on
a real PostgreSQL, with Streamlit's own websocket protocol (the client of labdev.protocol; no
browser). Each session polls as the browser does (``st.fragment(run_every=...)``: the client reruns
the fragment at its interval when no run is under way).

Usage (from the repository root, installed with ``pip install -e .``)::

    python3 bench/live_class.py --students 60 --replicas 2 --db sqlite
    python3 bench/live_class.py --students 60 --replicas 2 --db postgresql   # a throwaway cluster
    python3 bench/live_class.py --students 60 --db both                      # the table in docs/classroom.md

What is measured (seconds unless said otherwise):

- **join**: a student opens the join link (``/?class=CODE``) until the page has run and the student
  follows the teacher to the lesson (their first page view);
- **idle CPU**: the servers' CPU (all replicas) while the whole class sits on the lesson and polls,
  as a fraction of one core;
- **question → screen**: from the teacher's "Ask the class" to the question on each student's screen;
- **answer → dashboard**: each student answers within 10 s of seeing the question (uniform delay);
  from that answer's run to the teacher's dashboard counting it;
- **reveal → screen**: from the teacher's "Reveal" to the results on each student's screen;
- **step → screen**: the teacher moves to another lesson; until each student's screen shows it;
- **errors**: exceptions drawn, failed runs, disconnects, timeouts; answers lost (the store's count
  against the answers sent).

Only loopback addresses are targets. Every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa

from labdev.loadtest import loadavg, proc_cpu_ms
from labdev.protocol import Disconnected, RunTimeout, Session
from labdev.server import classroom
from labdev.stats import pct
from ui.classroom import store as cs

QUESTION_MARK = "Class question, round"
RESULTS_MARK = "Round 1:"
STEP_MARK = "Step by step: attention in numpy"
ANSWERS = re.compile(r"^(\d+) answer\(s\)")


@dataclass
class Timings:
    join: list[float] = field(default_factory=list)
    question: list[float] = field(default_factory=list)
    answer: list[float] = field(default_factory=list)
    reveal: list[float] = field(default_factory=list)
    step: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    answers_sent: int = 0
    answers_stored: int = 0
    idle_cpu: float = float("nan")
    alive: int = -1  # replicas still running at the end
    poll_runs: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Tab:
    """A browser tab: a protocol session plus the browser's run_every timers and the first time each
    marker text reached it."""

    def __init__(self, url: str, t: Timings) -> None:
        self.s = Session(url, timeout=120)
        self.t = t
        self.seen: dict[str, float] = {}
        self.watch: tuple[str, ...] = ()
        self.answers_shown: list[tuple[int, float]] = []
        self.lock = asyncio.Lock()
        self.s.on_text = self._text
        self.alive = True

    def _text(self, text: str, when: float) -> None:
        for m in self.watch:
            if m in text and m not in self.seen:
                self.seen[m] = when
        hit = ANSWERS.match(text.strip())
        if hit:
            self.answers_shown.append((int(hit.group(1)), when))

    async def run(self, coro: Any, what: str = "") -> Any:
        async with self.lock:
            try:
                r = await coro
            except Disconnected:
                self.t.error(f"disconnect {what}".strip())
                return None
            except RunTimeout:
                self.t.error(f"timeout {what}".strip())
                return None
            if r is not None and not r.ok:
                self.t.error("failed run")
            if r is not None and r.exceptions:
                self.t.error("exception")
            return r

    async def poll_forever(self) -> None:
        """The browser's ``run_every`` timers: rerun each polling fragment at its interval."""
        last: dict[str, float] = {}
        while self.alive:
            await asyncio.sleep(0.1)
            now = time.perf_counter()
            for frag, every in list(self.s.auto_reruns.items()):
                if now - last.get(frag, 0.0) >= every and not self.lock.locked():
                    last[frag] = now
                    self.t.poll_runs += 1
                    await self.run(self.s.rerun(fragment_id=frag), "poll")

    def find(self, prefix: str, suffix: str) -> str | None:
        return next((k for k in self.s.buttons if k.startswith(prefix) and k.endswith(suffix)), None)


async def wait_marks(tabs: list[Tab], mark: str, since: float, out: list[float], timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and any(mark not in t.seen for t in tabs):
        await asyncio.sleep(0.05)
    for t in tabs:
        if mark in t.seen:
            out.append(t.seen[mark] - since)
        else:
            t.t.error(f"never saw {mark!r}")


def cpu_s(pids: list[int]) -> float:
    return sum((proc_cpu_ms(p) or 0.0) for p in pids) / 1000


async def lesson(url: str, pids: list[int], n: int, db: str, idle_s: float) -> Timings:
    t = Timings()
    teacher = Tab(url, t)
    await teacher.run(teacher.s.load("library"))
    await teacher.run(teacher.s.click("class-start"))
    await teacher.run(teacher.s.rerun())
    store = cs.ClassStore(sa.create_engine(db))
    code = max(cs.codes_in(store), key=lambda c: store.state(c).created_at)
    pollers = [asyncio.create_task(teacher.poll_forever())]

    # students arrive over a few seconds, as a class opening the link does
    students = [Tab(url, t) for _ in range(n)]

    async def join(i: int, tab: Tab) -> None:
        await asyncio.sleep(i * 0.15)
        tab.s.query_string = f"class={code}"
        t0 = time.perf_counter()
        r = await tab.run(tab.s.load(""), "join")
        if r is not None and r.ok:
            t.join.append(time.perf_counter() - t0)
        pollers.append(asyncio.create_task(tab.poll_forever()))

    await asyncio.gather(*(join(i, tab) for i, tab in enumerate(students)))
    await asyncio.sleep(3)

    # idle: the class sits on the lesson and polls
    c0, w0, p0 = cpu_s(pids), time.perf_counter(), t.poll_runs
    await asyncio.sleep(idle_s)
    t.idle_cpu = (cpu_s(pids) - c0) / (time.perf_counter() - w0)
    idle_polls = t.poll_runs - p0

    # ask
    for tab in students:
        tab.watch = (QUESTION_MARK, RESULTS_MARK, STEP_MARK)
    t_ask = time.perf_counter()
    await teacher.run(teacher.s.click("class-ask"), "ask")
    await wait_marks(students, QUESTION_MARK, t_ask, t.question, 30)

    # answers within 10 s of seeing the question; the dashboard count
    done: list[float] = []

    async def answer(tab: Tab) -> None:
        await asyncio.sleep(random.uniform(0.5, 10.0))
        key = tab.find("class_q", "_choice_0") if random.random() < 0.6 else tab.find("class_q", "_choice_1")
        if key is None:
            tab.t.error("no answer button")
            return
        r = await tab.run(tab.s.click(key), "answer")
        if r is not None and r.ok:
            t.answers_sent += 1
            done.append(time.perf_counter())

    await asyncio.gather(*(answer(tab) for tab in students))
    await asyncio.sleep(3 * 1.0 + 1)
    done.sort()
    shown = sorted(teacher.answers_shown, key=lambda x: x[1])
    for k, when in enumerate(done, start=1):
        first = next((w for c, w in shown if c >= k and w >= when - 0.001), None)
        if first is None:
            t.error("count never shown")
        else:
            t.answer.append(first - when)
    state = store.state(code)
    t.answers_stored = store.answer_count(state.question_id) if state.question_id else 0

    # reveal
    t_rev = time.perf_counter()
    await teacher.run(teacher.s.click("class-reveal"), "reveal")
    await wait_marks(students, RESULTS_MARK, t_rev, t.reveal, 30)

    # step: the teacher moves on to step by step
    await teacher.run(teacher.s.click("class-close"), "close")
    t_step = time.perf_counter()
    await teacher.run(teacher.s.rerun(page_hash="", page_name="step_by_step"), "step")
    await wait_marks(students, STEP_MARK, t_step, t.step, 30)

    for tab in [teacher, *students]:
        tab.alive = False
    for p in pollers:
        p.cancel()
    for tab in [teacher, *students]:
        with contextlib.suppress(Exception):
            await tab.s.close()
    t.errors["idle polls"] = idle_polls
    return t


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'class.sqlite3'}"
        return
    from labdev import pg  # a throwaway cluster of Debian's PostgreSQL

    reason = pg.missing_reason()
    if reason:
        raise SystemExit(reason)
    with pg.cluster() as url:
        yield url


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def row(label: str, values: list[float], goal: str = "") -> str:
    if not values:
        return f"| {label} | – | – | – | 0 | {goal} |"
    return (
        f"| {label} | {pct(values, 50):.2f} | {pct(values, 95):.2f} | {max(values):.2f} | {len(values)} | {goal} |"
    )


def report(kind: str, t: Timings, n: int, replicas: int, idle_s: float) -> str:
    errors = {k: v for k, v in t.errors.items() if k != "idle polls"}
    lines = [
        f"### {kind}: {n} students, {replicas} replicas",
        "",
        "| measured | median | p95 | max | n | goal |",
        "| --- | --- | --- | --- | --- | --- |",
        row("join (s)", t.join),
        row("question → screen (s)", t.question, "p95 ≤ 3"),
        row("answer → dashboard (s)", t.answer, "p95 ≤ 2"),
        row("reveal → screen (s)", t.reveal, "p95 ≤ 3"),
        row("step → screen (s)", t.step, "p95 ≤ 3"),
        "",
        f"- idle polling: {t.errors.get('idle polls', 0)} poll runs in {idle_s:.0f} s; "
        f"servers' CPU {t.idle_cpu:.3f} of a core (goal ≤ 0.3)",
        f"- answers: {t.answers_sent} sent, {t.answers_stored} in the store",
        f"- replicas still running at the end: {t.alive} of {replicas}",
        f"- errors: {sum(errors.values())} {errors if errors else ''}",
        f"- load average at the end: {loadavg()}",
    ]
    return "\n".join(lines)


def _no_server(message: str) -> NoReturn:
    raise SystemExit(f"server did not start: {message}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=60)
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    ap.add_argument("--idle", type=float, default=20.0, help="seconds of idle polling measured")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--logs", type=Path, default=None, help="keep the replicas' logs in this folder")
    args = ap.parse_args(argv)
    if not 1 <= args.students <= 200:
        raise SystemExit("--students must be 1..200")
    random.seed(args.seed)
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    out = []
    for kind in kinds:
        with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as db:
            engine = cs.make_engine(db)
            cs.migrate(engine)
            engine.dispose()
            os.environ["ATTENTION_LAB_CLASS_DB"] = db
            logs = None if args.logs is None else args.logs / kind
            with classroom(args.replicas, Path(tmp), timeout_s=120, logs=logs, on_fail=_no_server) as room:
                pids = [pid for _, pid, _ in room.replicas]
                t = asyncio.run(lesson(room.url, pids, args.students, db, args.idle))
                t.alive = sum(_alive(p) for p in pids)
        out.append(report(kind, t, args.students, args.replicas, args.idle))
    print(f"python3 bench/live_class.py --students {args.students} --replicas {args.replicas} --db {args.db}\n")
    print("\n\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
