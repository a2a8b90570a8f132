"""Attention pooling in a real browser: opened by URL, the w sliders and the Temperature slider
(keyboard) and an edited cell of X recompute the weights bars and the context vector to numpy's."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from attention_core.presets import POOLING  # inputs only
from labdev.browser import (
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
from tests.browser.live_helpers import live_labels, live_output, live_shown_temperature, live_weights, move_live
from tests.numpy_ref import softmax

pytestmark = pytest.mark.browser

X = np.array(POOLING.x, dtype=float)
W = np.array(POOLING.w, dtype=float)
TOKENS = [locale_text("en", "pool.token_n", n=i + 1) for i in range(3)]
DIMS = ["d1", "d2", "d3"]


def check(page, x: np.ndarray, w: np.ndarray, temperature: float) -> None:  # noqa: ANN001 - playwright Page
    """Scores X·w, weights softmax(scores/T) (the live view), context weights·X (the view, the table, the chart)."""
    scores = x @ w
    weights = softmax(scores / temperature)
    context = weights @ x
    shown = find_table(page, index=TOKENS, columns=[locale_text("en", "common.score")])
    np.testing.assert_allclose(shown.numbers()[:, 0], scores, rtol=0, atol=1e-12)
    rows, cols = live_labels(page)
    assert labels_match(cols, TOKENS) and rows == ["w"]
    np.testing.assert_allclose(live_weights(page)[0], weights, rtol=1e-12)
    np.testing.assert_allclose(live_output(page)[0], context, rtol=1e-12, atol=1e-15)
    table = find_table(page, index=[locale_text("en", "pool.context")], columns=DIMS)
    np.testing.assert_allclose(table.numbers()[0], context, rtol=0, atol=1e-12)
    *_, total = plotly_data(page, "pool_contributions")
    np.testing.assert_allclose(total["y"], context, rtol=0, atol=1e-12)


def test_pooling_sliders_and_editor(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/pooling")
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "pool.title")).first).to_be_visible()
    assert slider_value(page, "pool_w_0") == "-1.2323"  # the notebook's draw, shown with 4 decimals
    assert live_shown_temperature(page) == "1.00"
    eventually(lambda: check(page, X, W, 1.0))
    # the notebook's printed weights
    np.testing.assert_allclose(live_weights(page)[0], POOLING.printed["weights"], rtol=0, atol=5e-8)

    # w1 slider: two steps of 0.01 right. The slider snaps to its 0.01 grid from -1.2322834.
    shown = move_slider(page, "pool_w_0", 2)
    w = W.copy()
    w[0] = float(shown)
    assert abs(w[0] - (W[0] + 0.02)) < 0.0051
    eventually(lambda: check(page, X, w, 1.0))
    # w3 slider: one step left.
    w[2] = float(move_slider(page, "pool_w_2", -1))
    assert abs(w[2] - (W[2] - 0.01)) < 0.0051
    eventually(lambda: check(page, X, w, 1.0))

    assert move_live(page, 2) == "1.10"
    eventually(lambda: check(page, X, w, 1.1))

    # X[1, 0]: 0 -> 1.5.
    edit_cell(page, "pool_x", 1, 0, 1.5)
    x = X.copy()
    x[1, 0] = 1.5
    eventually(lambda: check(page, x, w, 1.1))
    assert live_shown_temperature(page) == "1.10"
    assert_no_error(page)
    screenshot(page, "pooling")
