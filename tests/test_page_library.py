"""Library analogy page: the notebook's numbers by default, its captions and the books' names in vi/ko (what
it shares with the scaled dot-product lesson is tested once, in tests/test_page_qkv.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from attention_core.presets import LIBRARY
from tests.apptest_helpers import blocks, elements, open_page, temperature
from tests.numpy_ref import softmax
from tests.share_helpers import qkv_changes
from ui.i18n import catalog

Q = np.array(LIBRARY.query)
K = np.array(LIBRARY.keys)
V = np.array(LIBRARY.values)


def run(lang: str | None = None) -> AppTest:
    return open_page("library", lang)


def tables(at: AppTest) -> list:
    """The result tables in page order: scores, scaled/softmax input, weights, contributions.

    A table too wide for the steps column is turned or split into parts (``ui.lesson.show_matrix``: the
    books' long names): the parts are joined and a table listing the books as rows is turned back here,
    to request × books as the notebook prints them.
    """
    books = {catalog(lang)[f"books.{b}"] for lang in ("en", "vi", "ko") for b in LIBRARY.book_ids}
    out = []
    for key in ("library_scores_table", "library_scaled_table", "library_weights_table", "library_parts_table"):
        box = next(b for b in blocks(at.main) if str(getattr(b.proto, "id", "")).endswith(f"-{key}"))
        table = pd.concat([d.value for d in elements(box) if isinstance(d, Dataframe)], axis=1)
        out.append(table.T if set(table.index) <= books else table)
    return out


def test_defaults_reproduce_the_notebook() -> None:
    at = run()
    scores, scaled, weights, parts = tables(at)

    ref_scores = Q @ K.T
    ref_weights = softmax(ref_scores)
    ref_output = ref_weights @ V

    np.testing.assert_allclose(scores.to_numpy(), ref_scores, rtol=1e-12)
    np.testing.assert_allclose(scores.to_numpy(), LIBRARY.printed["scores"])
    np.testing.assert_allclose(scaled.to_numpy(), np.vstack([ref_scores, ref_scores]), rtol=1e-12)  # no scaling, T=1
    np.testing.assert_allclose(weights.to_numpy(), ref_weights, rtol=1e-12)
    np.testing.assert_allclose(weights.to_numpy().round(4), LIBRARY.printed["weights"], atol=0)
    # contributions: one row per book (w_i·v_i), then their column sums = the output
    np.testing.assert_allclose(parts.to_numpy()[:3], ref_weights[0][:, None] * V, rtol=1e-12)
    np.testing.assert_allclose(parts.to_numpy()[3], ref_output[0], rtol=1e-12)
    np.testing.assert_allclose(parts.to_numpy()[:3].sum(axis=0), parts.to_numpy()[3], rtol=1e-12)
    np.testing.assert_allclose(parts.to_numpy()[3:].round(4), LIBRARY.printed["output"], atol=0)

    en = catalog("en")
    assert list(scores.columns) == [en["books.cats"], en["books.animals"], en["books.hobbies"]]
    assert list(scores.index) == [en["library.request_row"]]
    assert [s.value for s in at.success] == [en["common.matches_notebook"]]
    assert at.toggle(key="library_scale").value is False
    assert temperature(at, "library_temperature") == 1.0
    # the live sentences carry the live numbers; the cat book wins
    captions = " ".join(c.value for c in at.caption)
    said = " ".join(m.value for m in at.markdown)  # "what the numbers say" (the live view says it too)
    assert "0.5761" in said
    assert "[5.9731, 0.5299, 3.7284]" in captions
    assert "84.5%" in captions  # book 1 supplies most of the output
    # the editors show the preset
    editors = [d.value for d in at.dataframe if d.proto.editing_mode != 0]
    np.testing.assert_array_equal(editors[0][["d1", "d2", "d3"]].to_numpy(), Q)
    np.testing.assert_array_equal(editors[1][["d1", "d2", "d3"]].to_numpy(), K)
    np.testing.assert_array_equal(editors[2][["d1", "d2", "d3"]].to_numpy(), V)


# The temperature, the √d_k switch, reset and the vi/ko runs: tests/test_page_qkv.py (both Q/K/V lessons).
def test_the_scaling_caption_names_sqrt_3() -> None:
    at = run()
    at.toggle(key="library_scale").set_value(True).run()
    assert any("√3" in c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_the_books_are_named_in_vietnamese_and_korean(lang: str) -> None:
    at = run(lang)
    cat = catalog(lang)
    scores, _, weights, _ = tables(at)
    assert list(scores.index) == [cat["library.request_row"]]
    assert list(scores.columns) == [cat["books.cats"], cat["books.animals"], cat["books.hobbies"]]
    np.testing.assert_allclose(weights.to_numpy().round(4), LIBRARY.printed["weights"], atol=0)


#: Every field changed through the widgets (``tests.share_helpers.CHANGES``).
change_every_field = qkv_changes("library", True, "1 2 3\n0.1234567890123456 5e-3 -7\n2.5 0 1e-5")
