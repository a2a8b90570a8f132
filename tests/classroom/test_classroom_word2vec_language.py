"""Found by the load client: on the Word2Vec lab, a language switch followed by any rerun raises
``KeyError`` in ``pages/word2vec.py``'s ``_apply_preset`` (the user sees "This app has encountered
an error"). Reproduced in Chromium too (switch to Tiếng Việt on /word2vec, move the temperature).

Why: the preset selectbox's option labels are translated (``format_func``). After the switch the
browser still sends the old language's label; Streamlit's selectbox deserializer returns an
unknown label as the raw string, so the widget's value changes to that label, ``on_change``
fires and ``PRESETS[label]`` fails. Pages are being rewritten elsewhere: this test is expected
to fail until that is fixed (then ``strict`` makes it fail loudly: remove the ``xfail`` mark).
"""

from __future__ import annotations

import pytest
from classroom_helpers import classroom, run_async

pytestmark = pytest.mark.slow


async def switch_then_move(url: str) -> list[str]:
    s = classroom.Session(url, timeout=120)
    r = await s.load("word2vec")
    assert r.ok and r.exceptions == 0
    w = s.find("lang_select")
    w.value = ("string_value", "Tiếng Việt")
    r = await s.rerun()
    assert r.ok and r.exceptions == 0
    t = s.find("w2v_temperature")
    t.value = ("double_array_value", [2.0])
    await s.rerun(fragment_id=t.fragment_id)
    await s.close()
    return s.exception_texts


@pytest.mark.xfail(
    strict=True, reason="pages/word2vec.py: translated preset labels + on_change → KeyError after a language switch"
)
def test_language_switch_then_slider_on_word2vec(app_url: str) -> None:
    assert run_async(switch_then_move(app_url)) == []
