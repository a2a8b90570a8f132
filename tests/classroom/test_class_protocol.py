"""A student's session can never perform a teacher action, even by replaying the teacher's widget
messages: tested at the protocol level, with the websocket client of labdev.protocol (no browser).

The teacher's session starts a class on the library lesson; its dashboard's buttons (ask, reveal,
bring everyone here, end the class, …) have element ids the student's session can learn. The student
replays each of them as a trigger in its own ``rerun_script`` (with and without the class's own
query string, and with a made-up teacher key): the class in the database does not change. The same
triggers from the teacher's session do change it (the replay is a faithful one).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from labdev import protocol
from labdev.server import serve
from tests.classroom.classroom_helpers import run_async
from ui.classroom import store as cs

TEACHER_BUTTONS = ("class-ask", "class-bring", "class-end", "class-close", "class-reveal", "class-again")


def snapshot(store: cs.ClassStore, code: str) -> tuple:
    s = store.state(code)
    return (s.rev, s.question_id, s.revealed, s.bring, s.follow, s.lesson, dict(s.experiment))


async def scenario(url: str, db: str) -> None:
    store = cs.ClassStore(sa.create_engine(db))
    teacher = protocol.Session(url)
    teacher.collect = True
    r = await teacher.load("library")
    assert r.ok, r
    r = await teacher.click("class-start")
    assert r.ok and r.exceptions == 0, (r, teacher.exception_texts)
    codes = list(cs.codes_in(store))
    assert len(codes) == 1
    code = codes[0]
    await teacher.rerun()  # the dashboard with every button drawn
    r = await teacher.click("class-ask")
    assert r.ok
    await teacher.rerun()
    seen = {k: teacher.buttons[k] for k in TEACHER_BUTTONS if k in teacher.buttons}
    assert {"class-ask", "class-bring", "class-end", "class-reveal"} <= set(seen), sorted(teacher.buttons)

    student = protocol.Session(url)
    student.query_string = f"class={code}"
    r = await student.load("library")
    assert r.ok and r.exceptions == 0, student.exception_texts
    assert store.state(code).students == 1
    before = snapshot(store, code)
    for query in (f"class={code}", f"class={code}&teacher=forged-key-{'x' * 22}", ""):
        student.query_string = query
        for key, (wid, frag) in seen.items():
            r = await student.click(key, widget_id=wid, fragment_id=frag)
            assert r.ok, (key, r, student.exception_texts)
            assert snapshot(store, code) == before, f"a student's replay of {key} changed the class"
    assert store.state(code).students >= 1

    # the same messages from the teacher's own session do act (the replay was a faithful one)
    r = await teacher.click("class-reveal")
    assert r.ok and store.state(code).revealed
    r = await teacher.click("class-end")
    assert r.ok
    with pytest.raises(cs.NoClass):
        store.state(code)
    await teacher.close()
    await student.close()


def test_a_student_cannot_replay_teacher_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    monkeypatch.setenv("ATTENTION_LAB_CLASS_DB", db)
    with serve("app.py", tmp_path / "server.log", timeout_s=90) as url:
        run_async(scenario(url, db))
    assert os.environ["ATTENTION_LAB_CLASS_DB"] == db
