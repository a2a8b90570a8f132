"""Share and export in a real browser (issue 12): change several controls, copy the link, open it in a
fresh browser context, same numbers; the live view's and a plotly heatmap's PNG and SVG downloads
are real image files of the drawn size."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import (
    assert_no_error,
    edit_cell,
    editor,
    eventually,
    locale_text,
    open_page,
    reveal,
    screenshot,
    set_checkbox,
    set_text,
    tables,
    wait_for_rerun,
)
from tests.browser.live_helpers import live, live_shown_temperature, live_weights, move_live, wait_for_live

pytestmark = pytest.mark.browser

SHARE = "[data-testid='share-tools'][data-mode='link']"


def edit(page, key: str, row: int, col: int, value: float) -> None:  # noqa: ANN001 - playwright Page
    """Edit one cell once its grid has drawn its accessibility table."""
    expect(editor(page, key).locator(f"td[data-testid='glide-cell-{col + 1}-{row}']")).to_be_attached(timeout=30_000)
    edit_cell(page, key, row, col, value)


def copy_link(page) -> str:  # noqa: ANN001 - playwright Page
    """Click "Copy link"; the link it copied (also in its text box and its ``data-link``)."""
    tools = page.locator(SHARE)
    tools.locator(".sh-copy").click()
    expect(tools).to_have_attribute("data-state", "copied")
    link = tools.get_attribute("data-link")
    assert link and tools.locator(".sh-link").input_value() == link
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    return link


def shown_numbers(page) -> tuple[np.ndarray, list[tuple[list[str], list[str], list[list[str]]]]]:  # noqa: ANN001
    """The live view's exact weights and every table as drawn (labels and cells)."""
    return live_weights(page), [(t.header, t.index, t.cells) for t in tables(page)]


def same_in_a_fresh_browser(page_factory, page, link: str) -> None:  # noqa: ANN001
    other = page_factory()
    other.goto(link)
    wait_for_rerun(other, since=-1.0, timeout_ms=60_000)
    wait_for_live(other)
    assert_no_error(other)
    assert live_shown_temperature(other) == live_shown_temperature(page)
    eventually(lambda: np.testing.assert_array_equal(live_weights(other), live_weights(page)))

    def same_tables() -> None:
        assert shown_numbers(other)[1] == shown_numbers(page)[1]

    eventually(same_tables)
    return other


def test_library_link_in_a_fresh_browser(page_factory, base_url) -> None:  # noqa: ANN001
    page = page_factory()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_page(page, base_url, "/library?lang=vi")
    wait_for_live(page)
    edit(page, "library_k", 2, 0, 3)
    edit(page, "library_v", 0, 1, 0.123456789012345)
    set_checkbox(page, "library_scale", True)
    move_live(page, 3)
    eventually(lambda: "library_temperature=1.15" in page.url)
    link = copy_link(page)
    assert "lang=vi" in link and "library_scale=true" in link and "library_k=" in link and len(link) < 2048
    other = same_in_a_fresh_browser(page_factory, page, link)
    assert locale_text("vi", "library.title") in other.inner_text("body")  # the link's language
    screenshot(page, "share-library-copied")


def test_step_by_step_link_in_a_fresh_browser(page_factory, base_url) -> None:  # noqa: ANN001
    page = page_factory()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_page(page, base_url, "/step_by_step")
    wait_for_live(page)
    set_text(page, "sbs_sentence", "con mèo ngồi trên tấm thảm")
    set_text(page, "sbs_seed", "7")
    set_checkbox(page, "sbs_causal", True)
    set_text(page, "sbs_heads", "2")
    move_live(page, -4)
    eventually(lambda: "sbs_temperature=0.8" in page.url)
    link = copy_link(page)
    assert "sbs_seed=7" in link and "sbs_causal=true" in link and "sbs_heads=2" in link and len(link) < 2048
    same_in_a_fresh_browser(page_factory, page, link)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_live_view_png_and_svg_are_images_of_the_drawn_size(page, base_url, tmp_path) -> None:  # noqa: ANN001
    open_page(page, base_url, "/self_attention")
    view = wait_for_live(page)
    canvas = view.locator(".la-canvas")
    size = canvas.evaluate("c => [c.width, c.height, c.clientWidth, c.clientHeight]")
    with page.expect_download() as png:
        view.locator(".la-dl[data-format=png]").click()
    path = tmp_path / "live.png"
    png.value.save_as(path)
    assert png.value.suggested_filename.endswith(".png")
    assert _png_size(path) == (size[0], size[1])
    with page.expect_download() as svg:
        view.locator(".la-dl[data-format=svg]").click()
    path = tmp_path / "live.svg"
    svg.value.save_as(path)
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    assert (float(root.get("width")), float(root.get("height"))) == (size[2], size[3])
    cells = root.findall(".//{http://www.w3.org/2000/svg}g[@class='cells']/{http://www.w3.org/2000/svg}rect")
    weights = live_weights(page)
    assert len(cells) == weights.size == 9
    titles = [c.find("{http://www.w3.org/2000/svg}title").text for c in cells]
    assert titles[0].endswith(f"{weights[0, 0]:.4f}")


def test_plotly_heatmap_png_and_svg(page, base_url, tmp_path) -> None:  # noqa: ANN001
    open_page(page, base_url, "/word2vec", timeout_ms=120_000)
    chart = reveal(page, "w2v_cosine").locator(".js-plotly-plot")  # the "cosine similarity" tab
    expect(chart).to_be_visible(timeout=60_000)
    size = chart.evaluate("gd => [gd._fullLayout.width, gd._fullLayout.height]")
    tools = page.locator("[data-testid='share-tools'][data-mode='figure']")
    with page.expect_download() as png:
        tools.locator(".sh-png").click()
    path = tmp_path / "cosine.png"
    png.value.save_as(path)
    assert _png_size(path) == (round(size[0]), round(size[1]))
    with page.expect_download() as svg:
        tools.locator(".sh-svg").click()
    path = tmp_path / "cosine.svg"
    svg.value.save_as(path)
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    assert (float(root.get("width")), float(root.get("height"))) == (round(size[0]), round(size[1]))
    assert root.findall(".//{http://www.w3.org/2000/svg}image") or root.findall(".//{http://www.w3.org/2000/svg}g")
    assert_no_error(page)


def test_a_bad_link_opens_the_lesson_with_one_notice(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/library?library_temperature=nan&library_q=1_2&zzz=%3Cscript%3E&library_scale=true")
    wait_for_live(page)
    notices = page.locator("[data-testid='stAlertContentWarning']")
    expect(notices).to_have_count(1)
    assert "`" not in notices.inner_text() and "library_q" in notices.inner_text()
    assert live_shown_temperature(page) == "1.00"
    assert "zzz" not in page.url and "library_scale=true" in page.url
    assert live(page).get_attribute("data-state") == "ready"
