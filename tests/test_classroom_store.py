"""The class store (ui.classroom.store) on SQLite and on a real PostgreSQL: nothing is mocked.

Each test runs on both databases. PostgreSQL is Debian's, in a throwaway cluster (labdev/pg.py);
under CI=true a missing PostgreSQL is a failure, elsewhere those cases skip.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from labdev import pg
from labdev.env import in_ci
from ui.classroom import store as cs


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    reason = pg.missing_reason()
    if reason:
        if in_ci():
            pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)", pytrace=False)
        pytest.skip(reason)
    with pg.cluster() as url:
        yield url


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'class.sqlite3'}"
    url = request.getfixturevalue("pg_url")
    engine = sa.create_engine(url)  # a clean schema for every test
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_url: str, clock: Clock) -> Iterator[cs.ClassStore]:
    engine = cs.make_engine(db_url)
    cs.migrate(engine)
    yield cs.ClassStore(engine, clock=clock)
    engine.dispose()


QUESTION = {"question": {"kind": "top_key", "row": 0, "choices": [0, 1, 2], "answer_key": 0}, "labels": ["a", "b", "c"]}


def test_codes_and_keys() -> None:
    codes = {cs.new_code() for _ in range(200)}
    assert all(len(c) == 6 and set(c) <= set(cs.CODE_ALPHABET) for c in codes)
    assert not set(cs.CODE_ALPHABET) & set("01OILZ2S5B8UV")
    assert cs.clean_code(" acd-efg ") == "ACDEFG"
    assert cs.clean_code("ACDEF0") is None and cs.clean_code("ACDEF") is None
    assert cs.clean_nickname("  Mai\x00\u202e  Anh \n") == "Mai Anh"


def test_schema_is_created_once_and_migrations_are_idempotent(db_url: str) -> None:
    engine = cs.make_engine(db_url)
    assert cs.migrate(engine) == 0
    assert cs.migrate(engine) == cs.SCHEMA_VERSION
    names = set(sa.inspect(engine).get_table_names())
    assert {"classes", "students", "questions", "answers", "ended", "schema_version"} <= names
    engine.dispose()


def test_replicas_migrating_at_once_agree(db_url: str) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            e = cs.make_engine(db_url)
            cs.migrate(e)
            e.dispose()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    e = cs.make_engine(db_url)
    with e.connect() as conn:
        assert conn.execute(sa.select(cs.schema.c.version)).all() == [(cs.SCHEMA_VERSION,)]
    e.dispose()


def test_a_class_from_start_to_end(store: cs.ClassStore, clock: Clock) -> None:
    code, key = store.create(lesson="step_by_step", lang="vi")
    assert len(key) >= 22  # 16 random bytes, base64url
    assert store.is_teacher(code, key) and not store.is_teacher(code, key + "x") and not store.is_teacher(code, "")
    rev0 = store.revision(code)
    state = store.join(code, "s1", "Mai")
    store.join(code, "s2")
    assert state.lesson == "step_by_step" and state.lang == "vi"
    assert store.state(code).students == 2

    assert store.set_position(code, key, lesson="library", stage=2, present=True, experiment={"library_scale": "true"}, lang="vi")
    assert not store.set_position(
        code, key, lesson="library", stage=2, present=True, experiment={"library_scale": "true"}, lang="vi"
    ), "an unchanged position is not written"
    s = store.state(code)
    assert (s.lesson, s.stage, s.present, dict(s.experiment)) == ("library", 2, True, {"library_scale": "true"})
    assert store.revision(code) == rev0 + 1

    qid = store.ask(code, key, lesson="library", payload=QUESTION)
    assert store.state(code).question_id == qid and not store.state(code).revealed
    store.answer(code, "s1", qid, 1)
    store.answer(code, "s1", qid, 0)  # the latest counts
    store.answer(code, "s2", qid, 2)
    assert store.answer_count(qid) == 2
    assert sorted(a.answer for a in store.answers(qid)) == [0, 2]
    assert store.my_answer(qid, "s1") == 0

    store.reveal(code, key)
    assert store.state(code).revealed
    with pytest.raises(cs.NotOpen):
        store.answer(code, "s1", qid, 1)

    q2 = store.ask(code, key, lesson="library", payload={}, again=True)
    rounds = store.rounds(q2)
    assert [r.round for r in rounds] == [1, 2] and rounds[1].parent_id == qid
    assert rounds[1].payload == QUESTION, "a second round asks the same question"
    with pytest.raises(cs.NotOpen):
        store.answer(code, "s1", qid, 1)  # round 1 is no longer open
    store.answer(code, "s1", q2, 2)

    rows = store.export_rows(code, key)
    assert len(rows) == 3 and {r["student"] for r in rows} == {1, 2}
    assert all(r["nickname"] == "" for r in rows), "no nicknames unless the teacher shows them"
    assert "s1" not in repr(rows) and "s2" not in repr(rows)
    store.set_show_names(code, key, True)
    assert "Mai" in {r["nickname"] for r in store.export_rows(code, key)}

    store.end(code, key)
    with pytest.raises(cs.NoClass) as why:
        store.state(code)
    assert why.value.reason == "ended"
    with pytest.raises(cs.NoClass):
        store.join(code, "s3")
    with store.engine.connect() as conn:
        for table in (cs.students, cs.questions, cs.answers):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0


def test_every_teacher_action_needs_the_key(store: cs.ClassStore) -> None:
    code, key = store.create()
    store.join(code, "student")
    actions = [
        lambda k: store.set_position(code, k, lesson="x", stage=1, present=False, experiment={}, lang="en"),
        lambda k: store.set_follow(code, k, False),
        lambda k: store.set_show_names(code, k, True),
        lambda k: store.ask(code, k, lesson="x", payload=QUESTION),
        lambda k: store.reveal(code, k),
        lambda k: store.close_question(code, k),
        lambda k: store.export_rows(code, k),
        lambda k: store.end(code, k),
    ]
    before = store.state(code)
    for act in actions:
        for wrong in ("", "student", key[:-1], key.upper() if key.upper() != key else key.lower(), None):
            with pytest.raises(cs.NotTeacher):
                act(wrong)
    assert store.state(code) == before


def test_wrong_expired_and_full(store: cs.ClassStore, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(cs.NoClass) as why:
        store.join("ACDEFG", "s")
    assert why.value.reason == "unknown"
    code, key = store.create()
    clock.now += cs.TTL_S - 10
    assert store.revision(code) is not None
    clock.now += 20
    assert store.revision(code) is None
    with pytest.raises(cs.NoClass) as why:
        store.state(code)
    assert why.value.reason == "expired"
    assert store.purge() == 1
    with pytest.raises(cs.NoClass) as why:
        store.join(code, "s")
    assert why.value.reason == "expired"
    clock.now += cs.TTL_S + 1
    store.purge()
    with pytest.raises(cs.NoClass) as why:
        store.join(code, "s")
    assert why.value.reason == "unknown", "ended codes are forgotten after the TTL too"

    monkeypatch.setattr(cs, "MAX_STUDENTS", 3)
    code, _ = store.create()
    for i in range(3):
        store.join(code, f"s{i}")
    store.join(code, "s1", "again")  # re-joining is not a new student
    with pytest.raises(cs.ClassFull):
        store.join(code, "s9")


def test_activity_keeps_a_class_alive(store: cs.ClassStore, clock: Clock) -> None:
    code, key = store.create()
    store.join(code, "s")
    qid = store.ask(code, key, lesson="x", payload=QUESTION)
    for _ in range(3):
        clock.now += cs.TTL_S / 2
        store.answer(code, "s", qid, 1)
    assert store.revision(code) is not None


def test_answers_only_from_students_and_small(store: cs.ClassStore) -> None:
    code, key = store.create()
    qid = store.ask(code, key, lesson="x", payload=QUESTION)
    with pytest.raises(cs.BadInput):
        store.answer(code, "stranger", qid, 1)
    store.join(code, "s")
    with pytest.raises(cs.BadInput):
        store.answer(code, "s", qid, "x" * 500)
    with pytest.raises(cs.NotOpen):
        store.answer(code, "s", qid + 1, 1)


def test_concurrent_answers_from_a_whole_class(store: cs.ClassStore) -> None:
    """60 students answer at once from threads (as replicas would): every answer is counted once."""
    code, key = store.create()
    for i in range(60):
        store.join(code, f"s{i}")
    qid = store.ask(code, key, lesson="x", payload=QUESTION)
    errors: list[BaseException] = []

    def answer(i: int) -> None:
        try:
            store.answer(code, f"s{i}", qid, i % 3)
            store.answer(code, f"s{i}", qid, (i + 1) % 3)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.answer_count(qid) == 60
    assert sorted(a.answer for a in store.answers(qid)) == sorted((i + 1) % 3 for i in range(60))


def test_two_stores_on_one_database_see_the_same_class(db_url: str, clock: Clock) -> None:
    """Two engines (two replicas' processes would each have one) share every change."""
    a, b = cs.make_engine(db_url), cs.make_engine(db_url)
    cs.migrate(a)
    sa_, sb = cs.ClassStore(a, clock=clock), cs.ClassStore(b, clock=clock)
    code, key = sa_.create()
    sb.join(code, "s")
    qid = sa_.ask(code, key, lesson="x", payload=QUESTION)
    sb.answer(code, "s", qid, 2)
    assert sa_.answer_count(qid) == 1 and sb.state(code).question_id == qid
    a.dispose()
    b.dispose()
