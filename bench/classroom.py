"""Classroom load client: N simulated students on Streamlit's websocket protocol, no browser.

Usage (from the repository root)::

    python3 bench/classroom.py --serve plain --students 30 --duration 60       # its own `streamlit run app.py`
    python3 bench/classroom.py --serve replicas:2 --students 30 --duration 60  # deploy/classroom.sh --replicas 2
    python3 bench/classroom.py --url http://127.0.0.1:8501 --pids 1234 --students 10 --duration 30
    python3 bench/classroom.py --serve plain --profile --repeat 8              # server CPU-ms per change, per lesson
    python3 bench/classroom.py --help

**What a student does.** Each student is one websocket session (``/_stcore/stream``, subprotocol
``streamlit``), like one browser tab. It loads a page the way the browser does (``GET`` the lesson's
URL, which also gets the balancer's sticky cookie, ``/_stcore/health``, ``/_stcore/host-config``,
then the websocket and a first ``rerun_script``), and waits until that run has finished. Students
arrive spread over ``--ramp`` seconds (a class opening the link the teacher shared), on lessons in
turn (``--lessons``). Then, until ``--duration`` has passed, it thinks (``--think`` seconds ±
``--jitter``, uniform), makes one change and waits for its result (the server's ``script_finished``)
before thinking again. Changes, weighted by ``--mix`` among those the current lesson offers:

- ``slider``: moves one of the lesson's live controls (data-driven, see ``LESSONS`` and ``--live``):
  a ``slider`` (a new value inside its range, sent as the browser does) or a ``component_state``
  (a v2 custom component's JSON state, e.g. ``{"temperature": 1.35}``); a control inside a
  fragment reruns that fragment only (its fragment id is sent with the widget states);
- ``sentence``: types a new sentence into step by step (every student's differs);
- ``train``: pastes a corpus of its own into the Word2Vec lab and sets ``--train-epochs`` (one rerun,
  which trains a new model: every student's corpus differs, so no cache hit);
- ``language``: switches the sidebar language (English → Tiếng Việt → 한국어 → …);
- ``open``: opens another lesson from the navigation (a full run of that page).

Every rerun carries all widget states the client holds, like the browser's widget manager: a
widget's value is the one the server last set (``set_value``), else the one the client chose,
else the widget's default; widgets not drawn by the last run are dropped. Widgets are found by
their user key (element ids end with it), never by hash. A control the page does not draw is
reported (``missing widgets``) and the change is skipped: nothing crashes.

**What is measured.** Per kind of change: latency from sending the rerun to the run's
``script_finished`` (p50, p95, max); page loads (from the ``GET`` to the first run's end);
errors: ``exception`` elements, disconnects, timeouts (``--timeout``), failed runs (a
``script_finished`` that is not a success). After a disconnect a student reconnects (as the
browser does: same cookie, same session id; a balancer sends it to a live replica, which
starts a new session) and the page runs again from its defaults, as in Chromium: that is a
*reconnect*, reported with its time. The server's RSS and CPU time are read from ``/proc/<pid>`` of the
server processes (``--pids``, or those ``--serve`` started): RSS before, peak and after, and
server CPU-ms per change (all CPU the servers used during the run / changes and page loads).

``--profile`` instead runs one student alone through every lesson and change kind, ``--repeat``
times each, and reads the server's CPU time around each change: the server CPU-ms of one change,
per lesson and kind (one server process: ``--serve plain`` or ``--pids`` with one pid).

``--memory`` measures memory given back: RSS with one idle session, then ``--waves`` times
``--students`` students connect, make changes for ``--duration`` s and leave, and RSS is sampled
for ``--after`` seconds (a second wave shows whether memory is reused or leaks).

Only loopback addresses are targets. Every loop is bounded in count and time (``--duration`` ≤
3600 s, ``--students`` ≤ 500, ``--max-changes`` per student, ``--timeout`` per change).
The client itself needs CPU: on a 2-core machine it competes with the servers (the report
prints the load average).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import pwd
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python3 bench/classroom.py` puts bench/ on the path, not the repo
    sys.path.insert(0, str(ROOT))

from benchstats import pct  # noqa: E402  (bench/benchstats.py: the percentile every benchmark uses)

from ui.nav import LESSONS as REGISTRY  # noqa: E402  (the lessons' keys, one place)

DEPLOY = ROOT / "deploy" / "classroom.sh"

FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_STUDENTS = 500
MAX_DURATION_S = 3600.0
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
    """A lesson from the page registry (ui.nav): "move a slider" is a change of its live view's
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
START_ORDER = ("step_by_step", "word2vec", "library", "self_attention", "pooling", "scaled_dot_product", "sqrt_dk", "home")
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


# --------------------------------------------------------------------------- one session
class Disconnected(Exception):
    pass


class RunTimeout(Exception):
    pass


@dataclass
class Widget:
    id: str
    user_key: str
    etype: str
    fragment_id: str
    proto: Any
    value: tuple[str, Any] | None  # (WidgetState field, value) or None: not sent


def user_key_of(element_id: str) -> str:
    """``$$ID-<hash>-<user key>`` → the user key ("" when the widget has none)."""
    parts = element_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "$$ID" and parts[2] != "None" else ""


def initial_value(etype: str, el: Any) -> tuple[str, Any] | None:
    """The value the browser's widget manager holds for a newly drawn widget (its default, or the
    value the server set)."""
    sv = bool(getattr(el, "set_value", False))
    if etype == "slider":
        values = list(el.value if sv else el.default)
        if el.type == el.SELECT_SLIDER:  # the browser sends the chosen options' labels, not their indices
            return ("string_array_value", [el.options[int(i)] for i in values if 0 <= int(i) < len(el.options)])
        return ("double_array_value", values)
    if etype == "number_input":
        if sv:
            v = el.value
        elif el.HasField("default"):
            v = el.default
        else:
            return None
        return ("int_value", int(v)) if el.data_type == el.INT else ("double_value", float(v))
    if etype in ("text_input", "text_area"):
        if sv:
            return ("string_value", el.value)
        return ("string_value", el.default) if el.HasField("default") else None
    if etype == "checkbox":
        return ("bool_value", bool(el.value if sv else el.default))
    if etype in ("selectbox", "radio"):
        if sv:
            return ("string_value", el.raw_value) if el.HasField("raw_value") else None
        if el.HasField("default") and 0 <= el.default < len(el.options):
            return ("string_value", el.options[el.default])
        return None
    if etype == "multiselect":
        if sv:
            return ("string_array_value", list(el.raw_values))
        return ("string_array_value", [el.options[i] for i in el.default if 0 <= i < len(el.options)])
    return None  # buttons (triggers), editors, charts, components until the client sets a state


def element_text(etype: str, el: Any) -> str:
    """What an element shows, roughly (tests look for words in it): markdown, alerts, headings,
    code, widget values and labels, tables' Arrow bytes decoded leniently, figure JSON."""
    if etype in ("markdown", "alert", "heading", "code", "text"):
        return str(getattr(el, "body", "") or getattr(el, "code_text", ""))
    if etype == "dataframe":
        return el.arrow_data.data.decode("utf-8", "replace") if el.HasField("arrow_data") else ""
    if etype == "plotly_chart":
        return el.spec
    if etype in WIDGET_TYPES:
        v = initial_value(etype, el)
        return f"{el.label} = {v[1] if v else ''}"
    return ""


WIDGET_TYPES = {"slider", "number_input", "text_input", "text_area", "checkbox", "selectbox", "radio", "multiselect"}


@dataclass
class RunResult:
    ok: bool
    ms: float
    exceptions: int = 0
    status: str = ""


class Session:
    """One browser tab: cookies, a websocket, the widget manager, the page."""

    def __init__(self, base: str, locale: str = "en-US", timeout: float = 60.0) -> None:
        self.base = base.rstrip("/")
        u = urllib.parse.urlsplit(self.base)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
        self.locale = locale
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.session_id = ""
        self.page_hash = ""
        self.page_name = ""
        self.query_string = ""
        self.pages: dict[str, str] = {}  # url_pathname → page_script_hash
        self.widgets: dict[str, Widget] = {}
        self.seen: set[str] = set()
        self.run_fragment = ""
        self.waiter: asyncio.Future[RunResult] | None = None
        self.run_exceptions = 0
        self.exception_texts: list[str] = []
        self.closed = asyncio.Event()
        self.t_sent = 0.0
        self.sessions_seen: list[str] = []
        self.collect = False  # keep the texts the last run drew (tests read them)
        self.texts: list[str] = []
        self.pending_triggers: list[str] = []
        self.buttons: dict[str, tuple[str, str]] = {}  # user key -> (element id, fragment id) of buttons drawn
        self.auto_reruns: dict[str, float] = {}  # fragment id -> interval (s) of st.fragment(run_every=...)
        self.auto_seen: set[str] = set()  # the timers registered since the last whole run ended
        self.on_text: Any = None  # on_text(text, perf_counter()) for every element's text as it arrives

    # ----------------------------------------------------------------- http
    async def http_get(self, path: str) -> tuple[int, bytes]:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), self.timeout)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            req = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nConnection: close\r\nUser-Agent: classroom-bench\r\n"
            if cookie:
                req += f"Cookie: {cookie}\r\n"
            writer.write((req + "\r\n").encode())
            await writer.drain()
            data = await asyncio.wait_for(reader.read(-1), self.timeout)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "set-cookie":
                self._take_cookie(value)
        return status, body

    def _take_cookie(self, header: str) -> None:
        pair = header.strip().split(";", 1)[0]
        k, _, v = pair.partition("=")
        if k.strip():
            self.cookies[k.strip()] = v.strip()

    @property
    def replica(self) -> str:
        """The balancer's sticky cookie (the replica's name), or "" without a balancer."""
        return self.cookies.get("SERVERID", "")

    # ----------------------------------------------------------------- websocket
    async def open_ws(self) -> None:
        self.closed.clear()
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie} if cookie else {}
        protos = ["streamlit", "noxsrf"] + ([self.session_id] if self.session_id else [])
        self.ws = await ws_connect(
            f"ws://{self.host}:{self.port}/_stcore/stream",
            subprotocols=protos,  # type: ignore[arg-type]
            origin=f"http://{self.host}:{self.port}",  # type: ignore[arg-type]
            additional_headers=headers,
            max_size=None,
            max_queue=1024,
            proxy=None,
            open_timeout=self.timeout,
            user_agent_header="classroom-bench",
        )
        resp = getattr(self.ws, "response", None)
        if resp is not None:
            for v in resp.headers.get_all("Set-Cookie"):
                self._take_cookie(v)
        self.reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except ConnectionClosed:
            pass
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a broken frame ends the connection like a disconnect
            pass
        finally:
            self.closed.set()
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_exception(Disconnected())
                # the run's awaiter (if any) still gets it; a closed session's unawaited run is not an error
                self.waiter.add_done_callback(lambda f: f.exception())

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            ns = msg.new_session
            self.page_hash = ns.page_script_hash or self.page_hash
            if ns.initialize.session_id:
                self.session_id = ns.initialize.session_id
                if not self.sessions_seen or self.sessions_seen[-1] != self.session_id:
                    self.sessions_seen.append(self.session_id)
        elif kind == "navigation":
            nav = msg.navigation
            self.pages = {p.url_pathname: p.page_script_hash for p in nav.app_pages}
            if nav.page_script_hash:
                self.page_hash = nav.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            d = msg.delta
            if d.WhichOneof("type") != "new_element":
                return
            el = d.new_element
            etype = el.WhichOneof("type")
            if etype == "exception":
                self.run_exceptions += 1
                e = el.exception
                self.exception_texts.append(f"{e.type}: {e.message}"[:300])
                return
            sub = getattr(el, etype)
            if self.collect:
                self.texts.append(element_text(etype, sub))
            if self.on_text is not None:
                self.on_text(element_text(etype, sub), time.perf_counter())
            if etype == "button" and getattr(sub, "id", ""):
                self.buttons[user_key_of(sub.id)] = (sub.id, d.fragment_id)
            eid = getattr(sub, "id", "") if etype in WIDGET_TYPES or etype == "bidi_component" else ""
            if not eid:
                return
            self.seen.add(eid)
            old = self.widgets.get(eid)
            value = initial_value(etype, sub)
            if old is not None and not getattr(sub, "set_value", False) and old.value is not None:
                value = old.value
            self.widgets[eid] = Widget(eid, user_key_of(eid), etype, d.fragment_id, sub, value)
        elif kind == "auto_rerun":
            self.auto_reruns[msg.auto_rerun.fragment_id] = float(msg.auto_rerun.interval)
            self.auto_seen.add(msg.auto_rerun.fragment_id)
        elif kind == "stop_auto_rerun":
            self.auto_reruns.pop(msg.stop_auto_rerun.fragment_id, None)
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return  # the app called st.rerun() (or a callback did): another run follows
            if status in FINISHED_OK:
                self._drop_stale()
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:  # a whole run: as the browser does, keep
                    # only the timers it registered (a fragment gone from the page stops polling)
                    self.auto_reruns = {f: v for f, v in self.auto_reruns.items() if f in self.auto_seen}
                    self.auto_seen = set()
            if self.waiter is not None and not self.waiter.done():
                ok = status in FINISHED_OK
                self.waiter.set_result(
                    RunResult(
                        ok,
                        (time.perf_counter() - self.t_sent) * 1000,
                        self.run_exceptions,
                        ForwardMsg.ScriptFinishedStatus.Name(status),
                    )
                )

    def _drop_stale(self) -> None:
        if self.run_fragment:
            stale = [i for i, w in self.widgets.items() if w.fragment_id == self.run_fragment and i not in self.seen]
        else:
            stale = [i for i in self.widgets if i not in self.seen]
        for i in stale:
            del self.widgets[i]

    # ----------------------------------------------------------------- runs
    def find(self, user_key: str) -> Widget | None:
        for w in self.widgets.values():
            if w.user_key == user_key:
                return w
        return None

    async def click(self, user_key: str, *, widget_id: str | None = None, fragment_id: str | None = None) -> RunResult:
        """Press the button ``user_key`` (as the browser does: a trigger in the widget states), or
        send a trigger for any ``widget_id`` (e.g. one another session drew: a replay)."""
        if widget_id is None:
            widget_id, frag = self.buttons[user_key]
            fragment_id = frag if fragment_id is None else fragment_id
        self.pending_triggers.append(widget_id)
        return await self.rerun(fragment_id=fragment_id or "")

    async def rerun(self, *, fragment_id: str = "", page_hash: str | None = None, page_name: str = "") -> RunResult:
        """Send ``rerun_script`` with every widget state; wait for the run's end."""
        if self.ws is None or self.closed.is_set():
            raise Disconnected()
        back = BackMsg()
        cs: ClientState = back.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_hash if page_hash is None else page_hash
        cs.page_name = page_name
        cs.fragment_id = fragment_id
        ci = cs.context_info
        ci.locale = self.locale
        ci.timezone = "UTC"
        ci.url = f"{self.base}/{page_name}"
        for wid in self.pending_triggers:
            ws = cs.widget_states.widgets.add()
            ws.id = wid
            ws.trigger_value = True
        self.pending_triggers = []
        for w in self.widgets.values():
            if w.value is None:
                continue
            ws = cs.widget_states.widgets.add()
            ws.id = w.id
            fname, v = w.value
            if fname in ("double_array_value", "string_array_value"):
                getattr(ws, fname).data.extend(v)
            else:
                setattr(ws, fname, v)
        self.run_fragment = fragment_id
        self.seen = set()
        self.run_exceptions = 0
        self.texts = []
        loop = asyncio.get_running_loop()
        self.waiter = loop.create_future()
        self.t_sent = time.perf_counter()
        try:
            await self.ws.send(back.SerializeToString())
        except ConnectionClosed as exc:
            raise Disconnected() from exc
        try:
            return await asyncio.wait_for(asyncio.shield(self.waiter), self.timeout)
        except TimeoutError as exc:
            raise RunTimeout() from exc

    async def load(self, path: str) -> RunResult:
        """Open ``/path`` like a browser: the page, health, host config, websocket, first run."""
        t0 = time.perf_counter()
        status, _ = await self.http_get("/" + path)
        if status != 200:
            return RunResult(False, (time.perf_counter() - t0) * 1000, 0, f"HTTP {status}")
        await self.http_get("/_stcore/health")
        await self.http_get("/_stcore/host-config")
        await self.open_ws()
        self.page_name = path
        r = await self.rerun(page_hash="", page_name=path)
        r.ms = (time.perf_counter() - t0) * 1000
        return r

    async def reconnect(self) -> RunResult:
        """After a disconnect: a new websocket with the same cookie and session id (the browser's
        reconnect). A balancer sends it to a live replica, which starts a new session: the page
        runs again from its defaults (what Chromium shows after its replica died: the values
        typed before are gone), so the widget states are dropped, not sent."""
        await self.close()
        t0 = time.perf_counter()
        await self.open_ws()
        self.widgets.clear()
        r = await self.rerun(page_name=self.page_name)
        r.ms = (time.perf_counter() - t0) * 1000
        return r


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


# --------------------------------------------------------------------------- servers we start
@contextlib.contextmanager
def serve(
    kind: str, log_dir: Path, keep_logs: Path | None = None
) -> Iterator[tuple[str, list[int], list[tuple[str, int, int]]]]:
    """``plain``: ``streamlit run app.py`` (the project's config) on a free port;
    ``replicas:K``: ``deploy/classroom.sh --replicas K``. Yields (url, server pids, replicas)."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from server import free_port, health, stop  # tests/browser/server.py

    port = free_port()
    if kind == "plain":
        cmd = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
        ]  # fmt: skip
        state = None
    elif kind.startswith("replicas:"):
        k = int(kind.split(":", 1)[1])
        state = log_dir / "classroom.state"
        cmd = [
            "bash",
            str(DEPLOY),
            "--replicas",
            str(k),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--user",  # the replicas run as whoever runs this (named: classroom.sh refuses root otherwise)
            pwd.getpwuid(os.getuid()).pw_name,
            "--state",
            str(state),
        ]
        if keep_logs is not None:
            cmd += ["--logs", str(keep_logs)]
    else:
        raise SystemExit(f"--serve {kind!r}: plain or replicas:K")
    if keep_logs is not None:
        keep_logs.mkdir(parents=True, exist_ok=True)
        log_dir = keep_logs
    log = (log_dir / "server.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            ready = health(f"{url}/_stcore/health") == "ok"
            if ready and state is not None:
                ready = state.exists() and "ready" in state.read_text()
            if ready:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start: {(log_dir / 'server.log').read_text()[-3000:]}")
            time.sleep(0.3)
        if state is None:
            yield url, [proc.pid], [("plain", proc.pid, port)]
        else:
            replicas = read_state(state)
            yield url, [pid for _, pid, _ in replicas], replicas
    finally:
        if state is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                stop(proc)
        else:
            stop(proc)
        log.close()


def read_state(path: Path) -> list[tuple[str, int, int]]:
    """``deploy/classroom.sh --state FILE`` lines ``replica NAME PID PORT`` → [(name, pid, port)]."""
    out = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "replica":
            out.append((parts[1], int(parts[2]), int(parts[3])))
    return out


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


# --------------------------------------------------------------------------- main
def check_loopback(url: str) -> str:
    u = urllib.parse.urlsplit(url)
    if u.scheme != "http" or (u.hostname or "") not in LOOPBACK:
        raise SystemExit(f"--url {url!r}: only http://127.0.0.1:PORT (loopback) is a target")
    return url.rstrip("/")


def parse_mix(text: str) -> dict[str, float]:
    mix = {}
    for item in text.split(","):
        k, _, v = item.partition("=")
        if k not in DEFAULT_MIX:
            raise SystemExit(f"--mix: unknown change {k!r} (one of {sorted(DEFAULT_MIX)})")
        mix[k] = float(v)
    return mix


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="bench/classroom.py",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    target = ap.add_mutually_exclusive_group()
    target.add_argument("--url", help="a running app (loopback only), e.g. http://127.0.0.1:8501")
    target.add_argument(
        "--serve",
        default=None,
        help="start the app first: 'plain' (streamlit run app.py) or 'replicas:K' (deploy/classroom.sh)",
    )
    ap.add_argument("--pids", default="", help="server pids to read /proc of (comma-separated; with --url)")
    ap.add_argument("--students", type=int, default=3, help="simulated students (default 3, at most 500)")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of changes (default 10, at most 3600)")
    ap.add_argument("--think", type=float, default=3.0, help="mean think time between changes, s (default 3)")
    ap.add_argument("--jitter", type=float, default=0.5, help="think time ± this fraction, uniform (default 0.5)")
    ap.add_argument("--ramp", type=float, default=10.0, help="students arrive spread over this many s (default 10)")
    ap.add_argument("--timeout", type=float, default=60.0, help="a change with no result after this is a timeout (s)")
    ap.add_argument(
        "--mix",
        type=parse_mix,
        default=dict(DEFAULT_MIX),
        help="change weights (default slider=6,sentence=3,train=2,language=0.5,open=1)",
    )
    ap.add_argument("--lessons", default=",".join(START_ORDER), help="lessons students start on, in turn, and open")
    ap.add_argument(
        "--live",
        action="append",
        default=[],
        help="retarget live controls: LESSON=KEY:KIND[,KEY:KIND] (KIND slider|component_state)",
    )
    ap.add_argument(
        "--trainers",
        type=int,
        default=0,
        help="fairness: the first N students only train, the others only move sliders",
    )
    ap.add_argument("--train-tokens", type=int, default=400, help="tokens in a student's corpus (default 400)")
    ap.add_argument(
        "--train-epochs",
        type=int,
        default=100,
        help="epochs set before training (default 100; tokens × epochs ≤ 50,000)",
    )
    ap.add_argument("--max-changes", type=int, default=1000, help="at most this many changes per student")
    ap.add_argument(
        "--locales", default="en-US", help="browser locales, given to students in turn (e.g. en-US,vi-VN,ko-KR)"
    )
    ap.add_argument("--seed", type=int, default=1, help="random seed (think times, choices)")
    ap.add_argument(
        "--profile", action="store_true", help="one student alone: server CPU-ms per change, per lesson and kind"
    )
    ap.add_argument("--repeat", type=int, default=8, help="--profile: repetitions per change (default 8)")
    ap.add_argument(
        "--memory", action="store_true", help="memory given back: RSS before, with, and --after s after the students"
    )
    ap.add_argument(
        "--after", type=float, default=150.0, help="--memory: seconds to watch RSS after they leave (default 150)"
    )
    ap.add_argument(
        "--waves", type=int, default=2, help="--memory: classes that come and go, one after the other (default 2)"
    )
    ap.add_argument(
        "--no-warmup", action="store_true", help="do not open every lesson once per server first (cold start)"
    )
    ap.add_argument("--keep-logs", type=Path, help="--serve: keep the servers' logs in this folder")
    ap.add_argument("--label", default="", help="the table's title")
    ap.add_argument("--json", type=Path, help="also write the raw results (JSON) here")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        raise SystemExit(f"--students must be 1..{MAX_STUDENTS}")
    if not 0 < args.duration <= MAX_DURATION_S:
        raise SystemExit(f"--duration must be in (0, {MAX_DURATION_S:g}]")
    lesson_table = parse_live(args.live)
    lessons = tuple(x for x in args.lessons.split(",") if x)
    unknown = [x for x in lessons if x not in lesson_table]
    if unknown:
        raise SystemExit(f"--lessons: unknown {unknown} (known: {sorted(lesson_table)})")
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="classroom-")))
        if args.serve:
            url, pids, replicas = stack.enter_context(serve(args.serve, tmp, args.keep_logs))
            what = args.serve
        else:
            url = check_loopback(args.url or "http://127.0.0.1:8501")
            pids = [int(p) for p in args.pids.split(",") if p.strip()]
            if not pids:
                port = urllib.parse.urlsplit(url).port or 80
                pids = [p for p in listening_pids(port) if "haproxy" not in proc_name(p)]
                if not pids:
                    print("note: no server pid found (behind a balancer? pass --pids): no RSS/CPU", file=sys.stderr)
            replicas = []
            what = url
        cfg = Config(
            base=url,
            students=args.students,
            duration=args.duration,
            think=args.think,
            jitter=args.jitter,
            ramp=args.ramp,
            timeout=args.timeout,
            mix=args.mix,
            lessons=lessons,
            lesson_table=lesson_table,
            train_tokens=args.train_tokens,
            train_epochs=args.train_epochs,
            max_changes=args.max_changes,
            seed=args.seed,
            locales=tuple(args.locales.split(",")),
            trainers=args.trainers,
        )
        if not args.no_warmup:
            targets = [f"http://127.0.0.1:{port}" for _, _, port in replicas] if replicas else [url] * max(1, len(pids))
            asyncio.run(warm_up(targets, lesson_table, lessons))
        load0 = loadavg()
        if args.profile:
            if len(pids) != 1:
                raise SystemExit("--profile reads one server process: --serve plain, or --url with --pids PID")
            rows = asyncio.run(run_profile(cfg, pids[0], args.repeat))
            print(profile_table(rows, args.repeat, f"{load0} → {loadavg()}"))
            if args.json:
                args.json.write_text(json.dumps(rows, indent=1))
            return 0
        stats = ServerStats(pids)
        if args.memory:
            print(asyncio.run(run_memory(cfg, stats, args.after, args.waves)))
            return 0
        stats.start()
        t0 = time.monotonic()
        rep = asyncio.run(run_class(cfg, stats))
        wall = time.monotonic() - t0
        label = args.label or f"{what}: {args.students} students"
        print(table(rep, cfg, stats, label, wall, f"{load0} → {loadavg()}"))
        print(f"\ncommand: python3 bench/classroom.py {' '.join(argv if argv is not None else sys.argv[1:])}")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "latencies": rep.latencies,
                        "errors": {f"{k}: {e}": n for (k, e), n in rep.errors.items()},
                        "missing": dict(rep.missing),
                        "exceptions": rep.exception_texts[:20],
                        "students": rep.students,
                        "changes": rep.changes,
                        "replicas": replicas,
                        "cpu_ms": stats.cpu_ms(),
                        "rss_before": stats.total(stats.rss_before),
                        "rss_peak": stats.total(stats.rss_peak),
                        "rss_after": stats.total(stats.rss_after),
                    },
                    indent=1,
                )
            )
        return 1 if rep.error_total() else 0


if __name__ == "__main__":
    sys.exit(main())
