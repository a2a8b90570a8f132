"""Why divide by √d_k? in a real browser: opened by URL, the live view's two rows (unscaled and
÷√d_k) and the histograms equal numpy's draws; the d_k slider (keyboard) and the live view's
Temperature slider recompute them; a link with d_k and n keys opens the same experiment."""

from __future__ import annotations

import math

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import assert_no_error, eventually, locale_text, move_slider, open_page, plotly_data, slider_value
from tests.browser.live_helpers import live_labels, live_weights, move_live, wait_for_live
from tests.numpy_ref import softmax

pytestmark = pytest.mark.browser


def reference(d_k: int, n_keys: int, seed: int, temperature: float = 1.0) -> dict[str, np.ndarray]:
    """The engine's documented draw order, redone with numpy: one query, the keys, then the pairs."""
    rng = np.random.default_rng(seed)
    q = rng.standard_normal(d_k)
    keys = rng.standard_normal((n_keys, d_k))
    pq, pk = rng.standard_normal((2000, d_k)), rng.standard_normal((2000, d_k))
    scores = keys @ q
    return {
        "dots": (pq * pk).sum(axis=1),
        "weights": np.vstack([softmax(scores / temperature), softmax(scores / math.sqrt(d_k) / temperature)]),
    }


def check(page, d_k: int, n_keys: int, seed: int, temperature: float = 1.0) -> None:  # noqa: ANN001
    ref = reference(d_k, n_keys, seed, temperature)
    rows, cols = live_labels(page)
    assert rows == [locale_text("en", "dk.row_unscaled"), locale_text("en", "dk.row_scaled")] and len(cols) == n_keys
    np.testing.assert_allclose(live_weights(page), ref["weights"], rtol=1e-9, atol=1e-12)
    unscaled, scaled = plotly_data(page, "dk_hist")
    np.testing.assert_allclose(unscaled["x"], ref["dots"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scaled["x"], ref["dots"] / math.sqrt(d_k), rtol=1e-12, atol=1e-12)


def test_sqrt_dk_controls_recompute_the_rows(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/sqrt_dk")
    wait_for_live(page)
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "dk.title")).first).to_be_visible()
    assert slider_value(page, "dk_d_k") == "64"
    eventually(lambda: check(page, 64, 8, 0))
    move_slider(page, "dk_d_k", 3)  # 64 -> 512
    assert slider_value(page, "dk_d_k") == "512"
    eventually(lambda: check(page, 512, 8, 0))
    move_live(page, 2)  # the live view's temperature 1.00 -> 1.10, redrawn in the browser
    eventually(lambda: check(page, 512, 8, 0, temperature=1.1))


def test_a_link_opens_the_same_experiment(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/sqrt_dk?dk_d_k=8&dk_n_keys=5&dk_seed=3")
    wait_for_live(page)
    assert_no_error(page)
    eventually(lambda: check(page, 8, 5, 3))
