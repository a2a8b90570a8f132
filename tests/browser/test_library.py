"""Library analogy page in a real browser: opened by URL, the Temperature slider (keyboard)
and an edited key cell recompute the weights and the output to what numpy gives."""

from __future__ import annotations

import numpy as np
import pytest
from browser_helpers import (
    assert_no_error,
    edit_cell,
    eventually,
    find_table,
    labels_match,
    locale_text,
    move_slider,
    open_page,
    plotly_data,
    screenshot,
    slider_value,
)
from numpy_ref import attend
from playwright.sync_api import expect

from attention_core.presets import LIBRARY  # inputs only

pytestmark = pytest.mark.browser

Q, K, V = (np.array(a, dtype=float) for a in (LIBRARY.query, LIBRARY.keys, LIBRARY.values))
BOOKS = [locale_text("en", f"books.{b}") for b in LIBRARY.book_ids]
REQUEST = locale_text("en", "library.request_row")


def check(page, k: np.ndarray, temperature: float) -> None:  # noqa: ANN001 - playwright Page
    """Scores table, weights heatmap and bars, output (the contributions chart's total) agree with numpy."""
    scores, weights, output = attend(Q, k, V, scale=LIBRARY.scale, temperature=temperature)
    shown = find_table(page, index=[REQUEST], columns=BOOKS)  # step 1: the scores
    np.testing.assert_allclose(shown.numbers(), scores, rtol=0, atol=1e-12)
    (heat,) = plotly_data(page, "library_weights_heatmap")
    np.testing.assert_allclose(heat["z"], weights, rtol=0, atol=1e-12)
    assert labels_match(heat["x"], BOOKS) and labels_match(heat["y"], [REQUEST])
    (bars,) = plotly_data(page, "library_weights_bars")
    np.testing.assert_allclose(bars["x"], weights[0], rtol=0, atol=1e-12)
    *_, total = plotly_data(page, "library_contributions")
    np.testing.assert_allclose(total["y"], output[0], rtol=0, atol=1e-12)
    assert abs(sum(bars["x"]) - 1) < 1e-12


def test_library_slider_and_editor(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/library")
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "library.title")).first).to_be_visible()
    assert slider_value(page, "library_temperature") == "1.00"
    eventually(lambda: check(page, K, 1.0))
    assert locale_text("en", "common.matches_notebook") in page.inner_text("body")
    # The notebook's printed weights, at its precision.
    (heat,) = plotly_data(page, "library_weights_heatmap")
    assert [round(w, 4) for w in heat["z"][0]] == [0.5761, 0.2119, 0.2119]

    assert move_slider(page, "library_temperature", 2) == "1.10"
    eventually(lambda: check(page, K, 1.1))
    assert move_slider(page, "library_temperature", -1) == "1.05"
    eventually(lambda: check(page, K, 1.05))

    # Book 3's first key component 0 -> 3: its score becomes 4, the largest.
    edit_cell(page, "library_k", 2, 0, 3)
    k = K.copy()
    k[2, 0] = 3.0
    eventually(lambda: check(page, k, 1.05))
    assert slider_value(page, "library_temperature") == "1.05"  # the edit kept the slider
    assert_no_error(page)
    screenshot(page, "library")
