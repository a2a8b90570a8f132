"""Helpers for the live attention view (ui/live_attention) in a real browser.

The view renders in an open shadow root; Playwright's CSS locators pierce it. Its root carries
``data-testid="live-attention"`` and, updated on every frame, ``data-temperature``,
``data-weights`` and ``data-output`` (JSON rows), ``data-frames`` and ``data-inputs``
(counters), and ``data-grid`` (where the cells are, in CSS pixels of the canvas).
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
from playwright.sync_api import Locator, Page, expect

from labdev.browser import DEFAULT_TIMEOUT_MS, mark, wait_for_rerun

LIVE = "[data-testid='live-attention']"


def live(page: Page) -> Locator:
    """The page's live view (there is one per lesson)."""
    return page.locator(LIVE)


def wait_for_live(page: Page, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> Locator:
    """The live view, once it has drawn its data (or shown its error)."""
    view = live(page)
    expect(view).to_have_attribute("data-state", re.compile("^(ready|error)$"), timeout=timeout_ms)
    return view


def live_slider(page: Page) -> Locator:
    return live(page).locator("input[type=range]")


def live_attr(page: Page, name: str) -> Any:
    """A ``data-*`` attribute of the view, JSON-decoded."""
    raw = live(page).get_attribute(f"data-{name}")
    return None if raw is None else json.loads(raw)


def live_temperature(page: Page) -> float:
    return float(live_attr(page, "temperature"))


def live_shown_temperature(page: Page) -> str:
    """The temperature as the view writes it next to its slider ("1.00")."""
    return live(page).locator(".la-tvalue").inner_text()


def live_weights(page: Page) -> np.ndarray:
    return np.array(live_attr(page, "weights"), dtype=float)


def live_output(page: Page) -> np.ndarray:
    return np.array(live_attr(page, "output"), dtype=float)


def counters(page: Page) -> dict[str, float]:
    """Frames drawn, input events seen, and rerun requests sent so far (the wire's count)."""
    view = live(page)
    return {
        "frames": float(view.get_attribute("data-frames") or 0),
        "inputs": float(view.get_attribute("data-inputs") or 0),
        "reruns": float(page.evaluate("() => window.__stWire.reruns")),
    }


def press_live(page: Page, key: str = "ArrowRight", presses: int = 1, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> float:
    """Focus the view's slider and press ``key`` ``presses`` times, waiting for the one rerun each
    press sends and for the frame that draws it; return the temperature the view then shows."""
    slider = live_slider(page)
    for _ in range(presses):
        before = slider.input_value()
        since = mark(page)
        slider.focus()
        page.keyboard.press(key)
        now = slider.input_value()
        if now == before:  # at an end of the range: nothing sent
            break
        wait_for_rerun(page, since, timeout_ms)
        expect(live(page)).to_have_attribute("data-temperature", str(float(now)).removesuffix(".0"))
    return live_temperature(page)


def drag_live(page: Page, to_fraction: float, *, steps: int = 30, step_ms: float = 16) -> dict[str, float]:
    """Drag the slider's thumb with the mouse from where it is to ``to_fraction`` of the track,
    in ``steps`` pointer moves; return the counters' changes *during* the drag (before release)."""
    slider = live_slider(page)
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None
    lo, hi = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    value = float(slider.input_value())
    # native range thumbs sit inside the track inset by half the thumb (≈ 8 px each side)
    inset = 8.0
    x_at = lambda f: box["x"] + inset + f * (box["width"] - 2 * inset)  # noqa: E731
    y = box["y"] + box["height"] / 2
    start = counters(page)
    page.mouse.move(x_at((value - lo) / (hi - lo)), y)
    page.mouse.down()
    f0 = (value - lo) / (hi - lo)
    for k in range(1, steps + 1):
        page.mouse.move(x_at(f0 + (to_fraction - f0) * k / steps), y)
        page.wait_for_timeout(step_ms)
    page.wait_for_timeout(100)
    during = {k: v - start[k] for k, v in counters(page).items()}
    page.mouse.up()
    return during


def click_cell(page: Page, i: int, j: int) -> None:
    """Click the heatmap's cell (query ``i``, key ``j``)."""
    grid = live_attr(page, "grid")
    canvas = live(page).locator("canvas.la-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + grid["left"] + (j + 0.5) * grid["cw"], box["y"] + grid["top"] + (i + 0.5) * grid["ch"])


def explain_text(page: Page) -> str:
    return live(page).locator(".la-explain").inner_text()


def move_live(page: Page, presses: int, key: str = "ArrowRight") -> str:
    """Like ``labdev.browser.move_slider`` for the live view's slider: ``presses`` key presses
    (negative: ArrowLeft), one rerun each; returns the value the view shows ("1.10")."""
    if presses < 0 and key == "ArrowRight":
        key, presses = "ArrowLeft", -presses
    press_live(page, key, presses)
    return live_shown_temperature(page)


def live_labels(page: Page) -> tuple[list[str], list[str]]:
    """The row (query) and column (key) labels, read from the view's accessible table (≤ 16 × 16)."""
    table = live(page).locator("table.la-sr-table")
    cols = [s.strip() for s in table.locator("th[scope=col]").all_text_contents()]
    rows = [s.strip() for s in table.locator("th[scope=row]").all_text_contents()]
    return rows, cols


def live_cell_texts(page: Page) -> list[list[str]]:
    """The weights as the view writes them (its accessible table, ≤ 16 × 16), at the page's Decimal places."""
    table = live(page).locator("table.la-sr-table")
    rows = table.locator("tr").all()[1:]
    return [[s.strip() for s in row.locator("td").all_text_contents()] for row in rows]
