"""The KV-cache lesson in a real browser: "Next token" moves the step, the live view then shows the
new query over one more key with numpy's weights and output, and the equality check
(``.st-key-kv-check``) stays on the page; Play runs to the last token and stops; a link with a step
opens at that step. One screenshot of the lesson at step 3."""

from __future__ import annotations

import math

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import assert_no_error, eventually, locale_text, open_page, screenshot, slider_value
from tests.browser.live_helpers import live_labels, live_output, live_weights, wait_for_live
from tests.numpy_ref import softmax

pytestmark = pytest.mark.browser

TOKENS = ["Tôi", "thích", "học", "AI"]


def reference(step: int) -> tuple[np.ndarray, np.ndarray]:
    """Seed 000 (np.random.seed(42), E then W_q, W_k, W_v, each rand): the weights of token ``step``'s
    query over the keys of tokens 1..step (÷√4), and its output."""
    rng = np.random.RandomState(42)
    e = rng.rand(4, 4)
    w_q, w_k, w_v = rng.rand(4, 4), rng.rand(4, 4), rng.rand(4, 4)
    q, k, v = e @ w_q, e @ w_k, e @ w_v
    w = softmax(q[step - 1] @ k[:step].T / math.sqrt(4))
    return w[None, :], (w @ v[:step])[None, :]


def check(page, step: int) -> None:  # noqa: ANN001
    rows, cols = live_labels(page)
    assert rows == [TOKENS[step - 1]] and cols == TOKENS[:step], (rows, cols)
    w, out = reference(step)
    np.testing.assert_allclose(live_weights(page), w, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(live_output(page), out, rtol=1e-9, atol=1e-12)
    assert slider_value(page, "kv_step") == str(step)


def next_token(page):  # noqa: ANN001, ANN201
    return page.get_by_role("button", name=locale_text("en", "kv.next"), exact=True)


def test_next_token_advances_and_the_check_stays(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/kv_cache")
    wait_for_live(page)
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "kv.title")).first).to_be_visible()
    eventually(lambda: check(page, 1))
    expect(page.locator(".st-key-kv-check")).to_be_visible()
    for step in (2, 3):
        next_token(page).click()
        eventually(lambda step=step: check(page, step))
        expect(page.locator(".st-key-kv-check")).to_be_visible()
    assert_no_error(page)
    screenshot(page, "kv_cache_step3")
    page.get_by_role("button", name=locale_text("en", "kv.previous"), exact=True).click()
    eventually(lambda: check(page, 2))


def test_play_runs_to_the_last_token_and_stops(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/kv_cache")
    wait_for_live(page)
    page.get_by_role("button", name=locale_text("en", "kv.play"), exact=True).click()
    expect(page.get_by_role("button", name=locale_text("en", "kv.pause"), exact=True)).to_be_visible()
    eventually(lambda: check(page, 4), timeout_ms=30_000)
    expect(page.get_by_role("button", name=locale_text("en", "kv.play"), exact=True)).to_be_visible(timeout=15_000)
    expect(next_token(page)).to_be_disabled()
    expect(page.locator(".st-key-kv-check")).to_be_visible()
    assert_no_error(page)


def test_a_link_opens_at_its_step(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/kv_cache?kv_step=3")
    wait_for_live(page)
    assert_no_error(page)
    eventually(lambda: check(page, 3))
    expect(page.locator(".st-key-kv-check")).to_be_visible()
