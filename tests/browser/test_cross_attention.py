"""Cross-attention in a real browser: opened by URL, the live view's rows are the target's words, its
columns the source's, and its ``data-weights`` equal the engine's ``cross_attention`` on the designed
vectors; typing a new target sentence redraws an n_target × n_source view; the live view's Temperature
recomputes in the browser; a link with two heads opens the second head's weights."""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pytest
from playwright.sync_api import expect

from attention_core import cross_attention
from attention_core.cross_presets import CROSS_ATTENTION, cross_vectors
from labdev.browser import assert_no_error, eventually, expect_rerun, locale_text, open_page, screenshot, widget
from tests.browser.live_helpers import live_labels, live_output, live_weights, move_live, wait_for_live

pytestmark = pytest.mark.browser


def engine(source: str, target: str, *, heads: int = 1, head: int = 0, temperature: float = 1.0):  # noqa: ANN201
    src, tgt = source.split(), target.split()
    r = cross_attention(cross_vectors(tgt), cross_vectors(src), n_heads=heads, temperature=temperature)
    return src, tgt, r.heads[head]


def check(page, source: str, target: str, **kw) -> None:  # noqa: ANN001
    src, tgt, shown = engine(source, target, **kw)
    assert live_labels(page) == (tgt, src)  # rows: target words; columns: source words
    w = live_weights(page)
    assert w.shape == (len(tgt), len(src))
    np.testing.assert_allclose(w, shown.weights, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(live_output(page), shown.output, rtol=1e-9, atol=1e-12)


def test_cross_attention_live_view_equals_the_engine(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/cross_attention")
    wait_for_live(page)
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "cross.title")).first).to_be_visible()
    eventually(lambda: check(page, CROSS_ATTENTION.source, CROSS_ATTENTION.target))
    screenshot(page, "cross_attention")
    box = widget(page, "cross_target").locator("input")
    with expect_rerun(page):
        box.fill("I like AI")
        box.press("Enter")
    wait_for_live(page)
    eventually(lambda: check(page, CROSS_ATTENTION.source, "I like AI"))  # 3 × 4 now
    move_live(page, 2)  # the live view's temperature 1.00 -> 1.10, redrawn in the browser
    eventually(lambda: check(page, CROSS_ATTENTION.source, "I like AI", temperature=1.1))
    assert_no_error(page)


def test_a_link_with_two_heads_opens_the_second_head(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, f"/cross_attention?cross_heads=2&cross_head=2&cross_source={quote('Tôi thích AI')}")
    wait_for_live(page)
    assert_no_error(page)
    eventually(lambda: check(page, "Tôi thích AI", CROSS_ATTENTION.target, heads=2, head=1))
