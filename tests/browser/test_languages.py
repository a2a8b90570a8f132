"""Languages in a real browser (issue 7): a Vietnamese or Korean browser gets the UI in its
language (checked against ui/locales/<lang>/*.toml, read here with tomllib); switching the
language in the sidebar in the middle of a lesson keeps the page and every value, and changes
the labels. Screenshots in both languages (Vietnamese diacritics, Hangul)."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from labdev.browser import (
    assert_no_error,
    click_nav,
    eventually,
    locale_text,
    open_page,
    screenshot,
    select_option,
    set_text,
    sidebar_nav_titles,
    slider_input,
    widget,
)
from pages import PAGES
from tests.browser.live_helpers import live_labels, live_shown_temperature, live_slider, live_weights, move_live

pytestmark = pytest.mark.browser

LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt", "ko": "한국어"}


def nav_titles(lang: str) -> list[str]:
    return [locale_text(lang, p.title_key) for p in PAGES]


def heading(page: Page, lang: str, key: str):  # noqa: ANN201 - a Locator
    return page.get_by_role("heading", name=locale_text(lang, key)).first


def assert_language(page: Page, lang: str, title_key: str) -> None:
    """Sidebar, selector and the page's heading are in ``lang``."""
    assert sidebar_nav_titles(page) == nav_titles(lang)
    assert widget(page, "lang_select").locator("input[role=combobox]").input_value() == LANGUAGE_NAMES[lang]
    expect(heading(page, lang, title_key)).to_be_visible()
    assert slider_input(page, "decimals_select").get_attribute("aria-label") == locale_text(lang, "app.decimals")


def test_vietnamese_browser(page_factory, base_url) -> None:  # noqa: ANN001
    page = page_factory(locale="vi-VN")
    open_page(page, base_url, "/")
    assert_language(page, "vi", "home.title")
    assert "Từng bước" in sidebar_nav_titles(page)
    expect(heading(page, "vi", "home.live_title")).to_be_visible()
    click_nav(page, locale_text("vi", "nav.step_by_step"))
    assert_language(page, "vi", "sbs.title")
    expect(heading(page, "vi", "sbs.inputs_title")).to_be_visible()
    assert live_slider(page).get_attribute("aria-label") == "Nhiệt độ (Temperature)"
    assert_no_error(page)
    screenshot(page, "step_by_step_vi")


def test_korean_browser(page_factory, base_url) -> None:  # noqa: ANN001
    page = page_factory(locale="ko-KR")
    open_page(page, base_url, "/library")
    assert_language(page, "ko", "library.title")
    assert "도서관 비유" in sidebar_nav_titles(page)[1]
    expect(heading(page, "ko", "library.inputs_title")).to_be_visible()
    assert live_slider(page).get_attribute("aria-label") == "온도(Temperature)"
    # numbers are the same in every language
    assert [round(w, 4) for w in live_weights(page)[0]] == [0.5761, 0.2119, 0.2119]
    assert_no_error(page)
    screenshot(page, "library_ko")


def test_switch_language_mid_lesson_keeps_values(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/step_by_step")
    assert_language(page, "en", "sbs.title")
    sentence = "Tôi thích học attention"
    set_text(page, "sbs_sentence", sentence)
    assert move_live(page, 2) == "1.10"
    before = live_weights(page)
    assert live_labels(page)[1] == sentence.split()

    for lang in ("ko", "vi"):
        select_option(page, "lang_select", LANGUAGE_NAMES[lang], timeout_ms=60_000)
        assert page.url.split("?")[0] == f"{base_url}/step_by_step"  # same lesson
        eventually(lambda lang=lang: assert_language(page, lang, "sbs.title"))
        expect(page.get_by_role("heading", name=locale_text("en", "sbs.title"), exact=True)).to_have_count(0)
        # Values kept: the sentence, the temperature, hence the same weights.
        assert widget(page, "sbs_sentence").locator("input").input_value() == sentence
        assert live_shown_temperature(page) == "1.10"
        thumb = live_slider(page)
        assert thumb.get_attribute("aria-label") == locale_text(lang, "common.temperature")
        assert live_labels(page)[1] == sentence.split()
        np.testing.assert_array_equal(live_weights(page), before)
        assert_no_error(page)
