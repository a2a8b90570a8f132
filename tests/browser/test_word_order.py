"""The word-order lesson in a real browser: it opens without an error, and the live view's
data-weights and data-output equal numpy's for the shuffled sentence (seed 000's draws, computed here
without attention_core), without positions and, from a link, with rotary positions; a screenshot."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import assert_no_error, eventually, locale_text, open_page, screenshot
from tests.browser.live_helpers import live_labels, live_output, live_weights, wait_for_live
from tests.numpy_ref import attend

pytestmark = pytest.mark.browser

TOKENS = ["Tôi", "thích", "học", "AI"]  # the lesson's default sentence (seed 000)
ORDER = [1, 2, 3, 0]  # shuffle seed 1: "thích học AI Tôi" (the page shows it; checked below)


def rotate(x: np.ndarray) -> np.ndarray:
    """RoPE by hand: pair (2i, 2i+1) of row p turned by p·10000^(-2i/d)."""
    out = x.copy()
    d = x.shape[1]
    for p in range(x.shape[0]):
        for i in range(d // 2):
            th = p * 10000.0 ** (-2 * i / d)
            a, b = x[p, 2 * i], x[p, 2 * i + 1]
            out[p, 2 * i], out[p, 2 * i + 1] = a * np.cos(th) - b * np.sin(th), a * np.sin(th) + b * np.cos(th)
    return out


def expected(rope: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(42)  # seed 000: rand(4, 4) embeddings, then W_q, W_k, W_v
    x, w_q, w_k, w_v = (rng.rand(4, 4) for _ in range(4))
    xs = x[ORDER]
    q, k, v = xs @ w_q, xs @ w_k, xs @ w_v
    if rope:
        q, k = rotate(q), rotate(k)
    _, w, out = attend(q, k, v, scale=True, temperature=1.0)
    return w, out


def close(actual: np.ndarray, want: np.ndarray) -> None:
    np.testing.assert_allclose(actual, want, rtol=1e-12, atol=1e-12 * float(np.abs(want).max()))


def check(page, rope: bool) -> None:  # noqa: ANN001 - playwright Page
    w, out = expected(rope)
    shuffled = [TOKENS[i] for i in ORDER]
    assert live_labels(page) == (shuffled, shuffled)
    close(live_weights(page), w)
    close(live_output(page), out)


def test_word_order_live_view_equals_numpy(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/word_order", timeout_ms=90_000)
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "wo.title")).first).to_be_visible()
    wait_for_live(page)
    expect(page.get_by_text("Shuffled: thích học AI Tôi").first).to_be_visible()
    eventually(lambda: check(page, rope=False))
    expect(
        page.get_by_text(locale_text("en", "wo.check_ok", dw="", do="", tol="1e-12").split(":")[0]).first
    ).to_be_visible()

    open_page(page, base_url, "/word_order?wo_positions=rope", timeout_ms=90_000)
    assert_no_error(page)
    wait_for_live(page)
    eventually(lambda: check(page, rope=True))
    expect(page.get_by_text(locale_text("en", "wo.rope_ok", tol="1e-12")).first).to_be_visible()
    screenshot(page, "word_order_rope")
