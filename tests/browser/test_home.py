"""The home page in a real browser: it loads without error, the sidebar works, and the
temperature slider recomputes the library example's weights and output live."""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import (
    assert_no_error,
    main_text,
    move_slider,
    open_page,
    screenshot,
    select_option,
    sidebar_nav_titles,
    slider_value,
    widget,
)
from pages import PAGES
from tests.browser.live_helpers import live, live_output, live_shown_temperature, live_slider, live_weights, move_live
from ui.format import fmt_honest, honest_decimals, weight_decimals
from ui.i18n import LANGUAGES, catalog

pytestmark = pytest.mark.browser

# The Korean notebook's library example, written out here on purpose (not read from the core).
QUERY = np.array([1.0, 0.0, 1.0])
KEYS = np.array([[1.0, 0.5, 1.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]])
VALUES = np.array([[10.0, 0.0, 5.0], [1.0, 2.0, 3.0], [0.0, 0.5, 1.0]])
SCORES_RE = re.compile(r"Scores, query · key: \[([^\]]*)\]")


def expected(temperature: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores (unscaled), softmax(scores / T) weights and the weighted sum of the values."""
    scores = KEYS @ QUERY
    z = scores / temperature
    e = np.exp(z - z.max())
    weights = e / e.sum()
    return scores, weights, weights @ VALUES


def shown_vector(pattern: re.Pattern[str], text: str) -> list[str]:
    m = pattern.search(text)
    assert m, f"{pattern.pattern!r} not on the page:\n{text[:3000]}"
    return [s.strip() for s in m.group(1).split(",")]


def check_numbers(page, temperature: float, decimals: int = 4, lang: str = "en") -> None:  # noqa: ANN001
    """The scores line (Python) and the live view's weights and output agree with numpy at ``temperature``."""
    scores, weights, output = expected(temperature)
    line = catalog(lang)["home.scores_line"].replace("{scores}", "")
    assert line + "[" + ", ".join(f"{x:.{decimals}f}" for x in scores) + "]" in main_text(page)
    np.testing.assert_allclose(live_weights(page)[0], weights, rtol=1e-12)
    np.testing.assert_allclose(live_output(page)[0], output, rtol=1e-12)
    view = live(page).inner_text()
    p = honest_decimals(output, decimals)  # numbers at the honest decimals (ui.format)
    assert "[" + ", ".join(fmt_honest(x, p) for x in output) + "]" in view  # the output line
    assert fmt_honest(weights.max(), weight_decimals(weights, decimals)) in view  # the narration's largest weight


def en(key: str) -> str:
    return catalog("en")[key]


def test_home_loads_with_sidebar(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/")
    assert_no_error(page)
    expect(page.get_by_role("heading", name=en("home.title")).first).to_be_visible()

    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.is_visible()
    # Language selector: in the sidebar, English for an en-US browser, offering every language.
    lang = sidebar.locator(".st-key-lang_select input[role=combobox]")
    assert lang.is_visible()
    assert lang.input_value() == "English"
    lang.click()
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    assert options == list(LANGUAGES.values())
    page.keyboard.press("Escape")
    # Navigation: every lesson in teaching order (pages.PAGES) (Streamlit hides the menu when there is one page).
    titles = [en(p.title_key) for p in PAGES]
    if len(PAGES) > 1:
        assert sidebar_nav_titles(page) == titles
    else:
        assert sidebar_nav_titles(page) == []
    # The decimals setting sits in the sidebar too.
    assert slider_value(page, "decimals_select") == "4"
    screenshot(page, "home")


def test_temperature_slider_recomputes(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/")
    thumb = live_slider(page)
    assert thumb.get_attribute("aria-label") == en("common.temperature")
    assert live_shown_temperature(page) == "1.00"
    check_numbers(page, 1.0)
    # The notebook's printed numbers at T = 1.
    assert "[5.9731, 0.5299, 3.7284]" in live(page).inner_text()

    assert move_live(page, 4) == "1.20"  # 4 × 0.05
    check_numbers(page, 1.2)

    assert move_live(page, 1, key="End") == "5.00"
    check_numbers(page, 5.0)
    screenshot(page, "home_temperature_5")

    # The lower end: 0.05 is allowed (never 0): the weights are nearly one-hot on book 1.
    assert move_live(page, 1, key="Home") == "0.05"
    check_numbers(page, 0.05)
    _, weights, _ = expected(0.05)
    assert weights[0] > 0.999

    # By label, to the right.
    assert move_live(page, 1) == "0.10"
    check_numbers(page, 0.1)


def test_language_switch_keeps_values(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/")
    move_live(page, 4)  # 1.20
    move_slider(page, "decimals_select", 2)  # 6 decimals
    check_numbers(page, 1.2, decimals=6)

    select_option(page, "lang_select", LANGUAGES["vi"])
    assert widget(page, "lang_select").locator("input").input_value() == LANGUAGES["vi"]
    # Labels follow the language (checked where the Vietnamese catalog has its own text).
    for key in ("home.live_title", "home.analogy_title"):
        vi = catalog("vi").get(key)
        if vi and vi != en(key):
            assert page.get_by_role("heading", name=vi).first.is_visible()
            assert page.get_by_role("heading", name=en(key)).count() == 0
    vi_temperature = catalog("vi").get("common.temperature") or en("common.temperature")
    assert live_slider(page).get_attribute("aria-label") == vi_temperature
    if len(PAGES) > 1:
        assert sidebar_nav_titles(page) == [catalog("vi").get(p.title_key) or en(p.title_key) for p in PAGES]
    # Keys keep values: same temperature, same decimals, same numbers.
    assert live_shown_temperature(page) == "1.20"
    assert slider_value(page, "decimals_select") == "6"
    check_numbers(page, 1.2, decimals=6, lang="vi")
    screenshot(page, "home_vi")
