"""A live class's shared state, in a real database (SQLAlchemy Core; no Streamlit here).

Every replica of the app (processes behind HAProxy, pods on Kubernetes) reads and writes the same
database, so they all see the same class, and a class survives the death of the replica a student
was on. SQLite (one file, WAL mode) serves the replicas of one machine; PostgreSQL serves pods.
:mod:`ui.classroom.session` opens it through ``st.connection(..., type="sql")``; the tests open it
with :func:`make_engine`.

Tables (schema version :data:`SCHEMA_VERSION`, created and migrated by :func:`migrate`):

- ``classes``: one row per live class: its code, the SHA-256 of the teacher key, the teacher's
  position (lesson, presentation stage, the experiment as link parameters, the language), follow
  mode, the open question and whether it is revealed, and ``rev``: a number bumped by every
  change the students must see. Students poll ``rev`` alone (:meth:`ClassStore.revision`: one
  primary-key lookup) and read the rest only when it moved.
- ``students``: who joined (a random id per browser session, an optional nickname).
- ``questions``: every question posed (the engine's question as JSON, with the labels the teacher
  saw), its round (a second round after a discussion points back to the first).
- ``answers``: one per student and question; a new answer replaces the old one.
- ``ended``: codes of classes that ended or expired, kept for :data:`TTL_S` so a late student is
  told so (no student data: just the code, when and why).

A class expires :data:`TTL_S` after its last activity (:meth:`ClassStore.purge`, run by teachers'
and joins' writes), and is deleted at once when the teacher ends it. Every teacher action takes the
teacher key and raises :class:`NotTeacher` without the right one: a student's session never holds
the key, so it can never change the class.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

#: Letters and digits of a class code: no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE_LENGTH = 6
#: Students in one class.
MAX_STUDENTS = 200
#: A class is deleted this long after its last activity (12 h).
TTL_S = 12 * 3600
#: A nickname is cut to this many characters.
MAX_NICKNAME = 24
#: The JSON of one answer, one question or one experiment is at most this long.
MAX_ANSWER_CHARS = 200
MAX_QUESTION_CHARS = 20_000
MAX_EXPERIMENT_CHARS = 60_000

SCHEMA_VERSION = 1
metadata = sa.MetaData()

classes = sa.Table(
    "classes",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("teacher_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("active_at", sa.Float, nullable=False, index=True),
    sa.Column("rev", sa.Integer, nullable=False, default=0),
    sa.Column("lesson", sa.String(40), nullable=False, default=""),
    sa.Column("stage", sa.Integer, nullable=False, default=0),
    sa.Column("present", sa.Boolean, nullable=False, default=False),
    sa.Column("experiment", sa.Text, nullable=False, default="{}"),
    sa.Column("lang", sa.String(8), nullable=False, default="en"),
    sa.Column("follow", sa.Boolean, nullable=False, default=True),
    sa.Column("bring", sa.Integer, nullable=False, default=0),
    sa.Column("question_id", sa.Integer, nullable=True),
    sa.Column("revealed", sa.Boolean, nullable=False, default=False),
    sa.Column("show_names", sa.Boolean, nullable=False, default=False),
)
students = sa.Table(
    "students",
    metadata,
    sa.Column("code", sa.String(8), sa.ForeignKey("classes.code", ondelete="CASCADE"), primary_key=True),
    sa.Column("sid", sa.String(40), primary_key=True),
    sa.Column("nickname", sa.String(MAX_NICKNAME * 4), nullable=False, default=""),
    sa.Column("joined_at", sa.Float, nullable=False),
)
questions = sa.Table(
    "questions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(8), sa.ForeignKey("classes.code", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("round", sa.Integer, nullable=False, default=1),
    sa.Column("parent_id", sa.Integer, nullable=True),
    sa.Column("lesson", sa.String(40), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("asked_at", sa.Float, nullable=False),
    sa.Column("revealed_at", sa.Float, nullable=True),
)
answers = sa.Table(
    "answers",
    metadata,
    sa.Column("question_id", sa.Integer, sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sid", sa.String(40), primary_key=True),
    sa.Column("code", sa.String(8), sa.ForeignKey("classes.code", ondelete="CASCADE"), nullable=False),
    sa.Column("answer", sa.String(MAX_ANSWER_CHARS), nullable=False),
    sa.Column("answered_at", sa.Float, nullable=False),
)
ended = sa.Table(
    "ended",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("ended_at", sa.Float, nullable=False, index=True),
    sa.Column("reason", sa.String(10), nullable=False),
)
schema = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))


# --------------------------------------------------------------------------- errors
class ClassError(Exception):
    """Why a class action cannot be done: ``code`` picks the message (``class.error_{code}``)."""

    code = "class"

    def __init__(self, message: str = "", **params: Any) -> None:
        super().__init__(message or self.code)
        self.params = params


class NotTeacher(ClassError):
    code = "not_teacher"


class NoClass(ClassError):
    """The code names no class: ``reason`` is ``"unknown"``, ``"ended"`` or ``"expired"``."""

    code = "no_class"

    def __init__(self, reason: str) -> None:
        super().__init__(f"no such class ({reason})", reason=reason)
        self.reason = reason


class ClassFull(ClassError):
    code = "full"


class NotOpen(ClassError):
    """An answer to a question that is not open (revealed, or not the class's question)."""

    code = "not_open"


class BadInput(ClassError):
    code = "bad_input"


# --------------------------------------------------------------------------- engine and schema
def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with this store's settings (:func:`engine_options`)."""
    opts = engine_options(url)
    opts.update(kwargs)
    engine = sa.create_engine(url, **opts)
    prepare(engine)
    return engine


def engine_options(url: str) -> dict[str, Any]:
    """``create_engine`` keyword arguments: SQLite waits up to 10 s for a lock (replicas write the
    same file) and may be used across threads; PostgreSQL checks a pooled connection before use."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 10, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}


def prepare(engine: Engine) -> None:
    """SQLite: WAL mode (readers never wait for the writer; every replica shares the file), a busy
    timeout and foreign keys, on every new connection. Nothing for other databases."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_attention_lab_prepared", False):
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    engine._attention_lab_prepared = True  # type: ignore[attr-defined]


#: Schema changes, in order: ``MIGRATIONS[v - 1]`` takes the schema from version v - 1 to v.
#: Version 1 creates every table. A later change appends a function here (an ``ALTER TABLE``
#: that both SQLite and PostgreSQL accept) and bumps :data:`SCHEMA_VERSION`.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    lambda conn: metadata.create_all(conn, tables=[classes, students, questions, answers, ended]),
)


def migrate(engine: Engine) -> int:
    """Create or upgrade the schema to :data:`SCHEMA_VERSION`; returns the version found before.

    Safe when several replicas start at once: PostgreSQL serialises on an advisory lock, SQLite on
    its write lock (``BEGIN IMMEDIATE``).
    """
    assert len(MIGRATIONS) == SCHEMA_VERSION
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(724201)"))
        schema.create(conn, checkfirst=True)
        row = conn.execute(sa.select(schema.c.version)).first()
        found = int(row[0]) if row else 0
        for version in range(found + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version - 1](conn)
        if found == 0:
            conn.execute(schema.insert().values(version=SCHEMA_VERSION))
        elif found < SCHEMA_VERSION:
            conn.execute(schema.update().values(version=SCHEMA_VERSION))
        conn.commit()
    return found


# --------------------------------------------------------------------------- values
def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def new_code() -> str:
    """A random class code: :data:`CODE_LENGTH` characters of :data:`CODE_ALPHABET` (~27 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str | None:
    """A typed code in canonical form (upper case, spaces and dashes dropped), or None if it cannot
    be one (wrong length or a character not in the alphabet)."""
    s = "".join(ch for ch in str(text).upper() if ch not in " -\t")
    if len(s) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in s):
        return None
    return s


def clean_nickname(text: str | None) -> str:
    """A nickname: printable characters only, spaces collapsed, at most :data:`MAX_NICKNAME`."""
    s = " ".join("".join(ch for ch in str(text or "") if ch.isprintable()).split())
    return s[:MAX_NICKNAME]


def _dumps(obj: Any, limit: int) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if len(s) > limit:
        raise BadInput("too long")
    return s


@dataclass(frozen=True)
class ClassState:
    """A class as students and the projector see it (no teacher key, no answers)."""

    code: str
    rev: int
    lesson: str
    stage: int
    present: bool
    experiment: Mapping[str, Any]
    lang: str
    follow: bool
    bring: int
    question_id: int | None
    revealed: bool
    show_names: bool
    students: int
    created_at: float
    active_at: float


@dataclass(frozen=True)
class PosedQuestion:
    """A question posed to the class: its id, round (1, 2, …), the first round's id, the lesson, the
    payload (the engine's question and the labels) and whether it has been revealed."""

    id: int
    round: int
    parent_id: int | None
    lesson: str
    payload: Mapping[str, Any]
    revealed: bool


@dataclass(frozen=True)
class Answer:
    sid: str
    answer: Any
    nickname: str
    answered_at: float


class ClassStore:
    """The classes in one database. ``clock`` returns seconds (tests pass a fake one)."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time, ttl_s: float = TTL_S) -> None:
        self.engine = engine
        self.clock = clock
        self.ttl_s = ttl_s

    # ------------------------------------------------------------------ helpers
    def _upsert(self, conn: Connection, table: sa.Table, values: Mapping[str, Any], keys: Sequence[str]) -> None:
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(table).values(**values)
        update = {k: stmt.excluded[k] for k in values if k not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=update))

    def _class_row(self, conn: Connection, code: str) -> Any:
        row = conn.execute(sa.select(classes).where(classes.c.code == code)).first()
        if row is None:
            gone = conn.execute(sa.select(ended.c.reason).where(ended.c.code == code)).first()
            raise NoClass(gone[0] if gone else "unknown")
        if row.active_at < self.clock() - self.ttl_s:
            raise NoClass("expired")
        return row

    def _teacher_row(self, conn: Connection, code: str, key: str) -> Any:
        row = self._class_row(conn, code)
        if not isinstance(key, str) or not hmac.compare_digest(row.teacher_hash, key_hash(key)):
            raise NotTeacher("the teacher key does not match")
        return row

    def _bump(self, conn: Connection, code: str, **values: Any) -> None:
        conn.execute(
            classes.update()
            .where(classes.c.code == code)
            .values(rev=classes.c.rev + 1, active_at=self.clock(), **values)
        )

    # ------------------------------------------------------------------ teacher
    def create(self, *, lesson: str = "", lang: str = "en") -> tuple[str, str]:
        """A new class: returns ``(code, teacher_key)``. The key (128 bits from ``secrets``) is
        returned once and stored only as its SHA-256."""
        self.purge()
        key = secrets.token_urlsafe(16)
        now = self.clock()
        for _ in range(20):
            code = new_code()
            try:
                with self.engine.begin() as conn:
                    conn.execute(ended.delete().where(ended.c.code == code))
                    conn.execute(
                        classes.insert().values(
                            code=code,
                            teacher_hash=key_hash(key),
                            created_at=now,
                            active_at=now,
                            rev=1,
                            lesson=lesson[:40],
                            stage=0,
                            present=False,
                            experiment="{}",
                            lang=lang[:8],
                            follow=True,
                            bring=0,
                            revealed=False,
                            show_names=False,
                        )
                    )
                return code, key
            except sa.exc.IntegrityError:
                continue  # that code is taken: draw another
        raise ClassError("no free class code")

    def is_teacher(self, code: str, key: str) -> bool:
        try:
            with self.engine.connect() as conn:
                self._teacher_row(conn, code, key)
        except ClassError:
            return False
        return True

    def set_position(
        self,
        code: str,
        key: str,
        *,
        lesson: str,
        stage: int,
        present: bool,
        experiment: Mapping[str, Any],
        lang: str,
        bring: bool = False,
    ) -> bool:
        """The teacher is here (lesson, stage, experiment as link parameters). Followers see it at
        their next poll; ``bring`` also moves the students who left follow mode. Returns whether
        anything changed (an unchanged position is not written: no needless poll traffic)."""
        exp = _dumps(dict(experiment), MAX_EXPERIMENT_CHARS)
        with self.engine.begin() as conn:
            row = self._teacher_row(conn, code, key)
            same = (row.lesson, row.stage, bool(row.present), row.experiment, row.lang) == (
                lesson[:40],
                int(stage),
                bool(present),
                exp,
                lang[:8],
            )
            if same and not bring:
                return False
            values: dict[str, Any] = {
                "lesson": lesson[:40],
                "stage": int(stage),
                "present": bool(present),
                "experiment": exp,
                "lang": lang[:8],
            }
            if bring:
                values["bring"] = classes.c.bring + 1
            self._bump(conn, code, **values)
        return True

    def set_follow(self, code: str, key: str, follow: bool) -> None:
        with self.engine.begin() as conn:
            self._teacher_row(conn, code, key)
            self._bump(conn, code, follow=bool(follow))

    def set_show_names(self, code: str, key: str, show: bool) -> None:
        with self.engine.begin() as conn:
            self._teacher_row(conn, code, key)
            self._bump(conn, code, show_names=bool(show))

    def ask(self, code: str, key: str, *, lesson: str, payload: Mapping[str, Any], again: bool = False) -> int:
        """Pose a question (the engine's question and its labels) to the class; it is hidden until
        :meth:`reveal`. ``again``: a new round of the class's current question (after a discussion),
        linked to the first round. Returns the question's id."""
        body = _dumps(dict(payload), MAX_QUESTION_CHARS)
        now = self.clock()
        with self.engine.begin() as conn:
            row = self._teacher_row(conn, code, key)
            parent, rnd = None, 1
            if again:
                if row.question_id is None:
                    raise NotOpen("no question to ask again")
                prev = conn.execute(sa.select(questions).where(questions.c.id == row.question_id)).one()
                parent = prev.parent_id or prev.id
                rnd = prev.round + 1
                body, lesson = prev.payload, prev.lesson
            qid = conn.execute(
                questions.insert().values(
                    code=code, round=rnd, parent_id=parent, lesson=lesson[:40], payload=body, asked_at=now
                )
            ).inserted_primary_key[0]
            self._bump(conn, code, question_id=int(qid), revealed=False)
        return int(qid)

    def reveal(self, code: str, key: str) -> None:
        """Show the open question's answers and the truth to everyone at once."""
        with self.engine.begin() as conn:
            row = self._teacher_row(conn, code, key)
            if row.question_id is None:
                raise NotOpen("no question to reveal")
            conn.execute(
                questions.update().where(questions.c.id == row.question_id).values(revealed_at=self.clock())
            )
            self._bump(conn, code, revealed=True)

    def close_question(self, code: str, key: str) -> None:
        """Take the question off every screen (after the discussion)."""
        with self.engine.begin() as conn:
            self._teacher_row(conn, code, key)
            self._bump(conn, code, question_id=None, revealed=False)

    def end(self, code: str, key: str) -> None:
        """End the class: everything about it is deleted now; its code is remembered as ended."""
        with self.engine.begin() as conn:
            self._teacher_row(conn, code, key)
            self._delete(conn, [code], "ended")

    def _delete(self, conn: Connection, codes: Sequence[str], reason: str) -> None:
        if not codes:
            return
        now = self.clock()
        conn.execute(answers.delete().where(answers.c.code.in_(codes)))
        conn.execute(questions.delete().where(questions.c.code.in_(codes)))
        conn.execute(students.delete().where(students.c.code.in_(codes)))
        conn.execute(classes.delete().where(classes.c.code.in_(codes)))
        for code in codes:
            self._upsert(conn, ended, {"code": code, "ended_at": now, "reason": reason}, ["code"])

    def purge(self) -> int:
        """Delete the classes idle for longer than the TTL, and forget codes ended that long ago."""
        cutoff = self.clock() - self.ttl_s
        with self.engine.begin() as conn:
            old = [r[0] for r in conn.execute(sa.select(classes.c.code).where(classes.c.active_at < cutoff))]
            self._delete(conn, old, "expired")
            conn.execute(ended.delete().where(ended.c.ended_at < cutoff))
        return len(old)

    # ------------------------------------------------------------------ reading
    def revision(self, code: str) -> int | None:
        """The class's change counter (one primary-key lookup: what students poll), None if gone."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(classes.c.rev, classes.c.active_at).where(classes.c.code == code)).first()
        if row is None or row.active_at < self.clock() - self.ttl_s:
            return None
        return int(row.rev)

    def state(self, code: str) -> ClassState:
        """The whole class as students see it (``NoClass`` when the code names none)."""
        with self.engine.connect() as conn:
            row = self._class_row(conn, code)
            n = conn.execute(sa.select(sa.func.count()).select_from(students).where(students.c.code == code)).scalar()
        try:
            experiment = json.loads(row.experiment)
        except ValueError:
            experiment = {}
        return ClassState(
            code=row.code,
            rev=int(row.rev),
            lesson=row.lesson,
            stage=int(row.stage),
            present=bool(row.present),
            experiment=experiment if isinstance(experiment, dict) else {},
            lang=row.lang,
            follow=bool(row.follow),
            bring=int(row.bring),
            question_id=row.question_id,
            revealed=bool(row.revealed),
            show_names=bool(row.show_names),
            students=int(n or 0),
            created_at=float(row.created_at),
            active_at=float(row.active_at),
        )

    def question(self, question_id: int) -> PosedQuestion | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(questions).where(questions.c.id == question_id)).first()
        if row is None:
            return None
        return PosedQuestion(
            id=int(row.id),
            round=int(row.round),
            parent_id=row.parent_id,
            lesson=row.lesson,
            payload=json.loads(row.payload),
            revealed=row.revealed_at is not None,
        )

    def rounds(self, question_id: int) -> list[PosedQuestion]:
        """Every round of the question ``question_id`` belongs to, first round first."""
        q = self.question(question_id)
        if q is None:
            return []
        first = q.parent_id or q.id
        with self.engine.connect() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    sa.select(questions.c.id)
                    .where(sa.or_(questions.c.id == first, questions.c.parent_id == first))
                    .order_by(questions.c.round)
                )
            ]
        return [p for p in (self.question(i) for i in ids) if p is not None]

    def answer_count(self, question_id: int) -> int:
        with self.engine.connect() as conn:
            n = conn.execute(
                sa.select(sa.func.count()).select_from(answers).where(answers.c.question_id == question_id)
            ).scalar()
        return int(n or 0)

    def answers(self, question_id: int) -> list[Answer]:
        """Every answer to a question, oldest first, with the nickname (empty if none given)."""
        stmt = (
            sa.select(answers.c.sid, answers.c.answer, answers.c.answered_at, students.c.nickname)
            .select_from(
                answers.outerjoin(students, sa.and_(students.c.code == answers.c.code, students.c.sid == answers.c.sid))
            )
            .where(answers.c.question_id == question_id)
            .order_by(answers.c.answered_at)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        out = []
        for r in rows:
            try:
                value = json.loads(r.answer)
            except ValueError:
                continue
            out.append(Answer(r.sid, value, r.nickname or "", float(r.answered_at)))
        return out

    def my_answer(self, question_id: int, sid: str) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(answers.c.answer).where(answers.c.question_id == question_id, answers.c.sid == sid)
            ).first()
        return None if row is None else json.loads(row[0])

    def export_rows(self, code: str, key: str) -> list[dict[str, Any]]:
        """Every answer of the class, anonymous (one row per answer: a per-class student number, no
        id), with nicknames only while the teacher shows them."""
        with self.engine.connect() as conn:
            row = self._teacher_row(conn, code, key)
            qs = conn.execute(
                sa.select(questions).where(questions.c.code == code).order_by(questions.c.id)
            ).all()
        numbers: dict[str, int] = {}
        out: list[dict[str, Any]] = []
        for q in qs:
            payload = json.loads(q.payload)
            for a in self.answers(q.id):
                n = numbers.setdefault(a.sid, len(numbers) + 1)
                out.append(
                    {
                        "question": q.id,
                        "round": q.round,
                        "first_round": q.parent_id or q.id,
                        "lesson": q.lesson,
                        "kind": payload.get("question", {}).get("kind", ""),
                        "student": n,
                        "nickname": a.nickname if row.show_names else "",
                        "answer": json.dumps(a.answer, ensure_ascii=False),
                        "seconds_after_asked": round(a.answered_at - q.asked_at, 3),
                    }
                )
        return out

    # ------------------------------------------------------------------ students
    def join(self, code: str, sid: str, nickname: str = "") -> ClassState:
        """Join (or re-join: the same ``sid`` keeps its answers). ``ClassFull`` past
        :data:`MAX_STUDENTS`, ``NoClass`` for a wrong, ended or expired code."""
        if not sid or len(sid) > 40:
            raise BadInput("bad student id")
        self.purge()
        with self.engine.begin() as conn:
            self._class_row(conn, code)
            known = conn.execute(
                sa.select(students.c.sid).where(students.c.code == code, students.c.sid == sid)
            ).first()
            if known is None:
                n = conn.execute(
                    sa.select(sa.func.count()).select_from(students).where(students.c.code == code)
                ).scalar()
                if int(n or 0) >= MAX_STUDENTS:
                    raise ClassFull("the class is full", limit=MAX_STUDENTS)
            self._upsert(
                conn,
                students,
                {"code": code, "sid": sid, "nickname": clean_nickname(nickname), "joined_at": self.clock()},
                ["code", "sid"],
            )
            self._touch(conn, code)
        return self.state(code)

    def _touch(self, conn: Connection, code: str) -> None:
        """A student's join or answer is activity too: it keeps the class alive (written at most once
        a minute, so a class answering at once does not queue on one row)."""
        now = self.clock()
        conn.execute(
            classes.update().where(classes.c.code == code, classes.c.active_at < now - 60).values(active_at=now)
        )

    def leave(self, code: str, sid: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(students.delete().where(students.c.code == code, students.c.sid == sid))

    def answer(self, code: str, sid: str, question_id: int, answer: Any) -> None:
        """A student's answer to the open question (the latest one counts). ``NotOpen`` when the
        question is not the class's open one or is revealed; ``BadInput`` when the student has not
        joined or the answer is too long."""
        value = _dumps(answer, MAX_ANSWER_CHARS)
        with self.engine.begin() as conn:
            row = self._class_row(conn, code)
            if row.question_id != question_id or row.revealed:
                raise NotOpen("that question is not open")
            joined = conn.execute(
                sa.select(students.c.sid).where(students.c.code == code, students.c.sid == sid)
            ).first()
            if joined is None:
                raise BadInput("not in this class")
            self._upsert(
                conn,
                answers,
                {"question_id": question_id, "sid": sid, "code": code, "answer": value, "answered_at": self.clock()},
                ["question_id", "sid"],
            )
            self._touch(conn, code)


def codes_in(store: ClassStore) -> Iterable[str]:
    """Every live class code (for tests and tools)."""
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.select(classes.c.code))]
