"""A headless Streamlit client: one browser tab on Streamlit's own websocket protocol, no browser.

A :class:`Session` loads a page the way the browser does (``GET`` the page, which also gets a
balancer's sticky cookie, ``/_stcore/health``, ``/_stcore/host-config``, then the websocket
``/_stcore/stream`` with subprotocol ``streamlit`` and a first ``rerun_script``), and reruns with
every widget state it holds, like the browser's widget manager: a widget's value is the one the
server last set (``set_value``), else the one the client chose, else the widget's default; widgets
not drawn by the last run are dropped. Widgets are found by their user key (element ids end with
it), never by hash (:meth:`Session.find`). A run's result (:class:`RunResult`) is timed from the
``rerun_script`` sent to the server's ``script_finished``.

Used by the classroom scenario (:mod:`labdev.loadtest`), the classroom tests and the deployment test.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


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
