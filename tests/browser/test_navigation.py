"""Navigation in a real browser: every lesson opens from the sidebar without an error, and a
deep link opened first on a fresh server runs inside the app's navigation (translated titles,
language selector), not as a lone page with file names in the menu."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from labdev.browser import (
    assert_no_error,
    click_nav,
    locale_text,
    move_slider,
    open_page,
    sidebar_nav_titles,
    slider_value,
    widget,
)
from pages import PAGES

pytestmark = pytest.mark.browser

NAV_TITLES = [locale_text("en", p.title_key) for p in PAGES]


def url_name(path: str) -> str:
    """``pages/step_by_step.py`` -> ``step_by_step`` (the page's URL path)."""
    return path.removeprefix("pages/").removesuffix(".py")


def test_every_page_opens_from_the_sidebar(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/")
    assert sidebar_nav_titles(page) == NAV_TITLES
    assert move_slider(page, "decimals_select", 1) == "5"  # a shared setting: it must follow every page
    for spec in [*PAGES[1:], PAGES[0]]:  # every lesson, then back home
        click_nav(page, locale_text("en", spec.title_key), timeout_ms=60_000)
        assert_no_error(page)
        assert slider_value(page, "decimals_select") == "5", spec.path  # was redrawn at 1 after a switch
        heading = page.get_by_role("heading", name=locale_text("en", f"{spec.prefix}.title"))
        expect(heading.first).to_be_visible()
        name = "" if spec.path == "pages/home.py" else url_name(spec.path)
        assert re.fullmatch(rf"{re.escape(base_url)}/{name}(\?.*)?", page.url), page.url
        link = page.locator("[data-testid='stSidebarNavLink'][aria-current='page']")
        expect(link).to_have_count(1)
        expect(link).to_contain_text(locale_text("en", spec.title_key))


def test_deep_link_first_on_a_fresh_server(page, fresh_base_url) -> None:  # noqa: ANN001
    """/step_by_step before any "/" on this server: served through app.py (ui.nav.require_app_navigation)."""
    open_page(page, fresh_base_url, "/step_by_step", timeout_ms=120_000)
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "sbs.title")).first).to_be_visible()
    expect(widget(page, "lang_select").locator("input[role=combobox]")).to_be_visible()
    assert widget(page, "lang_select").locator("input[role=combobox]").input_value() == "English"
    expect(widget(page, "decimals_select")).to_be_visible()
    titles = sidebar_nav_titles(page)
    assert titles == NAV_TITLES
    assert "Step by step" in titles and "Library analogy" in titles
    assert not {"app", "step by step", "home", "library", "word2vec"} & set(titles)
    assert page.url.startswith(f"{fresh_base_url}/step_by_step")
    active = page.locator("[data-testid='stSidebarNavLink'][aria-current='page']")
    expect(active).to_contain_text("Step by step")
