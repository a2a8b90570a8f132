"""Library analogy page in a real browser: opened by URL, the Temperature slider (keyboard)
and an edited key cell recompute the weights and the output to what numpy gives."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from attention_core.presets import LIBRARY  # inputs only
from labdev.browser import (
    assert_no_error,
    edit_cell,
    eventually,
    find_table,
    labels_match,
    locale_text,
    open_page,
    plotly_data,
    screenshot,
)
from tests.browser.live_helpers import live_labels, live_output, live_shown_temperature, live_weights, move_live
from tests.numpy_ref import attend

pytestmark = pytest.mark.browser

Q, K, V = (np.array(a, dtype=float) for a in (LIBRARY.query, LIBRARY.keys, LIBRARY.values))
BOOKS = [locale_text("en", f"books.{b}") for b in LIBRARY.book_ids]
REQUEST = locale_text("en", "library.request_row")


def check(page, k: np.ndarray, temperature: float) -> None:  # noqa: ANN001 - playwright Page
    """Scores table, the live view's weights and output, and the contributions chart's total agree with numpy."""
    scores, weights, output = attend(Q, k, V, scale=LIBRARY.scale, temperature=temperature)
    # step 1: the scores, one row per book (turned: the long book names fit the steps column so)
    shown = find_table(page, index=BOOKS, columns=[REQUEST])
    np.testing.assert_allclose(shown.numbers().T, scores, rtol=0, atol=1e-12)
    np.testing.assert_allclose(live_weights(page), weights, rtol=1e-12)
    rows, cols = live_labels(page)
    assert labels_match(cols, BOOKS) and labels_match(rows, [REQUEST])
    np.testing.assert_allclose(live_output(page), output, rtol=1e-12)
    assert abs(live_weights(page).sum() - 1) < 1e-12
    *_, total = plotly_data(page, "library_contributions")
    np.testing.assert_allclose(total["y"], output[0], rtol=0, atol=1e-12)  # Python's chart, after release


def test_library_slider_and_editor(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/library")
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "library.title")).first).to_be_visible()
    assert live_shown_temperature(page) == "1.00"
    eventually(lambda: check(page, K, 1.0))
    assert locale_text("en", "common.matches_notebook") in page.inner_text("body")
    # The notebook's printed weights, at its precision.
    assert [round(w, 4) for w in live_weights(page)[0]] == [0.5761, 0.2119, 0.2119]

    assert move_live(page, 2) == "1.10"
    eventually(lambda: check(page, K, 1.1))
    assert move_live(page, -1) == "1.05"
    eventually(lambda: check(page, K, 1.05))

    # Book 3's first key component 0 -> 3: its score becomes 4, the largest.
    edit_cell(page, "library_k", 2, 0, 3)
    k = K.copy()
    k[2, 0] = 3.0
    eventually(lambda: check(page, k, 1.05))
    assert live_shown_temperature(page) == "1.05"  # the edit kept the slider
    assert_no_error(page)
    screenshot(page, "library")
