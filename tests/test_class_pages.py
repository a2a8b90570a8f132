"""A live class in AppTest: a teacher and students as separate sessions on one SQLite class store
(``ATTENTION_LAB_CLASS_DB``), the way replicas share it. Start, join, follow, ask, answer, count,
reveal, a second round, nicknames, projector, wrong codes, the end of a class."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from ui.classroom import store as cs

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    monkeypatch.setenv("ATTENTION_LAB_CLASS_DB", url)
    yield url


def app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
                     + [i.value for i in at.info] + [w.value for w in at.warning] + [s.value for s in at.success])


def start_class(lesson: str = "library") -> tuple[AppTest, str]:
    teacher = ok(app().run())
    teacher.button(key="class-start").click().run()
    ok(teacher)
    code = teacher.session_state["_class"].code
    teacher.switch_page(f"pages/{lesson}.py").run()
    return ok(teacher), code


def test_join_follow_ask_answer_reveal_and_a_second_round(db: str) -> None:
    teacher, code = start_class()
    assert teacher.session_state["_class"].kind == "teacher"
    a = ok(app(**{"class": code}).run())
    b = ok(app().run())
    b.text_input(key="class_join_code").input(code.lower()).run()  # typed, in lower case
    b.button(key="class-join").click().run()
    ok(b)
    for s in (a, b):
        assert s.session_state["_class"].kind == "student" and s.session_state["_class"].code == code
        assert "follow the teacher" in texts(s)

    teacher.button(key="class-ask").click().run()
    ok(teacher)
    assert "0 answer(s) · 2 student(s)" in texts(teacher)
    for s in (a, b):
        s.run()
        ok(s)
        assert "Class question, round 1" in texts(s)
    a.button(key=[b_.key for b_ in a.button if b_.key and "_choice_" in b_.key][0]).click().run()
    ok(a)
    assert "Your answer" in texts(a)
    choices_b = [b_.key for b_ in b.button if b_.key and "_choice_" in b_.key]
    b.button(key=choices_b[1]).click().run()
    teacher.run()
    assert "2 answer(s) · 2 student(s)" in texts(ok(teacher))

    teacher.button(key="class-reveal").click().run()
    for s, right in ((a, True), (b, False)):
        s.run()
        ok(s)
        shown = texts(s)
        assert ("Right!" in shown) is right and ("Not quite" in shown) is (not right)
        assert "Round 1: 2 answer(s), 1 right." in shown

    teacher.run()
    teacher.button(key="class-again").click().run()
    ok(teacher)
    assert "round 2" in texts(teacher)
    a.run()
    assert "Class question, round 2" in texts(ok(a))


def test_students_never_hold_the_key_and_nicknames_stay_hidden(db: str) -> None:
    teacher, code = start_class()
    s = ok(app().run())
    s.text_input(key="class_join_code").input(code).run()
    s.text_input(key="class_join_nickname").input("Mai").run()
    s.button(key="class-join").click().run()
    ok(s)
    role = s.session_state["_class"]
    assert role.kind == "student" and role.key == ""
    assert not [b for b in s.button if b.key in ("class-ask", "class-reveal", "class-bring", "class-end")]
    projector = ok(app(**{"class": code, "view": "projector"}).run())
    assert projector.session_state["_class"].kind == "projector"
    assert "Mai" not in texts(projector)
    store = cs.ClassStore(sa.create_engine(db))
    assert [r["nickname"] for r in store.export_rows(code, teacher.session_state["_class"].key)] == []


def test_wrong_ended_and_expired_codes_say_so(db: str) -> None:
    s = ok(app(**{"class": "not-a-code"}).run())
    assert "is not a class code" in texts(s)
    s = ok(app(**{"class": "ACDEFG"}).run())
    assert "There is no class with this code" in texts(s)
    teacher, code = start_class()
    teacher.button(key="class-end").click().run()
    ok(teacher)
    assert "_class" not in teacher.session_state or teacher.session_state["_class"] is None
    s = ok(app(**{"class": code}).run())
    assert "This class has ended." in texts(s)
    store = cs.ClassStore(sa.create_engine(db))
    old, _ = store.create()
    with store.engine.begin() as conn:
        conn.execute(cs.classes.update().where(cs.classes.c.code == old).values(active_at=0.0))
    vi = AppTest.from_file(APP, default_timeout=60)
    vi.session_state["lang"] = "vi"
    vi.query_params["class"] = old
    vi.run()
    assert "đã hết hạn" in texts(ok(vi))


def test_a_teacher_link_opens_the_dashboard_and_leaves_the_address_bar(db: str) -> None:
    store = cs.ClassStore(cs.make_engine(db))
    cs.migrate(store.engine)
    code, key = store.create(lesson="home")
    t = ok(app(**{"class": code, "teacher": key}).run())
    assert t.session_state["_class"].kind == "teacher"
    assert "teacher" not in t.query_params
    bad = ok(app(**{"class": code, "teacher": key + "x"}).run())
    assert "Only the teacher's link can do that." in texts(bad)
    assert "_class" not in bad.session_state
