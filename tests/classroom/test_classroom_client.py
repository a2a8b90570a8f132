"""The load client's protocol pieces against a small app: the live view's JSON state set the way
the browser sets it, a slider, and a control that is not there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from labdev import loadtest, protocol
from labdev.env import ROOT
from labdev.server import serve
from tests.classroom.classroom_helpers import run_async

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = ROOT / "tests" / "classroom" / "live_component_app.py"
    with serve(str(app.relative_to(ROOT)), tmp_path_factory.mktemp("demo") / "server.log", timeout_s=90) as url:
        yield url


def test_user_key_from_element_id() -> None:
    assert protocol.user_key_of("$$ID-0a1cf71cd9132e52bdf8cebbb93aafe2-lang_select") == "lang_select"
    assert protocol.user_key_of("$$ID-0a1c-sbs_live-view") == "sbs_live-view"
    assert protocol.user_key_of("$$ID-0a1c-None") == ""


async def drive(url: str) -> None:
    lesson = loadtest.Lesson("demo", "", (loadtest.Control("demo_live", "component_state"),))
    cfg = loadtest.Config(base=url, lessons=("demo",), lesson_table={"demo": lesson}, ramp=0)
    rep = loadtest.Report()
    st = loadtest.Student(0, cfg, rep)
    st.s.collect = True
    r = await st.s.load("")
    assert r.ok and r.exceptions == 0
    w = st.s.find("demo_live")
    assert w is not None and w.etype == "bidi_component" and w.fragment_id  # inside the fragment
    for _ in range(5):
        r = await st._change("slider")
        assert r is not None and r.ok and r.exceptions == 0, (r, st.s.exception_texts)
        assert r.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"  # only the fragment reran
        sent = json.loads(st.s.find("demo_live").value[1])["temperature"]["value"]
        assert f"T = {sent:.2f}" in "\n".join(st.s.texts)  # the callback copied the state
    # a plain slider, retargeted with --live
    st.lesson = replace(lesson, live=(loadtest.Control("demo_slider", "slider"),))
    r = await st._change("slider")
    assert r is not None and r.ok and r.status == "FINISHED_SUCCESSFULLY"
    # a control the page does not draw: reported, skipped, no crash
    st.lesson = replace(lesson, live=(loadtest.Control("library_live", "component_state"),))
    assert await st._change("slider") is None
    assert rep.missing == {"demo: library_live (component_state)": 1}
    await st.s.close()


def test_component_state_slider_and_missing_widget(demo_url: str) -> None:
    run_async(drive(demo_url))


def test_live_retargeting_from_the_command_line() -> None:
    lessons = loadtest.parse_live(
        ["library=library_live:component_state", "step_by_step=sbs_live:component_state,decimals_select:slider"]
    )
    assert lessons["library"].live == (loadtest.Control("library_live", "component_state"),)
    assert [c.key for c in lessons["step_by_step"].live] == ["sbs_live", "decimals_select"]
    assert lessons["word2vec"].live == loadtest.LESSONS["word2vec"].live
    with pytest.raises(SystemExit):
        loadtest.parse_live(["nowhere=x:slider"])
