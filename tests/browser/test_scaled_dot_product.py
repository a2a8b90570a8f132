"""Scaled dot-product page in a real browser: opened by URL, the Temperature slider (keyboard)
and an edited key cell recompute the weights (heatmap, bars) and the output to numpy's values."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from attention_core.presets import SCALED_DOT_PRODUCT as P  # inputs only
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

Q, K, V = (np.array(a, dtype=float) for a in (P.query, P.keys, P.values))
QUERY = [locale_text("en", "scaled_dot_product.query_row")]
KEYS = [locale_text("en", "scaled_dot_product.key_row", i=i + 1) for i in range(3)]


def check(page, k: np.ndarray, temperature: float) -> None:  # noqa: ANN001 - playwright Page
    """Scores table, the live view's weights and output, the contributions chart's total, scaled by √3."""
    scores, weights, output = attend(Q, k, V, scale=True, temperature=temperature)
    np.testing.assert_allclose(find_table(page, index=QUERY, columns=KEYS).numbers(), scores, rtol=0, atol=1e-12)
    rows, cols = live_labels(page)
    assert labels_match(cols, KEYS) and labels_match(rows, QUERY)
    np.testing.assert_allclose(live_weights(page), weights, rtol=1e-12)
    np.testing.assert_allclose(live_output(page), output, rtol=1e-12)
    *_, total = plotly_data(page, "scaled_dot_product_contributions")
    np.testing.assert_allclose(total["y"], output[0], rtol=0, atol=1e-12)


def test_scaled_dot_product_slider_and_editor(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/scaled_dot_product")
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "scaled_dot_product.title")).first).to_be_visible()
    assert P.scale is True
    assert live_shown_temperature(page) == "1.00"
    eventually(lambda: check(page, K, 1.0))
    # The notebook's printout: weights [0.53289684 0.16794345 0.29915971], value [8.3205655 4.67103162].
    np.testing.assert_allclose(live_weights(page)[0], [0.53289684, 0.16794345, 0.29915971], rtol=0, atol=5e-9)
    *_, total = plotly_data(page, "scaled_dot_product_contributions")
    np.testing.assert_allclose(total["y"], [8.3205655, 4.67103162], rtol=0, atol=5e-8)

    assert move_live(page, 2) == "1.10"
    eventually(lambda: check(page, K, 1.1))
    assert move_live(page, -3) == "0.95"
    eventually(lambda: check(page, K, 0.95))

    # Key 2: [0, 1, 0] -> [2, 1, 0]: it now matches the query as well as key 1.
    edit_cell(page, "scaled_dot_product_k", 1, 0, 2)
    k = K.copy()
    k[1, 0] = 2.0
    eventually(lambda: check(page, k, 0.95))
    assert live_shown_temperature(page) == "0.95"
    assert_no_error(page)
    screenshot(page, "scaled_dot_product")
