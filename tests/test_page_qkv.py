"""The two lessons of one shape, query / keys / values (library analogy, scaled dot-product): what they
share is tested once, parametrised over both (issue 21, item 8). Each lesson's own notebook numbers
stay in its file (``test_page_library.py``, ``test_page_scaled_dot_product.py``).

Every number is compared with numpy (``tests.numpy_ref``): the temperature, the √d_k switch, reset
and the Vietnamese and Korean runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from attention_core.presets import LIBRARY, SCALED_DOT_PRODUCT, LibraryPreset, ScaledDotProductPreset
from tests.apptest_helpers import blocks, elements, open_page, set_temperature, temperature
from tests.numpy_ref import softmax
from ui.i18n import catalog


@dataclass(frozen=True)
class Lesson:
    name: str
    preset: LibraryPreset | ScaledDotProductPreset

    @property
    def prefix(self) -> str:
        return "library" if self.name == "library" else "scaled_dot_product"

    def key(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def qkv(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = self.preset
        return np.array(p.query, dtype=float), np.array(p.keys, dtype=float), np.array(p.values, dtype=float)

    def reference(self, *, scale: bool, t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """numpy's logits, weights and output (one query)."""
        q, k, v = self.qkv()
        logits = q @ k.T / (math.sqrt(k.shape[1]) if scale else 1.0) / t
        w = softmax(logits)
        return logits, w, w @ v


LESSONS = [Lesson("library", LIBRARY), Lesson("scaled_dot_product", SCALED_DOT_PRODUCT)]
IDS = [lesson.name for lesson in LESSONS]


def tables(at: AppTest, lesson: Lesson) -> list[np.ndarray]:
    """Scores, scaled scores, weights and contributions, as (1 × n_k) rows where a row is one query
    (a table turned or split to fit the steps column is joined and turned back)."""
    n_k = len(lesson.preset.keys)
    boxes = {str(getattr(b.proto, "id", "")).rsplit("-", 1)[-1]: b for b in blocks(at.main)}
    names = ("scores_table", "scaled_table", "weights_table", "parts_table")
    if all(lesson.key(n) in boxes for n in names):  # tables turned or split to fit sit in a keyed box
        found = [
            pd.concat([d.value for d in elements(boxes[lesson.key(n)]) if isinstance(d, Dataframe)], axis=1)
            for n in names
        ]
    else:  # the read-only tables, in page order
        found = [d.value for d in at.dataframe if d.proto.editing_mode == 0]
        assert len(found) == 4, len(found)
    out = []
    for name, frame in zip(names, found, strict=True):
        table = frame.to_numpy()
        if name != "parts_table" and table.shape[0] == n_k and table.shape[1] != n_k:
            table = table.T
        out.append(table)
    return out


def run(lesson: Lesson, lang: str = "en") -> AppTest:
    return open_page(lesson.name, lang)


@pytest.mark.parametrize("t", [0.5, 2.0, 0.05, 5.0])
@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_temperature_divides_the_scores_before_softmax(lesson: Lesson, t: float) -> None:
    at = run(lesson)
    set_temperature(at, lesson.key("temperature"), t).run()
    assert not at.exception
    _, scaled, weights, parts = tables(at, lesson)
    logits, w, out = lesson.reference(scale=lesson.preset.scale, t=t)
    np.testing.assert_allclose(scaled[-1], logits[0], rtol=1e-12)
    np.testing.assert_allclose(weights, w, rtol=1e-12)
    np.testing.assert_allclose(parts[-1], out[0], rtol=1e-12)
    assert not at.success  # no longer the notebook's numbers
    assert at.info[0].value == catalog("en")["common.differs_from_notebook"]


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_switch_divides_by_sqrt_dk_and_leaves_the_raw_scores(lesson: Lesson) -> None:
    at = run(lesson)
    before = tables(at, lesson)
    scale = not lesson.preset.scale
    at.toggle(key=lesson.key("scale")).set_value(scale).run()
    assert not at.exception
    scores, scaled, weights, parts = tables(at, lesson)
    q, k, _ = lesson.qkv()
    np.testing.assert_allclose(scores, before[0], rtol=0)  # raw scores do not move
    np.testing.assert_allclose(scores, q @ k.T, rtol=1e-12)
    unscaled, divided = (before[1][-1], scaled[-1]) if scale else (scaled[-1], before[1][-1])
    np.testing.assert_allclose(divided * math.sqrt(3), unscaled, rtol=1e-12)  # d_k = 3
    logits, w, out = lesson.reference(scale=scale, t=1.0)
    np.testing.assert_allclose(weights, w, rtol=1e-12)
    np.testing.assert_allclose(parts[-1], out[0], rtol=1e-12)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_reset_puts_the_notebook_back(lesson: Lesson) -> None:
    at = run(lesson)
    set_temperature(at, lesson.key("temperature"), 0.3).run()
    at.toggle(key=lesson.key("scale")).set_value(not lesson.preset.scale).run()
    assert not at.success
    at.button(key=lesson.key("reset")).click().run()
    assert not at.exception
    assert temperature(at, lesson.key("temperature")) == 1.0
    assert at.toggle(key=lesson.key("scale")).value is lesson.preset.scale
    _, w, _ = lesson.reference(scale=lesson.preset.scale, t=1.0)
    np.testing.assert_allclose(tables(at, lesson)[2], w, rtol=1e-12)
    assert [s.value for s in at.success] == [catalog("en")["common.matches_notebook"]]


@pytest.mark.parametrize("lang", ["vi", "ko"])
@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_runs_in_vietnamese_and_korean(lesson: Lesson, lang: str) -> None:
    at = run(lesson, lang)
    words = catalog(lang)
    assert at.title[0].value == words[f"{lesson.prefix}.title"]
    _, _, weights, _ = tables(at, lesson)
    _, w, _ = lesson.reference(scale=lesson.preset.scale, t=1.0)
    np.testing.assert_allclose(weights, w, rtol=1e-12)
    at.toggle(key=lesson.key("scale")).set_value(not lesson.preset.scale).run()
    set_temperature(at, lesson.key("temperature"), 0.5).run()
    assert not at.exception
    _, w, _ = lesson.reference(scale=not lesson.preset.scale, t=0.5)
    np.testing.assert_allclose(tables(at, lesson)[2], w, rtol=1e-12)
