"""Step by step (seed 000, "Tôi thích học AI") in a real browser: opened by URL, the Temperature
slider (keyboard) and an edited W_q cell recompute the weights heatmap and the output table to
what numpy gives from the notebook's own recipe (seed 42, then rand for E, W_q, W_k, W_v)."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import (
    assert_no_error,
    edit_cell,
    eventually,
    find_table,
    locale_text,
    open_page,
    reveal,
    screenshot,
    widget,
)
from tests.browser.live_helpers import live_labels, live_output, live_shown_temperature, live_weights, move_live
from tests.numpy_ref import softmax

pytestmark = pytest.mark.browser

TOKENS = ["Tôi", "thích", "học", "AI"]
DIMS = ["d1", "d2", "d3", "d4"]


def notebook_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seed 000's recipe, written out: np.random.seed(42); rand(4, 4) embeddings, then W_q, W_k, W_v."""
    rng = np.random.RandomState(42)
    return rng.rand(4, 4), rng.rand(4, 4), rng.rand(4, 4), rng.rand(4, 4)


def expected(w_q: np.ndarray, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights softmax(QKᵀ/√4/T) and output AV for the notebook's sentence (4 distinct tokens: X = E)."""
    x, _, w_k, w_v = notebook_tables()
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    weights = softmax(q @ k.T / np.sqrt(4) / temperature)
    return weights, weights @ v


def check(page, w_q: np.ndarray, temperature: float) -> None:  # noqa: ANN001 - playwright Page
    weights, output = expected(w_q, temperature)
    assert live_labels(page) == (TOKENS, TOKENS)
    np.testing.assert_allclose(live_weights(page), weights, rtol=1e-12)
    np.testing.assert_allclose(np.sum(live_weights(page), axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(live_output(page), output, rtol=1e-12)
    out = find_table(widget(page, "sbs_tbl_output"), index=TOKENS, columns=DIMS)
    np.testing.assert_allclose(out.numbers(), output, rtol=0, atol=1e-12)


def test_step_by_step_slider_and_editor(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/step_by_step")
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "sbs.title")).first).to_be_visible()
    _, w_q, _, _ = notebook_tables()

    # The notebook's printed Q row 0 and scaled scores row 0, at their precision
    # (attention_core.presets.STEP_BY_STEP.printed).
    q = find_table(reveal(page, "sbs_tbl_q"), index=TOKENS, columns=DIMS).numbers()  # step 2's numbers, tab Q
    np.testing.assert_allclose(q[0], [1.3841427, 0.93171313, 0.94939871, 0.93588465], rtol=0, atol=5e-9)
    scaled = find_table(widget(page, "sbs_tbl_scaled"), index=TOKENS, columns=TOKENS).numbers()
    np.testing.assert_allclose(scaled[0], [2.32444626, 1.13470157, 2.22122649, 1.56792258], rtol=0, atol=5e-9)
    assert live_shown_temperature(page) == "1.00"
    eventually(lambda: check(page, w_q, 1.0))
    expect(page.get_by_text(locale_text("en", "common.matches_notebook"))).to_be_visible()

    assert move_live(page, 2) == "1.10"
    eventually(lambda: check(page, w_q, 1.1))
    assert move_live(page, -1) == "1.05"
    eventually(lambda: check(page, w_q, 1.05))

    # W_q[0, 0] -> 2.5: Q, the scores, the weights and the output all follow.
    reveal(page, "sbs_wq_s42")  # the "Edit W_q, W_k, W_v" expander beside the steps
    edit_cell(page, "sbs_wq_s42", 0, 0, 2.5)
    w_q = w_q.copy()
    w_q[0, 0] = 2.5
    eventually(lambda: check(page, w_q, 1.05))
    assert live_shown_temperature(page) == "1.05"
    assert_no_error(page)
    screenshot(page, "step_by_step")
