"""Lessons a class can follow (AppTest): narration computed from the live numbers, readable figures,
decimals 0-8 in wide-enough table columns, presentation mode's stages, a way to the next lesson."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from attention_core.presets import LIBRARY
from pages import LESSONS, PAGES
from tests.apptest_helpers import figures, open_page
from ui.format import honest_decimals, number_columns
from ui.i18n import catalog

EN = catalog("en")


def markdown(at: Any) -> str:
    return "\n".join(m.value for m in at.markdown)


# --------------------------------------------------------------------------- narration follows the numbers
def test_library_says_which_book_has_the_weight_and_which_the_output() -> None:
    at = open_page("library")
    assert "`Book 1: about cats` supplies" not in markdown(at)  # at the notebook's numbers they agree
    books = [EN[f"books.{b}"] for b in LIBRARY.book_ids]
    assert "the most relevant book has the largest say" in markdown(at) and books[0] in markdown(at)
    # Book 2's contents become large: book 1 keeps the most weight, book 2 now supplies most of the output
    v = np.array(LIBRARY.values, dtype=float)
    v[1] = [0.0, 60.0, 0.0]
    at.text_area(key="library_v__text").input("\n".join(" ".join(str(x) for x in row) for row in v)).run()
    assert not at.exception
    text = markdown(at)
    w = np.exp([2.0, 1.0, 1.0]) / np.exp([2.0, 1.0, 1.0]).sum()
    shares = np.abs(w[:, None] * v).sum(axis=1)
    assert np.argmax(w) == 0 and np.argmax(shares) == 1  # the numbers the sentence must tell
    percent = f"{100 * shares[1] / shares.sum():.1f}%"
    assert (
        f"`{books[0]}` gets the most weight (0.5761), but `{books[1]}` supplies most of the output ({percent})" in text
    )
    assert "the most relevant book has the largest say" not in text


# --------------------------------------------------------------------------- readable figures
def _sizes(node: Any) -> list[float]:
    """Every font size in a figure's spec."""
    out: list[float] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("font", "tickfont", "textfont") and isinstance(v, dict) and "size" in v:
                out.append(float(v["size"]))
            out.extend(_sizes(v))
    elif isinstance(node, list):
        for v in node:
            out.extend(_sizes(v))
    return out


@pytest.mark.parametrize("page", ["library", "pooling", "scaled_dot_product", "word2vec"])
def test_every_figure_is_readable(page: str) -> None:
    at = open_page(page, timeout=120)
    figs = figures(at)
    assert figs, "no figure to check"
    for fig in figs:
        layout = fig["layout"]
        assert layout["font"]["size"] >= 14
        assert all(size >= 14 for size in _sizes(fig)), _sizes(fig)
        for name, ax in layout.items():  # axis titles horizontal: no rotated vertical-axis title
            if name.startswith("yaxis") and isinstance(ax, dict):
                assert not (ax.get("title") or {}).get("text"), f"{name} has a rotated title"
        for note in layout.get("annotations", []):
            assert note.get("textangle", 0) == 0


@pytest.mark.parametrize(
    ("page", "title_key"),
    [
        ("library", "library.contrib_title"),
        ("pooling", "pool.contributions_title"),
        ("scaled_dot_product", "scaled_dot_product.contrib_title"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "vi", "ko"])
def test_long_chart_titles_are_page_text(page: str, title_key: str, lang: str) -> None:
    """A plotly title does not wrap and is cut off at a phone's width (or a long Vietnamese one at
    any width): the contributions chart's title is page text above it, whole; the figure has none."""
    at = open_page(page, lang, timeout=120)
    title = catalog(lang)[title_key]
    assert f"**{title}**" in markdown(at)
    bars = [fig for fig in figures(at) if any(tr.get("type") == "bar" for tr in fig["data"])]
    assert bars and all(not fig["layout"].get("title", {}).get("text") for fig in bars)


# --------------------------------------------------------------------------- decimals
@pytest.mark.parametrize("d", [0, 8])
def test_table_columns_are_wide_enough_for_every_decimal(d: int) -> None:
    values = np.array([[1.3841427012345, -0.5], [123456.123456789, 0.0]])
    config = number_columns(["d1", "d2"], d, values=values)
    for j, col in enumerate(["d1", "d2"]):
        width = config[col]["width"]
        longest = max(len(f"{x:.{d}f}") for x in values[:, j])
        assert width >= longest * 7.7 + 16  # the grid's 14 px digits are 7.7 px wide, 8 px padding a side
        assert config[col]["type_config"]["format"] == f"%.{d}f"


def test_a_long_header_gets_a_column_wide_enough_for_it() -> None:
    """The grid cuts a header wider than its column ("Book 2: animals in gen…", issue 20): a column is
    as wide as its whole name (Chromium draws these 165 and 134 px wide, semi-bold 14 px, 8.5 px padding)."""
    name, korean = "Book 2: animals in general", "책 2: 동물 일반 관련 책"
    config = number_columns(["d1", name, korean], 4, values=np.array([[1.0, 2.0, 3.0]]))
    assert config[name]["width"] >= 165 + 17
    assert config[korean]["width"] >= 134 + 17
    assert not config[name].get("help"), "a label never becomes a markdown tooltip (issue 19)"
    assert not config["d1"].get("help")


@pytest.mark.parametrize("d", [0, 8])
def test_decimals_reach_every_table(d: int) -> None:
    """Every table follows Decimal places, made honest (ui.format.honest_decimals): at 8 exactly 8; at 0,
    as many as keep each number's first significant digit (the step's numbers are below 1 and above)."""
    at = open_page("step_by_step", run=False)
    at.session_state["decimals"] = d
    at.run()
    assert not at.exception
    shown = [df for df in at.dataframe if df.proto.editing_mode == 0 and "format" in df.proto.columns]
    assert shown
    for df in shown:
        numbers = df.value.select_dtypes("number").to_numpy()
        assert f'"%.{honest_decimals(numbers, d)}f"' in df.proto.columns
    if d == 8:
        assert all('"%.8f"' in df.proto.columns for df in shown)
    else:
        assert any('"%.0f"' not in df.proto.columns for df in shown)  # 0.3745 is not "0"


# --------------------------------------------------------------------------- next lesson, presentation
@pytest.mark.parametrize("i", range(len(PAGES)))
def test_every_lesson_ends_with_the_next_one(i: int) -> None:
    spec = PAGES[i]
    at = open_page(spec.name, timeout=120)
    links = [e for e in at.get("page_link")]
    nxt = PAGES[(i + 1) % len(PAGES)]
    assert links, "no link to the next lesson"
    last = links[-1].proto
    assert last.page in (nxt.name, "") if nxt.name == "home" else last.page == nxt.name
    key = "lesson.next" if i + 1 < len(PAGES) else "lesson.back_to_start"
    assert last.label == EN[key].format(title=EN[nxt.title_key])


def test_presentation_mode_shows_one_stage_at_a_time() -> None:
    at = open_page("library", run=False)
    at.session_state["present"] = True
    at.run()
    assert not at.exception
    keys = {b.key for b in at.button}
    assert {"present_prev", "present_next", "present_exit"} <= keys
    assert at.button(key="present_prev").disabled and not at.button(key="present_next").disabled
    at.button(key="present_next").click().run()
    assert at.session_state["present_stage"] == 1
    styles = [e.proto.body for e in at.get("html")]
    assert any(".st-key-stage_1)" in s and "stSidebar" in s for s in styles)  # the others hidden, no sidebar
    at.button(key="present_exit").click().run()
    assert at.session_state["present"] is False
    # the sidebar is back: no style hides it any more (ui.a11y's styles name it too, to hide it only
    # while it is folded away, so look for presentation mode's own rule)
    assert not any("stSidebarCollapsedControl" in e.proto.body for e in at.get("html"))
    assert LESSONS["library"].live_key  # the view is still there
