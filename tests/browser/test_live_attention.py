"""The live attention view on every lesson, in Debian's Chromium: the browser's weights and outputs
against numpy (computed here from the lessons' own inputs, never with attention_core's attention),
one rerun per gesture (key press or drag), none during a drag, a cell explained on click, the
keyboard, the causal mask, 128 tokens, and a JavaScript failure shown instead of a blank."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from labdev.browser import assert_no_error, locale_text, mark, open_page, screenshot, set_text, wait_for_rerun
from labdev.server import serve
from tests.browser.live_helpers import (
    click_cell,
    counters,
    drag_live,
    explain_text,
    live,
    live_attr,
    live_output,
    live_shown_temperature,
    live_slider,
    live_temperature,
    live_weights,
    press_live,
    wait_for_live,
)
from tests.numpy_ref import attend

pytestmark = pytest.mark.browser
HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- numpy references
def close(actual: np.ndarray, expected: np.ndarray) -> None:
    """1e-12 relative, with an absolute floor at 1e-12 of the matrix's largest entry (sums that
    cancel to ~0 carry rounding of the size of their terms, in any summation order)."""
    scale = max(float(np.abs(expected).max()), 1e-300)
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12 * scale)


LIB_Q = np.array([[1.0, 0.0, 1.0]])
LIB_K = np.array([[1.0, 0.5, 1.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]])
LIB_V = np.array([[10.0, 0.0, 5.0], [1.0, 2.0, 3.0], [0.0, 0.5, 1.0]])


def _library() -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    return LIB_Q, LIB_K, LIB_V, False


def _sdp() -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    k = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0]])
    return np.array([[1.0, 0.0, 1.0]]), k, np.array([[10.0, 0.0], [0.0, 10.0], [10.0, 10.0]]), True


def _self() -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    x = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    return x, x, x, False


def _pool() -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    x = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0]])
    w = np.array([[-1.2322834, -0.68503356, -1.9497645]])  # the notebook's printed draw
    return w, x, x, False


def _sbs() -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    rng = np.random.RandomState(42)  # seed 000: np.random.seed(42); rand(4, 4) × 4
    x, w_q, w_k, w_v = (rng.rand(4, 4) for _ in range(4))
    return x @ w_q, x @ w_k, x @ w_v, True


def _word2vec() -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    # The vectors come from gensim (deterministic); the attention on them is numpy's. The page opens
    # on the corpus designed to learn, in the UI's language, attending over the preset's sentence.
    from attention_core import tokenize_lines, train_word2vec
    from attention_core.presets import LEARNING_PRESETS

    p = next(p for p in LEARNING_PRESETS if p.language == "en")
    sentences = tokenize_lines(p.text, lowercase=p.lowercase)
    model = train_word2vec(sentences, **dict(p.params))
    tokens = next((s for s in sentences if tuple(s) == p.attend_tokens), None)
    tokens = tokens or next(s for s in sentences if p.query_word in s)
    x = np.array([model.wv[w] for w in tokens], dtype=float)
    return np.array([model.wv[p.query_word]], dtype=float), x, x, False


def _word_order() -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    rng = np.random.RandomState(42)  # seed 000's draws; the lesson shows "Tôi thích học AI" shuffled
    x, w_q, w_k, w_v = (rng.rand(4, 4) for _ in range(4))
    xs = x[[1, 2, 3, 0]]  # shuffle seed 1: "thích học AI Tôi"; no positions by default
    return xs @ w_q, xs @ w_k, xs @ w_v, True


@dataclass(frozen=True)
class Lesson:
    path: str
    inputs: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray, bool]]


LESSONS = {
    "home": Lesson("/", _library),
    "library": Lesson("/library", _library),
    "step_by_step": Lesson("/step_by_step", _sbs),
    "self_attention": Lesson("/self_attention", _self),
    "pooling": Lesson("/pooling", _pool),
    "scaled_dot_product": Lesson("/scaled_dot_product", _sdp),
    "word2vec": Lesson("/word2vec", _word2vec),
    "word_order": Lesson("/word_order", _word_order),
}


def check(page, lesson: Lesson, temperature: float) -> None:  # noqa: ANN001
    q, k, v, scale = lesson.inputs()
    _, w, out = attend(q, k, v, scale=scale, temperature=temperature)
    assert live_temperature(page) == temperature
    close(live_weights(page), w)
    close(live_output(page), out)


def open_lesson(page, base_url: str, lesson: Lesson) -> None:  # noqa: ANN001
    open_page(page, base_url, lesson.path, timeout_ms=90_000)
    wait_for_live(page)
    live(page).scroll_into_view_if_needed()


# --------------------------------------------------------------------------- every lesson
@pytest.mark.parametrize("name", list(LESSONS))
def test_keys_give_numpys_weights_with_one_rerun_each(page, base_url, name: str) -> None:  # noqa: ANN001
    lesson = LESSONS[name]
    open_lesson(page, base_url, lesson)
    assert_no_error(page)
    check(page, lesson, 1.0)
    assert live_shown_temperature(page) == "1.00"
    for key, temperature in (("End", 5.0), ("Home", 0.05), ("ArrowRight", 0.1)):
        before = counters(page)
        assert press_live(page, key) == temperature
        assert counters(page)["reruns"] - before["reruns"] == 1  # one gesture, one rerun
        check(page, lesson, temperature)
    assert_no_error(page)


@pytest.mark.parametrize("name", list(LESSONS))
def test_drag_redraws_every_move_and_reruns_once_on_release(page, base_url, name: str) -> None:  # noqa: ANN001
    lesson = LESSONS[name]
    open_lesson(page, base_url, lesson)
    since = mark(page)
    start = counters(page)
    during = drag_live(page, 0.8, steps=30)
    assert during["reruns"] == 0  # nothing reaches Python while the button is held
    assert during["inputs"] >= 10  # the thumb moved through many values
    assert during["frames"] >= 0.95 * during["inputs"]  # and each one was drawn
    wait_for_rerun(page, since)
    assert counters(page)["reruns"] - start["reruns"] == 1  # exactly one on release
    temperature = live_temperature(page)
    assert 3.0 < temperature < 5.0
    check(page, lesson, temperature)
    assert_no_error(page)


@pytest.mark.parametrize("name", ["library", "step_by_step", "pooling"])
def test_clicking_a_cell_explains_it_and_follows_the_slider(page, base_url, name: str) -> None:  # noqa: ANN001
    lesson = LESSONS[name]
    open_lesson(page, base_url, lesson)
    q, k, v, scale = lesson.inputs()
    i, j = (1, 2) if q.shape[0] > 1 else (0, 2)
    click_cell(page, i, j)
    assert live(page).get_attribute("data-selected") == f"{i},{j}"
    text = explain_text(page)
    s = float(q[i] @ k[j])
    terms = " + ".join(
        (f"({a:.4f})" if a < 0 else f"{a:.4f}") + "×" + (f"({b:.4f})" if b < 0 else f"{b:.4f}")
        for a, b in zip(q[i], k[j], strict=True)
    )
    assert f"q·k = {terms} = {s:.4f}" in text
    _, w, out = attend(q, k, v, scale=scale, temperature=1.0)
    assert f"= {w[i, j]:.4f}" in text
    assert "[" + ", ".join(f"{x:.4f}" for x in out[i]) + "]" in text
    screenshot(page, f"live_explain_{name}", full_page=False)
    # the panel follows the slider
    press_live(page, "End")
    _, w5, _ = attend(q, k, v, scale=scale, temperature=5.0)
    assert f"= {w5[i, j]:.4f}" in explain_text(page)
    assert "÷ 5.00" in explain_text(page)
    # Escape closes it; a click elsewhere does too
    page.keyboard.press("Escape")
    expect(live(page).locator(".la-explain")).to_be_hidden()
    click_cell(page, 0, 0)
    expect(live(page).locator(".la-explain")).to_be_visible()
    page.mouse.click(5, 5)
    expect(live(page).locator(".la-explain")).to_be_hidden()


# --------------------------------------------------------------------------- keyboard and words
@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("vi-VN", "vi"), ("ko-KR", "ko")])
def test_slider_is_named_and_keyboard_driven_in_each_language(page_factory, base_url, locale: str, lang: str) -> None:  # noqa: ANN001
    page = page_factory(locale=locale)
    open_lesson(page, base_url, LESSONS["step_by_step"])
    slider = live_slider(page)
    expect(slider).to_have_accessible_name(locale_text(lang, "common.temperature"))
    slider.focus()
    outline = slider.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", "")  # a visible focus ring
    assert press_live(page, "ArrowLeft") == 0.95
    assert live_shown_temperature(page) == "0.95"
    view_text = live(page).inner_text()
    assert locale_text(lang, "live.colour_title") in view_text
    assert "T = 0.95" in view_text or "T = **0.95" in view_text or "0.95" in view_text
    screenshot(page, f"live_step_by_step_{lang}", full_page=False)


# --------------------------------------------------------------------------- step by step: mask and size
def test_causal_mask_is_drawn_as_masked(page, base_url) -> None:  # noqa: ANN001
    lesson = LESSONS["step_by_step"]
    open_lesson(page, base_url, lesson)
    since = mark(page)
    page.locator(".st-key-sbs_causal label").first.click()
    wait_for_rerun(page, since)
    q, k, v, scale = lesson.inputs()
    mask = np.tril(np.ones((4, 4), dtype=bool))
    for key, temperature in ((None, 1.0), ("Home", 0.05), ("End", 5.0)):
        if key:
            press_live(page, key)
        _, w, out = attend(q, k, v, scale=scale, temperature=temperature, mask=mask)
        close(live_weights(page), w)
        close(live_output(page), out)
        assert np.all(np.triu(live_weights(page), 1) == 0)
    assert live(page).locator(".la-legend-mask").is_visible()
    # hovering a masked cell says so
    grid = live_attr(page, "grid")
    box = live(page).locator("canvas.la-canvas").bounding_box()
    page.mouse.move(box["x"] + grid["left"] + 3.5 * grid["cw"], box["y"] + grid["top"] + 0.5 * grid["ch"])
    expect(live(page).locator(".la-tip")).to_contain_text(locale_text("en", "live.masked"))
    screenshot(page, "live_causal", full_page=False)


def test_128_tokens(page, base_url) -> None:  # noqa: ANN001
    open_lesson(page, base_url, LESSONS["step_by_step"])
    words = [f"w{i}" for i in range(128)]
    set_text(page, "sbs_sentence", " ".join(words))
    expect(live(page)).to_have_attribute("data-rows", "128")
    rng = np.random.RandomState(42)
    emb, w_q, w_k, w_v = rng.rand(128, 4), rng.rand(4, 4), rng.rand(4, 4), rng.rand(4, 4)
    q, k, v = emb @ w_q, emb @ w_k, emb @ w_v
    for key, temperature in ((None, 1.0), ("End", 5.0), ("Home", 0.05)):
        if key:
            press_live(page, key)
        _, w, out = attend(q, k, v, scale=True, temperature=temperature)
        close(live_weights(page), w)
        close(live_output(page), out)
    during = drag_live(page, 0.5, steps=40)
    assert during["reruns"] == 0 and during["frames"] >= 0.95 * during["inputs"] > 0
    screenshot(page, "live_128", full_page=False)


# --------------------------------------------------------------------------- failure
def test_bad_data_shows_a_message_not_a_blank(browser, tmp_path) -> None:  # noqa: ANN001
    """A payload the view cannot draw (labels that do not match, a fully masked row, no scores) gives
    a message inside the view, in the UI's language; what Python draws around it keeps working."""
    with serve("tests/browser/apps/live_bad_data.py", tmp_path / "server.log") as url:
        ctx = browser.new_context(locale="ko-KR", viewport={"width": 1200, "height": 1400})
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        views = page.locator("[data-testid='live-attention']")
        expect(views).to_have_count(4, timeout=60_000)
        broken, masked, fine, empty = views.nth(0), views.nth(1), views.nth(2), views.nth(3)
        expect(broken).to_have_attribute("data-state", "error")
        expect(broken.locator(".la-error")).to_contain_text(locale_text("ko", "live.js_error", message="")[:12])
        expect(masked.locator(".la-error")).to_contain_text(locale_text("ko", "error.fully_masked"))
        expect(fine).to_have_attribute("data-state", "ready")
        expect(empty.locator(".la-error")).to_contain_text(locale_text("ko", "live.empty"))
        expect(page.get_by_text("after the views")).to_be_visible()  # the page went on
        assert errors == []  # caught, not thrown
        ctx.close()
