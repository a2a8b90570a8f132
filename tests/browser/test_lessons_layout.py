"""Lessons a class can follow, in a real browser: every lesson fits in a few screens at 1400×1000,
ends with a way to the next lesson, shows its numbers at 0 and at 8 decimals without cutting them,
steps through in presentation mode with the keyboard, and reads at 1400 px and at a phone's 390 px in
en, vi and ko (screenshots in artifacts/screenshots/, to look at)."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import (
    assert_no_error,
    click_nav,
    editor,
    find_table,
    locale_text,
    mark,
    move_slider,
    open_page,
    reveal,
    screenshot,
    slider_value,
    wait_for_rerun,
    wait_until_idle,
    widget,
)
from pages import PAGES
from tests.browser.live_helpers import live_cell_texts, wait_for_live
from tests.numpy_ref import seed_000
from ui.format import fmt_honest, honest_decimals, weight_decimals

pytestmark = pytest.mark.browser

SCREEN = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
#: The most screens (of 1000 px at 1400 px wide) a lesson may take at its defaults: 3, the Word2Vec
#: lab 4. Measured 2.13-2.96 (step by step and scaled dot-product the longest) and 3.81.
MAX_SCREENS = {p.name: 4.0 if p.name == "word2vec" else 3.0 for p in PAGES}
LOCALES = {"en": "en-US", "vi": "vi-VN", "ko": "ko-KR"}


def honest_rows(weights: np.ndarray, d: int) -> list[list[str]]:
    """Each row of weights as the page writes it: at its honest decimals (ui.format.weight_decimals)."""
    return [[fmt_honest(w, weight_decimals(row, d)) for w in row] for row in weights]


def path_of(name: str) -> str:
    return "/" if name == "home" else f"/{name}"


def page_height(page) -> float:  # noqa: ANN001 - playwright Page
    """The lesson's full height in pixels (Streamlit scrolls its main area, not the window)."""
    return float(
        page.evaluate(
            "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
            " return Math.max(m ? m.scrollHeight : 0, document.documentElement.scrollHeight); }"
        )
    )


def grid_width(page, key: str) -> float:  # noqa: ANN001
    """The width of all the columns of the table ``key`` together (its scroll area's content)."""
    return float(reveal(page, key).locator(".dvn-stack").first.evaluate("el => el.getBoundingClientRect().width"))


def open_lesson(page, base_url: str, name: str) -> None:  # noqa: ANN001
    open_page(page, base_url, path_of(name), timeout_ms=120_000)
    wait_for_live(page, timeout_ms=120_000)
    wait_until_idle(page, 60_000)


@pytest.mark.parametrize("name", [p.name for p in PAGES])
def test_lesson_fits_and_leads_on(page_factory, base_url, name: str) -> None:  # noqa: ANN001
    page = page_factory(viewport=SCREEN)
    open_lesson(page, base_url, name)
    assert_no_error(page)
    screens = page_height(page) / SCREEN["height"]
    assert screens <= MAX_SCREENS[name], f"{name} is {screens:.3f} screens long"
    i = next(k for k, p in enumerate(PAGES) if p.name == name)
    nxt = PAGES[(i + 1) % len(PAGES)]
    key = "lesson.next" if i + 1 < len(PAGES) else "lesson.back_to_start"
    link = page.get_by_role("link", name=locale_text("en", key, title=locale_text("en", nxt.title_key)))
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"{base_url}{path_of(nxt.name)}*", timeout=60_000)


@pytest.mark.parametrize(("name", "control"), [("library", "library_k"), ("word2vec", "w2v_text")])
def test_controls_stay_beside_what_they_change(page_factory, base_url, name: str, control: str) -> None:  # noqa: ANN001
    """Scrolled down to the live view (or the last step), the lesson's inputs are still on screen:
    a learner moves a control and reads its effect without scrolling away from it."""
    page = page_factory(viewport=SCREEN)
    open_lesson(page, base_url, name)
    main = page.locator("[data-testid='stMain']")
    main.evaluate("m => m.scrollTo(0, m.scrollHeight)")
    page.wait_for_timeout(300)
    box = (editor(page, control) if name == "library" else widget(page, control)).bounding_box()
    assert box is not None
    assert 0 <= box["y"] and box["y"] + min(box["height"], 200) <= SCREEN["height"], box
    live_box = page.locator("[data-testid='live-attention']").last.bounding_box()
    assert live_box is not None and live_box["y"] < SCREEN["height"]  # the view is on screen too


@pytest.mark.parametrize("decimals", [0, 8])
def test_decimals_are_shown_whole(page_factory, base_url, decimals: int) -> None:  # noqa: ANN001
    """Decimal places on an open page: the scaled scores show every digit asked for, the columns
    grow with them (no number is cut), and the setting survives a visit to another lesson."""
    page = page_factory(viewport=SCREEN)
    open_lesson(page, base_url, "step_by_step")
    move_slider(page, "decimals_select", 1, key="Home" if decimals == 0 else "End")
    scaled = seed_000()["heads"][0]["scaled"]
    tokens = ["Tôi", "thích", "học", "AI"]
    # the grid draws on a canvas; its accessible copy holds the exact values the format is applied to
    # (the format itself, "%.{d}f", is checked in tests/test_lessons_readable.py)
    table = find_table(reveal(page, "sbs_tbl_scaled"), index=tokens, columns=tokens)
    np.testing.assert_allclose(table.numbers(), scaled, rtol=1e-12)
    # where the page writes numbers as text, they read back at exactly the places asked for
    ref = seed_000()
    weights = ref["heads"][0]["weights"]
    # weights at the honest decimals (ui.format.weight_decimals: at 0, as many as tell them apart)
    assert live_cell_texts(page) == honest_rows(weights, decimals)
    step1 = page.locator(".st-key-stage_1").inner_text()
    p = honest_decimals(ref["emb"][0], decimals)
    assert f"[{fmt_honest(ref['emb'][0, 0], p)}," in step1, step1
    # the grid's columns (drawn on a canvas, laid out in its scroll area) hold their longest number:
    # the grid keeps a column's width from its first draw, so this is what used to cut numbers
    longest = max(len(f"{x:.{decimals}f}") for x in scaled.ravel())
    assert grid_width(page, "sbs_tbl_scaled") >= len(tokens) * longest * 8
    screenshot(page, f"decimals_{decimals}", full_page=False)
    for name in ("library", "step_by_step"):
        click_nav(page, locale_text("en", f"nav.{name}"))
        page.wait_for_url(f"{base_url}/{name}*")
        wait_for_live(page)
    assert slider_value(page, "decimals_select") == str(decimals)
    find_table(reveal(page, "sbs_tbl_scaled"), index=tokens, columns=tokens)
    assert grid_width(page, "sbs_tbl_scaled") >= len(tokens) * longest * 8
    assert live_cell_texts(page) == honest_rows(weights, decimals)


def test_presentation_mode_steps_with_the_keyboard(page_factory, base_url) -> None:  # noqa: ANN001
    page = page_factory(viewport=SCREEN)
    open_page(page, base_url, "/library?present=true", timeout_ms=120_000)
    wait_until_idle(page, 60_000)
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(page.locator(".st-key-stage_0")).to_be_visible()
    expect(page.locator(".st-key-stage_1")).to_be_hidden()
    total = page.locator(".st-key-present_bar").inner_text()
    assert "1 /" in total
    for stage in (1, 2, 3):
        since = mark(page)
        page.locator("body").press("ArrowRight")
        wait_for_rerun(page, since)
        expect(page.locator(f".st-key-stage_{stage}")).to_be_visible()
        expect(page.locator(f".st-key-stage_{stage - 1}")).to_be_hidden()
    screenshot(page, "presentation_library", full_page=False)
    since = mark(page)
    page.locator("body").press("ArrowLeft")
    wait_for_rerun(page, since)
    expect(page.locator(".st-key-stage_2")).to_be_visible()
    assert "present=true" in page.url  # the link keeps it on


@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("viewport", [SCREEN, PHONE], ids=["1400", "390"])
def test_screenshots(page_factory, base_url, lang: str, viewport: dict) -> None:  # noqa: ANN001
    """Every lesson in every language at both widths, for a person to look at; nothing clipped
    that the page can tell: no horizontal scroll on a phone."""
    page = page_factory(locale=LOCALES[lang], viewport=viewport)
    for p in PAGES:
        open_lesson(page, base_url, p.name)
        assert_no_error(page)
        overflow = page.evaluate(
            "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
            " return m ? m.scrollWidth - m.clientWidth : 0; }"
        )
        assert overflow <= 1, f"{p.name} scrolls sideways by {overflow} px"
        screenshot(page, f"lesson_{p.name}_{lang}_{viewport['width']}")
