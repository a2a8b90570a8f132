"""The classroom scenario on the headless client (:mod:`labdev.protocol`): a class of students.

Each :class:`Student` is one :class:`~labdev.protocol.Session` (one browser tab). It opens a lesson,
then thinks (``Config.think`` ± ``Config.jitter``, uniform), makes one change among those the lesson
offers (``Config.mix``: a ``slider`` move of the lesson's live controls, a new ``sentence``, a
Word2Vec ``train``ing on a corpus of its own, a ``language`` switch, ``open``ing another lesson)
and waits for its result. :func:`run_class` runs a class, :func:`run_profile` one student alone
(server CPU-ms per change), :func:`run_memory` waves of students (memory given back);
:class:`ServerStats` reads the servers' RSS and CPU time from ``/proc``; :func:`table` and
:func:`profile_table` print the results. What each lesson offers is data (:data:`LESSONS`, from the
lesson registry). ``bench/classroom.py`` is the command line around it (its docstring says exactly
what is measured); the classroom tests use it too.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from websockets.exceptions import InvalidHandshake, InvalidStatus

from pages import LESSONS as REGISTRY

from .protocol import Disconnected, RunResult, RunTimeout, Session
from .stats import pct

KINDS = ("page load", "slider", "sentence", "train", "language", "open", "reconnect", "connection")
LANGUAGE_LABELS = ("English", "Tiếng Việt", "한국어")  # the selector's options (ui/i18n.py LANGUAGES)
LANGUAGE_KEY = "lang_select"


# --------------------------------------------------------------------------- lessons (data)
@dataclass(frozen=True)
class Control:
    """A widget a student changes, found by its user key.

    ``kind``: ``slider`` (``st.slider``), ``component_state`` (a ``st.components.v2`` component whose
    JSON state holds ``field``), ``text`` (text_input / text_area) or ``number`` (number_input)."""

    key: str
    kind: str = "slider"
    field: str = "temperature"
    low: float = 0.05  # range for a component_state value (a slider's own range is read from it)
    high: float = 5.0
    step: float = 0.05


@dataclass(frozen=True)
class Lesson:
    name: str
    path: str  # URL path ("" = home)
    live: tuple[Control, ...]  # "move a slider": one of these, at random
    sentence: Control | None = None
    corpus: Control | None = None
    epochs: Control | None = None


def _lesson(name: str) -> Lesson:
    """A lesson from the lessons' declarations (pages.PAGES): "move a slider" is a change of its live view's
    temperature (a v2 component's state, as the browser sends it on release)."""
    spec = REGISTRY[name]
    extra: dict[str, Control] = {}
    if name == "step_by_step":
        extra["sentence"] = Control(spec.key("sentence"), "text")
    if name == "word2vec":
        extra.update(corpus=Control(spec.key("text"), "text"), epochs=Control(spec.key("epochs"), "number"))
    return Lesson(name, "" if name == "home" else name, (Control(spec.live_key, "component_state"),), **extra)


#: Every lesson, from the page registry. Retarget a lesson's live controls with
#: ``--live library=library_scale:...`` (or to a plain slider: ``KEY:slider``).
LESSONS: dict[str, Lesson] = {name: _lesson(name) for name in REGISTRY}
START_ORDER = ("step_by_step", "word2vec", "library", "self_attention", "pooling", "scaled_dot_product", "sqrt_dk", "kv_cache", "cross_attention", "home")
DEFAULT_MIX = {"slider": 6.0, "sentence": 3.0, "train": 2.0, "language": 0.5, "open": 1.0}

WORDS = (
    "attention query key value softmax token vector matrix weight score model learn sentence word "
    "cat dog fox hare bird tree book sky river stone light music paper garden teacher student "
    "morning evening quick slow blue green red tall small happy"
).split()


def parse_live(specs: list[str]) -> dict[str, Lesson]:
    """``--live library=library_live:component_state[,other:slider]`` → lessons with new live controls."""
    lessons = dict(LESSONS)
    for spec in specs:
        name, _, rest = spec.partition("=")
        if name not in lessons or not rest:
            raise SystemExit(f"--live {spec!r}: expected LESSON=KEY:KIND[,KEY:KIND], LESSON in {sorted(lessons)}")
        controls = []
        for item in rest.split(","):
            key, _, kind = item.partition(":")
            kind = kind or "slider"
            if kind not in {"slider", "component_state"}:
                raise SystemExit(f"--live {spec!r}: kind must be slider or component_state")
            controls.append(Control(key, kind))
        lessons[name] = replace(lessons[name], live=tuple(controls))
    return lessons


def student_sentence(student: int, n: int) -> str:
    """A sentence of 4-9 words, different for every (student, n)."""
    rng = random.Random(f"sentence-{student}-{n}")
    words = rng.sample(WORDS, rng.randint(3, 8))
    return " ".join([f"s{student}n{n}", *words])


RUN_ID = os.urandom(3).hex()  # corpora differ from one run to the next too: no model cached by an earlier run


def student_corpus(student: int, n: int, tokens: int) -> str:
    """About ``tokens`` tokens in lines of 8, different for every (student, n) and run (no cache hit)."""
    rng = random.Random(f"corpus-{student}-{n}")
    own = [f"w{student}x{n}x{i}{RUN_ID}" for i in range(5)]
    lines = []
    total = 0
    while total < tokens:
        line = [rng.choice(WORDS + own) for _ in range(8)]
        lines.append(" ".join(line))
        total += len(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------- statistics
def fmt_ms(v: float) -> str:
    return "–" if v != v else f"{v:.0f}"


# --------------------------------------------------------------------------- server processes
def proc_cpu_ms(pid: int) -> float | None:
    """User + system CPU time of ``pid`` (all its threads), ms; None when it has gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return (int(parts[11]) + int(parts[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def proc_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


@dataclass
class ServerStats:
    pids: list[int]
    rss_before: dict[int, float] = field(default_factory=dict)
    rss_peak: dict[int, float] = field(default_factory=dict)
    rss_after: dict[int, float] = field(default_factory=dict)
    cpu_before: dict[int, float] = field(default_factory=dict)
    cpu_after: dict[int, float] = field(default_factory=dict)

    def start(self) -> None:
        for pid in self.pids:
            self.rss_before[pid] = self.rss_peak[pid] = proc_rss_mb(pid) or 0.0
            self.cpu_before[pid] = proc_cpu_ms(pid) or 0.0

    def sample(self) -> None:
        for pid in self.pids:
            rss = proc_rss_mb(pid)
            if rss is not None:
                self.rss_peak[pid] = max(self.rss_peak.get(pid, 0.0), rss)
                self.rss_after[pid] = rss
            cpu = proc_cpu_ms(pid)
            if cpu is not None:
                self.cpu_after[pid] = cpu

    def cpu_ms(self) -> float:
        return sum(self.cpu_after.get(p, self.cpu_before[p]) - self.cpu_before[p] for p in self.pids)

    @staticmethod
    def total(d: dict[int, float]) -> float:
        return sum(d.values())


def listening_pids(port: int) -> list[int]:
    """Processes with a listening TCP socket on ``port`` (from /proc/net/tcp*)."""
    inodes = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if int(cols[1].rsplit(":", 1)[1], 16) == port and cols[3] == "0A":
                        inodes.add(cols[9])
        except OSError:
            continue
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{d}/fd"):
                link = os.readlink(f"/proc/{d}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    pids.append(int(d))
                    break
        except OSError:
            continue
    return pids


def proc_name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


# --------------------------------------------------------------------------- students
@dataclass
class Report:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, error type)
    missing: Counter[str] = field(default_factory=Counter)  # "lesson: key (kind)"
    exception_texts: list[str] = field(default_factory=list)
    students: list[dict[str, Any]] = field(default_factory=list)
    changes: int = 0

    def error_total(self) -> int:
        return sum(self.errors.values())


@dataclass
class Config:
    base: str
    students: int = 3
    duration: float = 10.0
    think: float = 3.0
    jitter: float = 0.5
    ramp: float = 10.0
    timeout: float = 60.0
    mix: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MIX))
    lessons: tuple[str, ...] = START_ORDER
    lesson_table: dict[str, Lesson] = field(default_factory=lambda: dict(LESSONS))
    train_tokens: int = 400
    train_epochs: int = 100
    max_changes: int = 1000
    seed: int = 1
    locales: tuple[str, ...] = ("en-US",)
    trainers: int = 0  # the first N students only train (fairness scenario)
    reconnect_s: float = 30.0


class Student:
    def __init__(self, i: int, cfg: Config, rep: Report) -> None:
        self.i = i
        self.cfg = cfg
        self.rep = rep
        self.rng = random.Random(cfg.seed * 100_003 + i)
        self.s = Session(cfg.base, locale=cfg.locales[i % len(cfg.locales)], timeout=cfg.timeout)
        self.lesson = cfg.lesson_table[cfg.lessons[i % len(cfg.lessons)]]
        if cfg.trainers and i < cfg.trainers:
            self.lesson = cfg.lesson_table["word2vec"]
        self.n = 0
        self.lang = 0
        self.changes = 0
        self.errors = 0
        self.disconnects = 0
        self.reconnects = 0
        self.replicas: list[str] = []
        self.done_loading = False

    @property
    def trainer(self) -> bool:
        return bool(self.cfg.trainers) and self.i < self.cfg.trainers

    def _error(self, kind: str, what: str) -> None:
        self.rep.errors[(kind, what)] += 1
        self.errors += 1

    def _record(self, kind: str, r: RunResult) -> None:
        if r.exceptions:
            self._error(kind, "exception")
            self.rep.exception_texts.extend(self.s.exception_texts[-r.exceptions :])
        if not r.ok:
            self._error(kind, f"failed run ({r.status})")
        else:
            self.rep.latencies[kind].append(r.ms)

    def _missing(self, key: str, kind: str) -> None:
        self.rep.missing[f"{self.lesson.name}: {key} ({kind})"] += 1

    async def run(self, deadline: float, start_delay: float) -> None:
        await asyncio.sleep(start_delay)
        try:
            r = await self.s.load(self.lesson.path)
            self._record("page load", r)
            self.done_loading = r.ok
            self._note_replica()
        except (TimeoutError, Disconnected, OSError, InvalidHandshake, InvalidStatus) as exc:
            self._error(
                "page load", "disconnect" if isinstance(exc, Disconnected) else f"connect ({type(exc).__name__})"
            )
            await self.s.close()
            self._summary()
            return
        except RunTimeout:
            self._error("page load", "timeout")
            await self.s.close()
            self._summary()
            return
        while time.monotonic() < deadline and self.changes < self.cfg.max_changes:
            think = self.cfg.think * self.rng.uniform(1 - self.cfg.jitter, 1 + self.cfg.jitter)
            if time.monotonic() + think >= deadline:
                break
            if await self._think(think):
                # the connection dropped while the student was thinking: the browser reconnects at once
                self._error("connection", "disconnect")
                self.disconnects += 1
                if not await self._reconnect(deadline):
                    break
                continue
            kind = self._pick()
            try:
                r = await self._change(kind)
            except Disconnected:
                self._error(kind, "disconnect")
                self.disconnects += 1
                if not await self._reconnect(deadline):
                    break
                continue
            except RunTimeout:
                self._error(kind, "timeout")
                continue
            if r is None:
                continue
            self.changes += 1
            self.rep.changes += 1
            self._record(kind, r)
        await self.s.close()
        self._summary()

    async def _think(self, seconds: float) -> bool:
        """Sleep ``seconds``; True (at once) if the websocket closes meanwhile."""
        try:
            await asyncio.wait_for(self.s.closed.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def _note_replica(self) -> None:
        if self.s.replica and (not self.replicas or self.replicas[-1] != self.s.replica):
            self.replicas.append(self.s.replica)

    async def _reconnect(self, deadline: float) -> bool:
        stop = time.monotonic() + self.cfg.reconnect_s
        delay = 0.5
        while time.monotonic() < stop:
            try:
                r = await self.s.reconnect()
            except (TimeoutError, Disconnected, RunTimeout, OSError, InvalidHandshake, InvalidStatus):
                await asyncio.sleep(delay)
                delay = min(delay * 2, 4.0)
                continue
            self._record("reconnect", r)
            self._note_replica()
            if r.ok:
                self.reconnects += 1
            return r.ok
        self._error("reconnect", "gave up")
        return False

    def _pick(self) -> str:
        lesson = self.lesson
        if self.trainer:
            return "train"
        if self.cfg.trainers:
            return "slider"
        offered = {
            "slider": bool(lesson.live),
            "sentence": lesson.sentence is not None,
            "train": lesson.corpus is not None,
            "language": True,
            "open": len(self.cfg.lessons) > 1,
        }
        kinds = [k for k, w in self.cfg.mix.items() if w > 0 and offered.get(k)]
        if not kinds:
            return "slider"
        return self.rng.choices(kinds, weights=[self.cfg.mix[k] for k in kinds])[0]

    async def _change(self, kind: str) -> RunResult | None:
        s, lesson = self.s, self.lesson
        if kind == "slider":
            c = self.rng.choice(lesson.live)
            w = s.find(c.key)
            if w is None:
                self._missing(c.key, c.kind)
                return None
            if c.kind == "slider" and w.etype == "slider":
                el = w.proto
                cur = (w.value[1] if w.value else list(el.default)) or [el.min]
                step = el.step or 1
                k = self.rng.choice([-3, -2, -1, 1, 2, 3])
                v = min(max(cur[0] + k * step, el.min), el.max)
                if v == cur[0]:
                    v = min(max(cur[0] - k * step, el.min), el.max)
                w.value = ("double_array_value", [round(v, 10)] + list(cur[1:]))
            elif c.kind == "component_state" and w.etype == "bidi_component":
                steps = round((c.high - c.low) / c.step)
                v = round(c.low + self.rng.randint(0, steps) * c.step, 4)
                state = json.loads(w.value[1]) if w.value and w.value[0] == "json_value" else {}
                # the browser sends the component's whole state, one key changed; the live view's
                # temperature carries the gesture it belongs to (ui/live_attention)
                self.n += 1
                state[c.field] = {"value": v, "gesture": f"bench-{self.i}-{self.n}"}
                w.value = ("json_value", json.dumps(state))
            else:
                self._missing(c.key, f"{c.kind}, found {w.etype}")
                return None
            return await s.rerun(fragment_id=w.fragment_id)
        if kind == "sentence" and lesson.sentence is not None:
            w = s.find(lesson.sentence.key)
            if w is None:
                self._missing(lesson.sentence.key, "text")
                return None
            self.n += 1
            w.value = ("string_value", student_sentence(self.i, self.n))
            return await s.rerun(fragment_id=w.fragment_id)
        if kind == "train" and lesson.corpus is not None:
            w = s.find(lesson.corpus.key)
            if w is None:
                self._missing(lesson.corpus.key, "text")
                return None
            self.n += 1
            w.value = ("string_value", student_corpus(self.i, self.n, self.cfg.train_tokens))
            if lesson.epochs is not None:
                e = s.find(lesson.epochs.key)
                if e is None:
                    self._missing(lesson.epochs.key, "number")
                else:
                    e.value = ("int_value", int(self.cfg.train_epochs))
            return await s.rerun(fragment_id=w.fragment_id)
        if kind == "language":
            w = s.find(LANGUAGE_KEY)
            if w is None:
                self._missing(LANGUAGE_KEY, "selectbox")
                return None
            self.lang = (self.lang + 1) % len(LANGUAGE_LABELS)
            w.value = ("string_value", LANGUAGE_LABELS[self.lang])
            return await s.rerun(fragment_id=w.fragment_id)
        if kind == "open":
            others = [n for n in self.cfg.lessons if n != lesson.name]
            target = self.cfg.lesson_table[self.rng.choice(others)]
            page_hash = s.pages.get(target.path)
            if page_hash is None:
                self._missing(f"page /{target.path}", "navigation")
                return None
            self.lesson = target
            s.page_name = target.path
            return await s.rerun(page_hash=page_hash, page_name=target.path)
        return None

    def _summary(self) -> None:
        self.rep.students.append(
            {
                "student": self.i,
                "replicas": self.replicas,
                "sessions": list(self.s.sessions_seen),
                "changes": self.changes,
                "errors": self.errors,
                "disconnects": self.disconnects,
                "reconnects": self.reconnects,
                "loaded": self.done_loading,
            }
        )


async def run_class(cfg: Config, stats: ServerStats | None, sample_every: float = 1.0) -> Report:
    rep = Report()
    students = [Student(i, cfg, rep) for i in range(cfg.students)]
    t0 = time.monotonic()
    deadline = t0 + cfg.duration
    rng = random.Random(cfg.seed)
    delays = sorted(rng.uniform(0, cfg.ramp) for _ in students) if cfg.ramp > 0 else [0.0] * len(students)

    async def sampler() -> None:
        while True:
            if stats:
                stats.sample()
            await asyncio.sleep(sample_every)

    samp = asyncio.create_task(sampler())
    hard_stop = cfg.duration + cfg.ramp + 2 * cfg.timeout + cfg.reconnect_s + 30
    tasks = [asyncio.create_task(st.run(deadline, d)) for st, d in zip(students, delays, strict=True)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), hard_stop)
    except TimeoutError:
        for t in tasks:
            t.cancel()
        rep.errors[("client", "hard stop")] += 1
    finally:
        samp.cancel()
        if stats:
            stats.sample()
    rep.students.sort(key=lambda d: d["student"])
    return rep


async def warm_up(urls: list[str], lessons: dict[str, Lesson], order: tuple[str, ...]) -> None:
    """Open every lesson once on each server (imports, first figures): a teacher tries the app
    before the class comes. Not measured."""
    for url in urls:
        s = Session(url)
        try:
            await s.load(lessons[order[0]].path)
            for name in order[1:]:
                h = s.pages.get(lessons[name].path)
                if h is not None:
                    await s.rerun(page_hash=h, page_name=lessons[name].path)
        finally:
            await s.close()


# --------------------------------------------------------------------------- profile (one student)
async def run_profile(cfg: Config, pid: int, repeat: int) -> list[dict[str, Any]]:
    """One session through every lesson: server CPU-ms and latency of each change kind, alone.

    CPU time comes from /proc in clock ticks (10 ms here), so the table gives the mean over
    ``repeat`` changes (unbiased) rather than a median of 10 ms steps."""
    rows: list[dict[str, Any]] = []
    rep = Report()
    st = Student(0, replace(cfg, ramp=0), rep)
    s = st.s

    async def measure(kind: str, change: Any, prepare: Any = None) -> None:
        cpu, wall = [], []
        for _ in range(repeat):
            if prepare is not None:
                await prepare()
            await asyncio.sleep(0.3)  # the server at rest
            c0 = proc_cpu_ms(pid) or 0.0
            r = await change()
            if r is None:
                return
            await asyncio.sleep(0.05)  # what the server does after script_finished (sending, cleanup)
            c1 = proc_cpu_ms(pid) or 0.0
            st._record(kind, r)
            if r.ok:
                cpu.append(c1 - c0)
                wall.append(r.ms)
        if cpu:
            rows.append(
                {
                    "lesson": st.lesson.name,
                    "change": kind,
                    "n": len(cpu),
                    "cpu_mean": statistics.fmean(cpu),
                    "cpu_max": max(cpu),
                    "wall_p50": statistics.median(wall),
                    "wall_max": max(wall),
                }
            )

    first = cfg.lesson_table[cfg.lessons[0]]
    r = await s.load(first.path)
    st._record("page load", r)
    st.lesson = first
    for name in cfg.lessons:
        target = cfg.lesson_table[name]
        other = cfg.lesson_table[next(n for n in cfg.lessons if n != name)]

        async def away(other: Lesson = other) -> None:  # open `target` from another page each time
            h = s.pages.get(other.path)
            if h is not None:
                await s.rerun(page_hash=h, page_name=other.path)

        async def go(target: Lesson = target) -> RunResult | None:
            h = s.pages.get(target.path)
            return None if h is None else await s.rerun(page_hash=h, page_name=target.path)

        st.lesson = target
        await measure("open", go, away)
        await measure("slider", lambda: st._change("slider"))
        if target.sentence is not None:
            await measure("sentence", lambda: st._change("sentence"))
        if target.corpus is not None:
            await measure("train", lambda: st._change("train"))
        else:  # a language switch on the Word2Vec lab breaks its next run (tests/classroom/test_classroom_word2vec_language.py)
            await measure("language", lambda: st._change("language"))
            st.lang = len(LANGUAGE_LABELS) - 1  # back to English
            await st._change("language")
    await s.close()
    if rep.error_total() or rep.missing:
        rows.append({"errors": {f"{k}: {e}": n for (k, e), n in rep.errors.items()}, "missing": dict(rep.missing)})
    return rows


# --------------------------------------------------------------------------- report
def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def table(rep: Report, cfg: Config, stats: ServerStats | None, label: str, wall_s: float, load: str) -> str:
    lines = [
        f"### {label}",
        "",
        f"{cfg.students} students, think {cfg.think:g} s ± {cfg.jitter * 100:.0f}%, {cfg.duration:g} s, "
        f"arriving over {cfg.ramp:g} s; {rep.changes} changes in {wall_s:.0f} s; load average {load}",
        "",
        "| change | n | p50 ms | p95 ms | max ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in KINDS:
        lat = rep.latencies.get(kind, [])
        errs = sum(n for (k, _), n in rep.errors.items() if k == kind)
        if not lat and not errs:
            continue
        lines.append(
            f"| {kind} | {len(lat)} | {fmt_ms(pct(lat, 50))} | {fmt_ms(pct(lat, 95))} | "
            f"{fmt_ms(max(lat) if lat else float('nan'))} | {errs} |"
        )
    changes = [v for k, vs in rep.latencies.items() if k not in ("page load", "reconnect") for v in vs]
    lines.append(
        f"| **all changes** | {len(changes)} | {fmt_ms(pct(changes, 50))} | {fmt_ms(pct(changes, 95))} | "
        f"{fmt_ms(max(changes) if changes else float('nan'))} | {rep.error_total()} |"
    )
    lines.append("")
    kinds = Counter()
    for (_, what), n in rep.errors.items():
        kinds[what] += n
    lines.append(
        "errors: "
        + (", ".join(f"{what} {n}" for what, n in kinds.most_common()) if kinds else "none")
        + (f"; missing widgets: {dict(rep.missing)}" if rep.missing else "")
    )
    if rep.exception_texts:
        lines.append(f"first exception: {rep.exception_texts[0]}")
    recon = sum(s["reconnects"] for s in rep.students)
    if recon:
        lines.append(f"reconnects: {recon} (students {[s['student'] for s in rep.students if s['reconnects']]})")
    if stats is not None and stats.pids:
        cpu = stats.cpu_ms()
        n = len(changes) + len(rep.latencies.get("page load", []))
        lines.append(
            f"server ({len(stats.pids)} process{'es' if len(stats.pids) > 1 else ''}): RSS before "
            f"{stats.total(stats.rss_before):.0f} MB, peak {stats.total(stats.rss_peak):.0f} MB, after "
            f"{stats.total(stats.rss_after):.0f} MB; CPU {cpu / 1000:.1f} s = "
            f"{cpu / max(n, 1):.0f} CPU-ms per change or page load ({n}); "
            f"{cpu / max(wall_s, 1e-9) / 10:.0f}% of one core"
        )
    return "\n".join(lines)


def profile_table(rows: list[dict[str, Any]], repeat: int, load: str) -> str:
    lines = [
        f"### Server CPU-ms per change, one student alone ({repeat} repetitions; load average {load})",
        "",
        "| lesson | change | n | server CPU-ms, mean | max | latency p50 ms | max |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        if "lesson" not in r:
            lines.append(f"\nerrors: {r}")
            continue
        lines.append(
            f"| {r['lesson']} | {r['change']} | {r['n']} | {r['cpu_mean']:.0f} | {r['cpu_max']:.0f} | "
            f"{r['wall_p50']:.0f} | {r['wall_max']:.0f} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- memory
async def run_memory(cfg: Config, stats: ServerStats, after_s: float, waves: int) -> str:
    """RSS with one idle session; then, ``waves`` times: ``cfg.students`` come, change things and
    leave, RSS is sampled for ``after_s`` seconds, and one more student comes and goes (a write to
    the server's store of disconnected sessions, which drops those past
    ``server.disconnectedSessionTTL``: Streamlit reaps them only on such a write)."""
    idle = Session(cfg.base, timeout=cfg.timeout)
    await idle.load(cfg.lesson_table[cfg.lessons[0]].path)
    await asyncio.sleep(2)
    b = sum(proc_rss_mb(p) or 0.0 for p in stats.pids)
    lines = [
        f"### Memory: {waves} × {cfg.students} students connect, make changes, leave (load average {loadavg()})",
        "",
        f"RSS with one idle session: {b:.0f} MB (target: within ±20% of this after the students leave)",
        "",
        "| wave | changes | errors | peak MB | 5 s after leaving | "
        f"{after_s:.0f} s after | after one more visit (reaps expired sessions) | vs before |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for wave in range(1, waves + 1):
        stats.start()
        rep = await run_class(replace(cfg, seed=cfg.seed + wave), stats)
        t_left = time.monotonic()
        samples = []
        while time.monotonic() - t_left < after_s:
            await asyncio.sleep(5)
            samples.append(sum(proc_rss_mb(p) or 0.0 for p in stats.pids))
        visitor = Session(cfg.base, timeout=cfg.timeout)
        await visitor.load(cfg.lesson_table[cfg.lessons[0]].path)
        await visitor.close()
        await asyncio.sleep(3)
        end = sum(proc_rss_mb(p) or 0.0 for p in stats.pids)
        lines.append(
            f"| {wave} | {rep.changes} | {rep.error_total()} | {stats.total(stats.rss_peak):.0f} | "
            f"{samples[0] if samples else float('nan'):.0f} | {samples[-1] if samples else float('nan'):.0f} | "
            f"{end:.0f} | {(end - b) / b * 100:+.0f}% |"
        )
    await idle.close()
    return "\n".join(lines)
