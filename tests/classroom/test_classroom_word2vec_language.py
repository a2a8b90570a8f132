"""Found by the load client: on the Word2Vec lab, a language switch followed by any rerun raised
``KeyError`` in the preset picker's callback (the user saw "This app has encountered an error").

Why: the preset selectbox's option labels are translated (``format_func``). After the switch the
browser still sends the old language's label; Streamlit's selectbox deserializer returns an
unknown label as the raw string, so the widget's value changed to that label and ``on_change``
fired. The callback now maps a label in any language back to its preset (lessons/word2vec/state.py).
"""

from __future__ import annotations

import pytest

from labdev import protocol
from tests.classroom.classroom_helpers import run_async

pytestmark = pytest.mark.slow


async def switch_then_move(url: str) -> list[str]:
    s = protocol.Session(url, timeout=120)
    r = await s.load("word2vec")
    assert r.ok and r.exceptions == 0
    w = s.find("lang_select")
    w.value = ("string_value", "Tiếng Việt")
    r = await s.rerun()
    assert r.ok and r.exceptions == 0
    t = s.find("w2v_live")
    t.value = ("json_value", '{"temperature": {"value": 2.0, "gesture": "g-1"}}')
    await s.rerun(fragment_id=t.fragment_id)
    await s.close()
    return s.exception_texts


def test_language_switch_then_slider_on_word2vec(app_url: str) -> None:
    assert run_async(switch_then_move(app_url)) == []
