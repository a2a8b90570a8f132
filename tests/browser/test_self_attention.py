"""Self-attention (Q = K = V = X) in a real browser: opened by URL, the Temperature slider
(keyboard) and an edited cell of X recompute the n×n weights and the output to numpy's values."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from attention_core.presets import SELF_ATTENTION_3X3  # inputs only
from labdev.browser import (
    assert_no_error,
    edit_cell,
    eventually,
    find_table,
    locale_text,
    open_page,
    screenshot,
)
from tests.browser.live_helpers import live_labels, live_output, live_shown_temperature, live_weights, move_live
from tests.numpy_ref import softmax

pytestmark = pytest.mark.browser

X = np.array(SELF_ATTENTION_3X3.x, dtype=float)
TOKENS = [locale_text("en", "self.token_n", n=i + 1) for i in range(3)]
DIMS = ["d1", "d2", "d3"]


def check(page, x: np.ndarray, temperature: float) -> None:  # noqa: ANN001 - playwright Page
    """Weights softmax(XXᵀ/T) and output weights·X in the live view; the output in the last table too."""
    weights = softmax(x @ x.T / temperature)
    assert live_labels(page) == (TOKENS, TOKENS)
    np.testing.assert_allclose(live_weights(page), weights, rtol=1e-12)
    np.testing.assert_allclose(live_output(page), weights @ x, rtol=1e-12)
    out = find_table(page, index=TOKENS, columns=DIMS, nth=-1)  # X's editor has the same labels: the last is O
    assert out.header[0] == ""  # a result table, not the editor (its first header is "Token")
    np.testing.assert_allclose(out.numbers(), weights @ x, rtol=0, atol=1e-12)


def test_self_attention_slider_and_editor(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/self_attention")
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "self.title")).first).to_be_visible()
    assert live_shown_temperature(page) == "1.00"
    eventually(lambda: check(page, X, 1.0))
    # The notebook's printed weights (7-8 digits).
    np.testing.assert_allclose(live_weights(page), SELF_ATTENTION_3X3.printed["weights"], rtol=0, atol=5e-8)

    assert move_live(page, -2) == "0.90"
    eventually(lambda: check(page, X, 0.9))
    assert move_live(page, 1) == "0.95"
    eventually(lambda: check(page, X, 0.95))

    # X[0, 1]: 0 -> 2 (token 1 now shares feature d2 with tokens 2 and 3).
    edit_cell(page, "self_x", 0, 1, 2)
    x = X.copy()
    x[0, 1] = 2.0
    eventually(lambda: check(page, x, 0.95))
    assert live_shown_temperature(page) == "0.95"
    assert_no_error(page)
    screenshot(page, "self_attention")
