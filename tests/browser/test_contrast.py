"""Presentation mode's High contrast in a real browser (issue 24): the live view's colours and its legend
follow the switch at once (no reload): the legend's bar runs from cividis' dark navy to yellow, then
from white to deep blue, and its sentence says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from labdev.browser import assert_no_error, expect_rerun, locale_text, open_page, screenshot, widget
from tests.browser.live_helpers import live, wait_for_live

pytestmark = pytest.mark.browser

_PIXEL = """(bar, x) => Array.from(bar.getContext('2d').getImageData(Math.round(x * (bar.width - 1)), 2, 1, 1).data).slice(0, 3)"""


def ends(page) -> tuple[list[int], list[int]]:  # noqa: ANN001
    bar = live(page).locator(".la-legend-bar")
    return bar.evaluate(_PIXEL, 0), bar.evaluate(_PIXEL, 1)


def close(a: list[int], b: tuple[int, int, int]) -> bool:
    return all(abs(x - y) <= 3 for x, y in zip(a, b, strict=True))


def test_high_contrast_repaints_the_live_view_and_its_legend(page, base_url) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, base_url, "/library?present=true")
    for _ in range(3):  # the weights' stage
        with expect_rerun(page):
            page.get_by_role("button", name=locale_text("en", "present.next")).click()
    wait_for_live(page)
    lo, hi = ends(page)
    assert close(lo, (0, 32, 76)) and close(hi, (255, 233, 69)), (lo, hi)  # cividis
    with expect_rerun(page):
        widget(page, "contrast").get_by_text(locale_text("en", "present.contrast")).click()
    wait_for_live(page)
    expect(live(page).locator(".la-legend-text")).to_have_text(locale_text("en", "live.legend_fixed_contrast"))
    lo, hi = ends(page)
    assert close(lo, (255, 255, 255)) and close(hi, (8, 29, 88)), (lo, hi)  # white to deep blue
    assert "contrast=true" in page.url
    screenshot(page, "present_high_contrast", full_page=False)
    assert_no_error(page)
