"""Predict, then reveal, on every lesson (AppTest): with the switch on, each lesson asks before it
shows, takes an answer, reveals with the reason, and keeps score; a language switch keeps the open
question; the answer equals an independent numpy computation on the page's own numbers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from pages import PAGES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
LESSONS = [p.name for p in PAGES]


def open_lesson(name: str, **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["predict_first"] = True  # before the first run: no widget owns the key yet
    for k, v in state.items():
        at.session_state[k] = v
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def question(at: AppTest) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("🤔 ")]
    assert len(found) == 1, found
    return found[0]


def answer_first(at: AppTest) -> None:
    choices = [b for b in at.button if b.key and "_choice_" in b.key]
    checks = [b for b in at.button if b.key and b.key.endswith("_check")]
    if choices:
        choices[0].click().run()
    else:
        checks[0].click().run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_asks_then_reveals_and_keeps_score(lesson: str) -> None:
    at = open_lesson(lesson)
    question(at)
    # covered: no weights table, no reveal yet
    assert not any(e.key and e.key.startswith("reveal") for e in at.get("flex_container") if hasattr(e, "key"))
    answer_first(at)
    revealed = [m.value for m in at.markdown if m.value.startswith(("✅", "❌"))]
    assert len(revealed) == 1, [m.value for m in at.markdown][:20]
    assert any("1 answered" in c.value for c in at.caption)
    nxt = [b for b in at.button if b.key and b.key.endswith("_next")]
    assert nxt, "a next question is offered"
    nxt[0].click().run()
    assert not at.exception
    question(at)  # covered again with the next question


def test_first_question_is_a_top_key_with_the_engines_argmax() -> None:
    """Step by step, seed 000: "Which key will Tôi attend to most?"; the right button is the argmax
    of an independent softmax of Q·Kᵀ/√d_k."""
    from attention_core import random_tables

    at = open_lesson("step_by_step")
    assert "Which key will `Tôi` attend to most?" in question(at)
    t = random_tables(4, 4, 42)
    x = t.embeddings
    q, k = x @ t.w_q, x @ t.w_k
    z = q @ k.T / 2.0
    w = np.exp(z - z.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    best = int(np.argmax(w[0]))
    at.button(key=f"sbs_predict_q0_choice_{best}").click().run()
    assert any(m.value.startswith("✅ **Right!**") for m in at.markdown)


def test_a_language_switch_keeps_the_open_question() -> None:
    at = open_lesson("library")
    en = question(at)
    at.session_state["lang"] = "vi"
    at.run()
    vi = question(at)
    assert vi != en and "chú ý nhiều nhất" in vi
    keys_en = [b.key for b in at.button if b.key and "_choice_" in b.key]
    assert keys_en == [f"library_predict_q0_choice_{j}" for j in range(3)]


def test_the_score_goes_into_the_json_export() -> None:
    from ui.share.state import current
    from ui.share_tools import export_file

    at = open_lesson("library")
    answer_first(at)
    box = at.session_state["_predict_score_box"]
    assert box["score"] == {"answered": 1, "right": 1, "streak": 1, "best_streak": 1}
    from pages import LESSONS

    doc = json.loads(export_file(LESSONS["library"], "json", at.session_state["_share_current"]["library"], "en",
                                 score=box["score"]))
    assert doc["predict_score"]["answered"] == 1
    assert current  # imported for its side effects in the kit; keeps the module loaded


def test_switch_off_draws_no_question_but_keeps_one_for_a_teacher() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/library.py").run()
    assert not [m.value for m in at.markdown if m.value.startswith("🤔 ")]
    current = at.session_state["_predict_current"]["library"]
    assert current[0]["kind"] == "top_key" and current[1]["cols"][0].startswith("Book 1")
