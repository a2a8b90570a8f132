"""A browser session's place in a live class: the database connection, the session's role, the
teacher's actions and the students' polling. The widgets are in :mod:`ui.classroom.panel`.

**The database.** ``st.connection("classroom", type="sql")``: the URL comes from the environment
variable ``ATTENTION_LAB_CLASS_DB`` (a SQLAlchemy URL, e.g.
``postgresql+psycopg://user:pw@host/db``), else from ``.streamlit/secrets.toml``
(``[connections.classroom] url = ...``), else it is an SQLite file that every replica on this
machine shares (``ATTENTION_LAB_DATA`` or the temporary folder, ``attention-lab/classroom.sqlite3``).
The schema is created or migrated once per process (:func:`ui.classroom.store.migrate`).

**Roles** (``st.session_state[ROLE_KEY]``): ``teacher`` (holds the teacher key), ``student`` (a
random id; the key is never in a student's session), ``projector`` (follows the teacher, never
answers). The URL brings them: ``?class=CODE`` joins as a student, ``?class=CODE&view=projector``
opens the projector view, ``?class=CODE&teacher=KEY`` is the teacher link (the key is taken out of
the address bar at once, so a projected screen never shows it). A session's role and id are also
kept in the tab's ``sessionStorage`` by a tiny component (:mod:`ui.classroom.keeper`), so a reload,
or a reconnect to another replica after one died, restores the same student or teacher instead of
a new one.

**Polling.** Streamlit has no push between sessions: a student's or the projector's class bar is a
fragment that reruns every :data:`POLL_S` seconds and reads one number, the class's ``rev``
(:meth:`ClassStore.revision`), through a per-process cache of :data:`REV_CACHE_S` (every student of
a class on one replica shares one query). Only when it moved does the session read the class and
rerun the page.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import time
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from . import store as cs

ROLE_KEY = "_class"
DB_ENV = "ATTENTION_LAB_CLASS_DB"
DATA_ENV = "ATTENTION_LAB_DATA"
#: How often a student's or the projector's class bar asks whether the class changed (seconds).
POLL_S = 1.0
#: How often the teacher's answer count refreshes while a question is open (seconds).
TEACHER_POLL_S = 1.0
#: One replica asks the database for a class's ``rev`` at most this often (seconds).
REV_CACHE_S = 0.25
#: URL parameters of a class (app-level: no lesson reads them as its own).
PARAMS = ("class", "teacher", "view")


# --------------------------------------------------------------------------- the database
def db_url() -> str | None:
    """The class database's URL from the environment, else None (secrets or the default file)."""
    url = os.environ.get(DB_ENV, "").strip()
    return url or None


def default_sqlite_url() -> str:
    folder = Path(os.environ.get(DATA_ENV) or Path(tempfile.gettempdir()) / "attention-lab")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'classroom.sqlite3'}"


def _secrets_url() -> bool:
    try:
        return bool(st.secrets.get("connections", {}).get("classroom", {}).get("url"))
    except Exception:  # noqa: BLE001 - no secrets file
        return False


_MIGRATED: set[str] = set()
_MIGRATE_LOCK = threading.Lock()


def get_store() -> cs.ClassStore:
    """This process's store (``st.connection`` caches the engine; the schema is migrated once)."""
    url = db_url()
    if url is None and not _secrets_url():
        url = default_sqlite_url()
    kwargs: dict[str, Any] = {} if url is None else {"url": url}
    kwargs.update(cs.engine_options(url or "postgresql"))
    conn = st.connection("classroom", type="sql", **kwargs)
    engine = conn.engine
    cs.prepare(engine)
    ident = str(engine.url)
    if ident not in _MIGRATED:
        with _MIGRATE_LOCK:
            if ident not in _MIGRATED:
                cs.migrate(engine)
                _MIGRATED.add(ident)
    return cs.ClassStore(engine)


_REVS: dict[str, tuple[float, int | None]] = {}
_REVS_LOCK = threading.Lock()


def revision(store: cs.ClassStore, code: str) -> int | None:
    """The class's ``rev``, at most :data:`REV_CACHE_S` old (one query per replica and interval)."""
    now = time.monotonic()
    with _REVS_LOCK:
        hit = _REVS.get(code)
        if hit is not None and now - hit[0] < REV_CACHE_S:
            return hit[1]
    rev = store.revision(code)
    with _REVS_LOCK:
        _REVS[code] = (now, rev)
        if len(_REVS) > 1000:  # forget classes not polled lately
            for k in [k for k, (t, _) in _REVS.items() if now - t > 60]:
                _REVS.pop(k, None)
    return rev


# What every student of a class reads after the class changed, shared by the sessions of one
# replica: keyed by the class's ``rev`` (bumped by every change students must see), so a reveal to
# 30 students on a replica costs one read of each, not 30. Answers are cached only once revealed
# (they can no longer change).
@st.cache_resource(ttl=120, max_entries=2000, show_spinner=False)
def _state_at(_store: cs.ClassStore, ident: str, code: str, rev: int) -> cs.ClassState:
    return _store.state(code)


@st.cache_resource(ttl=120, max_entries=2000, show_spinner=False)
def _question_at(_store: cs.ClassStore, ident: str, question_id: int, rev: int) -> cs.PosedQuestion | None:
    return _store.question(question_id)


@st.cache_resource(ttl=120, max_entries=2000, show_spinner=False)
def _rounds_at(_store: cs.ClassStore, ident: str, question_id: int, rev: int) -> tuple[cs.PosedQuestion, ...]:
    return tuple(_store.rounds(question_id))


@st.cache_resource(ttl=600, max_entries=2000, show_spinner=False)
def _revealed_answers(_store: cs.ClassStore, ident: str, question_id: int, rev: int) -> tuple[cs.Answer, ...]:
    return tuple(_store.answers(question_id))


def state_at(store: cs.ClassStore, code: str, rev: int) -> cs.ClassState:
    """The class as of ``rev`` (one read per replica and change; ``NoClass`` when it is gone)."""
    return _state_at(store, str(store.engine.url), code, rev)


def question_at(store: cs.ClassStore, question_id: int, rev: int) -> cs.PosedQuestion | None:
    """A posed question as of the class's ``rev`` (its revealed flag moves with ``rev``)."""
    return _question_at(store, str(store.engine.url), question_id, rev)


def rounds_at(store: cs.ClassStore, question_id: int, rev: int) -> tuple[cs.PosedQuestion, ...]:
    """Every round of a question as of ``rev`` (a second round bumps ``rev``)."""
    return _rounds_at(store, str(store.engine.url), question_id, rev)


def answers_at(store: cs.ClassStore, posed: cs.PosedQuestion, rev: int) -> Sequence[cs.Answer]:
    """A question's answers: shared between sessions once revealed, else read fresh."""
    if posed.revealed:
        return _revealed_answers(store, str(store.engine.url), posed.id, rev)
    return store.answers(posed.id)


def forget_revision(code: str) -> None:
    """After this replica changed the class: the next poll asks the database."""
    with _REVS_LOCK:
        _REVS.pop(code, None)


# --------------------------------------------------------------------------- the session's role
@dataclass(frozen=True)
class Role:
    """This session's place in a class."""

    code: str
    kind: str  # "teacher" | "student" | "projector"
    key: str = ""  # the teacher key (teachers only)
    sid: str = ""  # the student's id (students only)
    nickname: str = ""

    @property
    def teacher(self) -> bool:
        return self.kind == "teacher"

    @property
    def student(self) -> bool:
        return self.kind == "student"

    @property
    def projector(self) -> bool:
        return self.kind == "projector"


def role() -> Role | None:
    r = st.session_state.get(ROLE_KEY)
    return r if isinstance(r, Role) else None


def set_role(r: Role | None) -> None:
    if r is None:
        st.session_state.pop(ROLE_KEY, None)
        for k in ("_class_seen", "_class_follow", "_class_applied", "_class_notice"):
            st.session_state.pop(k, None)
    else:
        st.session_state[ROLE_KEY] = r


def following() -> bool:
    """A student follows the teacher unless they chose to explore (the projector always follows)."""
    r = role()
    if r is None or r.teacher:
        return False
    return r.projector or bool(st.session_state.get("_class_follow", True))


def set_following(on: bool) -> None:
    st.session_state["_class_follow"] = bool(on)
    st.session_state.pop("_class_applied", None)  # catch up with the teacher at once


def new_sid() -> str:
    return secrets.token_urlsafe(12)


def start_class(store: cs.ClassStore, *, lesson: str, lang: str) -> Role:
    code, key = store.create(lesson=lesson, lang=lang)
    r = Role(code=code, kind="teacher", key=key)
    set_role(r)
    return r


def join_class(store: cs.ClassStore, code: str, *, nickname: str = "", sid: str | None = None) -> Role:
    """Join as a student (``sid``: a restored id keeps its answers). Raises the store's errors."""
    sid = sid or new_sid()
    store.join(code, sid, nickname)
    r = Role(code=code, kind="student", sid=sid, nickname=cs.clean_nickname(nickname))
    set_role(r)
    set_following(True)
    return r


def open_projector(store: cs.ClassStore, code: str) -> Role:
    store.state(code)  # raises NoClass for a wrong, ended or expired code
    r = Role(code=code, kind="projector")
    set_role(r)
    return r


def teacher_link(base: str, r: Role) -> str:
    return f"{base}?class={r.code}&teacher={r.key}"


def join_link(base: str, code: str) -> str:
    return f"{base}?class={code}"


def projector_link(base: str, code: str) -> str:
    return f"{base}?class={code}&view=projector"


def base_url(page_names: Sequence[str] = ()) -> str:
    """The app's root URL as the browser sees it: ``st.context.url`` without the page's own path
    (``http://host:8501/library`` -> ``http://host:8501/``)."""
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (AppTest)
        url = ""
    if not url:
        return "http://localhost:8501/"
    parts = urlsplit(url)
    segments = parts.path.rstrip("/").split("/")
    if segments and segments[-1] in set(page_names):
        segments = segments[:-1]
    path = "/".join(segments) + "/"
    return urlunsplit((parts.scheme, parts.netloc, path if path.startswith("/") else "/" + path, "", ""))
