"""Compare A/B in a real browser (issue 26, part 1): "Pin as A" on the library lesson, the Temperature
moved in the live view, and the comparison (container ``compare``) shows A's weights (what the view
drew before), B's (what it draws now) and B − A; the page's URL carries A, and opening it in a new tab
brings A and B back; "Swap A and B" puts A's temperature back into the live view; "Unpin A" ends it."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import assert_no_error, eventually, expect_rerun, open_page, plotly_data, screenshot, widget
from tests.browser.live_helpers import live_temperature, live_weights, move_live, wait_for_live

pytestmark = pytest.mark.browser


def shown(page) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # noqa: ANN001
    """A's and B's weights from the comparison's row-by-row map, and its B − A map."""
    ab = plotly_data(page, "library_compare_ab")[0]
    z, rows = np.array(ab["z"], dtype=float), list(ab["y"])
    a = z[[i for i, r in enumerate(rows) if r.startswith("A · ")]]
    b = z[[i for i, r in enumerate(rows) if r.startswith("B · ")]]
    diff = np.array(plotly_data(page, "library_compare_diff")[0]["z"], dtype=float)
    return a, b, diff


def check(page, a: np.ndarray, b: np.ndarray) -> None:  # noqa: ANN001
    got_a, got_b, diff = shown(page)
    np.testing.assert_allclose(got_a, a, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got_b, b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(diff, b - a, rtol=0, atol=1e-12)


def test_pin_move_the_temperature_and_compare(page, page_factory, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/library")
    wait_for_live(page)
    a = live_weights(page)
    expect(page.locator(".st-key-compare")).to_have_count(0)
    with expect_rerun(page):
        page.get_by_role("button", name="Pin as A").click()
    box = page.locator(".st-key-compare")
    expect(box).to_be_visible()
    move_live(page, 10)  # 1.00 -> 1.50, one rerun per press: the comparison follows
    b = live_weights(page)
    assert not np.allclose(a, b)
    eventually(lambda: check(page, a, b))
    expect(box).to_contain_text("The largest change")
    box.scroll_into_view_if_needed()
    screenshot(page, "compare_library")
    assert_no_error(page)

    # The URL holds A (compare=) and B (the temperature): a new tab opens both.
    url = page.url
    assert "compare=" in url and f"library_temperature={live_temperature(page):g}" in url
    other = page_factory()
    open_page(other, base_url, url.split("/", 3)[3])
    wait_for_live(other)
    expect(other.locator(".st-key-compare")).to_be_visible()
    eventually(lambda: check(other, a, b))

    # Swap: A's temperature (1.00) is live again, and A is now the old B.
    with expect_rerun(page):
        page.get_by_role("button", name="Swap A and B").click()
    wait_for_live(page)
    eventually(lambda: np.testing.assert_allclose(live_weights(page), a, rtol=0, atol=1e-12))
    assert live_temperature(page) == 1.0
    eventually(lambda: check(page, b, a))

    with expect_rerun(page):
        page.get_by_role("button", name="Unpin A").click()
    expect(page.locator(".st-key-compare")).to_have_count(0)
    expect(widget(page, "library_pin")).to_be_visible()
    assert "compare=" not in page.url
    assert_no_error(page)
