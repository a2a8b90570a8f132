"""The state walk (issue 20): every lesson driven through the states a learner or a teacher reaches —
an edit of its content and size, a visit to another lesson and back, Decimal places 0 and 8, a
language switch, presentation mode at 1280 × 720 and a phone's 390 px — checking in each state that

- nothing warns or breaks (no exception, no error or warning box, the live view drawn);
- no text is clipped: no element cut with an ellipsis (``scrollWidth > clientWidth``), no table of
  numbers scrolled sideways, every table header and number no wider than the width the page gives
  its column (``ui.format.text_px`` is checked against what Chromium draws);
- what the narration and the panels name equals the live numbers, computed here with
  ``attention_core``: the weights, the keys with the most and the least weight (every tie named), the
  weight written at the honest decimals (``ui.format.weight_decimals``), the output.

One browser page per lesson for the walk (en, 1400 px), one for presentation mode, one for the phone
(vi or ko by turns). Screenshots land in artifacts/screenshots/walk_*.png.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from attention_core import attention, attention_pooling, self_attention
from attention_core.presets import LIBRARY, MASKS, POOLING, SCALED_DOT_PRODUCT, SELF_ATTENTION_5X4
from labdev.browser import (
    APP_IDLE,
    assert_no_exception,
    click_nav,
    edit_cell,
    eventually,
    expect_rerun,
    locale_text,
    mark,
    move_slider,
    open_page,
    screenshot,
    select_option,
    set_checkbox,
    set_text,
    wait_for_rerun,
    wait_until_idle,
    widget,
)
from pages import PAGES
from tests.browser.live_helpers import click_cell, live, live_attr, wait_for_live
from tests.numpy_ref import seed_000
from ui.format import fmt_honest, honest_decimals, text_px, ties, unique_labels, weight_decimals

pytestmark = pytest.mark.browser

SCREEN = {"width": 1400, "height": 1000}
PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt", "ko": "한국어"}
LOCALES = {"en": "en-US", "vi": "vi-VN", "ko": "ko-KR"}
WARNING = "[data-testid='stAlertContentWarning']"
BOOKS = [locale_text("en", f"books.{b}") for b in LIBRARY.book_ids]
ERROR = "[data-testid='stAlertContentError']"


def path_of(name: str) -> str:
    return "/" if name == "home" else f"/{name}"


# --------------------------------------------------------------------------- checks
def assert_whole(page: Page, *, allow_warnings: bool = False) -> None:
    """No exception, no error (nor warning) box, and the live view drawn (when the page has one)."""
    assert_no_exception(page)
    for sel in (ERROR,) if allow_warnings else (ERROR, WARNING):
        boxes = page.locator(f"[data-testid='stMain'] {sel}")
        texts = [t.strip()[:200] for t in boxes.all_inner_texts() if t.strip()]
        assert not texts, f"{page.url}: {texts}"
    views = live(page)
    for k in range(views.count()):
        assert views.nth(k).get_attribute("data-state") == "ready", page.url


#: Clipped text the page can tell (in the main area, open shadow roots too): an element cut with an
#: ellipsis, a table of numbers (≤ 16 columns) scrolled sideways, a code line scrolled sideways, a
#: button or text wider than its box. Returns [kind, text, scrollWidth, clientWidth].
_CLIPPED_JS = """() => {
  const out = [];
  const main = document.querySelector("[data-testid='stMain']");
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const text = (el) => (el.innerText || el.textContent || "").trim().slice(0, 60);
  const roots = [main, ...Array.from(main.querySelectorAll("*")).filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
  for (const root of roots) for (const el of root.querySelectorAll("*")) {
    const cs = getComputedStyle(el);
    if (cs.textOverflow === "ellipsis" && cs.overflowX !== "visible" && shown(el) && text(el) && el.scrollWidth > el.clientWidth + 1)
      out.push(["ellipsis", text(el), el.scrollWidth, el.clientWidth]);
  }
  for (const df of main.querySelectorAll("[data-testid='stDataFrame']")) {
    const sc = df.querySelector(".dvn-scroller");
    const heads = Array.from(df.querySelectorAll("table tr:first-child th, table tr:first-child td"));
    const numeric = Array.from(df.querySelectorAll("table td")).some((td) => /^-?\\d+(\\.\\d+)?(e[-+]?\\d+)?$/.test(td.innerText.trim()));
    if (sc && shown(sc) && numeric && heads.length <= 17 && sc.scrollWidth > sc.clientWidth + 1)
      out.push(["table", heads.map(text).join("|"), sc.scrollWidth, sc.clientWidth]);
  }
  for (const el of main.querySelectorAll("pre, button, [data-testid='stMarkdownContainer']"))
    if (shown(el) && el.scrollWidth > el.clientWidth + 1) out.push(["overflow", text(el), el.scrollWidth, el.clientWidth]);
  return out;
}"""

#: Every table's header texts and cell texts, and how wide Chromium draws them (the grid's fonts).
_DRAWN_JS = """() => {
  const g = document.createElement("canvas").getContext("2d");
  const width = (s, font) => { g.font = font; return g.measureText(s).width; };
  const heads = new Set(), cells = new Set();
  for (const df of document.querySelectorAll("[data-testid='stMain'] [data-testid='stDataFrame']")) {
    for (const th of df.querySelectorAll("table tr:first-child th, table tr:first-child td")) heads.add(th.innerText.trim());
    for (const td of df.querySelectorAll("table td")) cells.add(td.innerText.trim());
  }
  const fam = "'Source Sans Pro', 'Source Sans', sans-serif";
  return [Array.from(heads).filter(Boolean).map((s) => [s, width(s, "600 14px " + fam)]),
          Array.from(cells).filter(Boolean).map((s) => [s, width(s, "14px " + fam)])];
}"""


def assert_nothing_clipped(page: Page) -> None:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    clipped = page.evaluate(_CLIPPED_JS)
    assert clipped == [], f"{page.url}: {clipped}"
    heads, _cells = page.evaluate(_DRAWN_JS)
    # a column is as wide as ui.format.text_px says its name is: never narrower than drawn
    short = [(s, round(w, 1), round(text_px(s), 1)) for s, w in heads if text_px(s) < w]
    assert short == [], f"{page.url}: column names wider than their columns: {short}"


#: Code spans (a token, a book's name) against the size of the caption or paragraph around them.
_CODE_SIZES_JS = """() => Array.from(document.querySelectorAll(
    "[data-testid='stMain'] [data-testid='stCaptionContainer'] code, [data-testid='stMain'] [data-testid='stMarkdownContainer'] p code"))
  .filter((c) => c.getClientRects().length > 0)
  .map((c) => [c.innerText, parseFloat(getComputedStyle(c).fontSize), parseFloat(getComputedStyle(c.parentElement).fontSize)])"""


def assert_code_spans_read_at_their_text_size(page: Page) -> None:
    """A token in a caption is at least the caption's size (it was 10.5 px in a 14 px caption); in a
    paragraph at least 14 px."""
    small = [(t, c, p) for t, c, p in page.evaluate(_CODE_SIZES_JS) if c < min(p, 14.0) - 0.1]
    assert small == [], small


def expected_narration(weights: np.ndarray, d: int) -> tuple[list[int], list[int], str]:
    """The keys with the most and the least weight (ties: every one) and the most's weight as written."""
    row = np.asarray(weights, dtype=float)
    top, low = ties(row, row.max()), ties(row, row.min())
    return top, ([] if len(top) == len(row) else low), fmt_honest(float(row.max()), weight_decimals(row, d))


def assert_narration(
    page: Page, weights: np.ndarray, cols: list[str], d: int, output: np.ndarray | None = None
) -> None:
    """The live view's weights are the engine's, and its sentence names exactly the keys the engine's
    numbers give the most and the least weight, with the weight at the honest decimals."""
    view = live(page).first
    got = np.array(live_attr(page, "weights"), dtype=float)
    np.testing.assert_allclose(got[0], weights, rtol=1e-12, atol=1e-15)
    top, low, weight = expected_narration(weights, d)
    expect(view).to_have_attribute("data-narration-top", str(top).replace(" ", ""))
    assert view.get_attribute("data-narration-low") == str(low).replace(" ", "")
    text = view.locator(".la-narration").inner_text()
    assert weight in text, (weight, text)
    for j in top + low:
        assert cols[j] in text, (cols[j], text)
    if len(top) > 1 and len(top) < len(weights):  # a tie is said to be one
        assert re.search(r"tie|bằng nhau|동점", text), text
    if output is not None:
        line = view.locator(".la-output").inner_text()
        p = honest_decimals(output, d)
        assert ", ".join(fmt_honest(float(x), p) for x in output[:16]) in line, (output, line)


def decimals(page: Page, d: int) -> None:
    """Decimal places (the sidebar's slider) to 0 or 8."""
    move_slider(page, "decimals_select", 1, key="End" if d == 8 else "Home")


# --------------------------------------------------------------------------- the lessons' walks
def _library(page: Page) -> dict[str, Any]:
    """Edit a key (content), keep the sizes (the tables are the notebook's)."""
    edit_cell(page, "library_k", 1, 1, 3, index_columns=1)  # Book 2's d2: 1 → 3
    k = np.array(LIBRARY.keys, dtype=float)
    k[1, 1] = 3.0
    r = attention(np.array(LIBRARY.query), k, np.array(LIBRARY.values), scale=False)
    return {"weights": r.weights[0], "cols": BOOKS, "output": r.output[0]}


def _step_by_step(page: Page) -> dict[str, Any]:
    """Open an explanation, then type a longer sentence with a repeated word (content and size): the
    explanation closes, the intro names the sentence, the colour range stays as it was, the tied
    repeated words are named; with the causal mask, masked cells read 0 / "masked", never −∞."""
    click_cell(page, 1, 0)
    expect(live(page).locator(".la-explain")).to_be_visible()
    assert live(page).get_attribute("data-colour-mode") == "fixed"
    with expect_rerun(page):
        widget(page, "sbs_causal").locator("label").click()
    text = live(page).inner_text() + live(page).locator("table.la-sr-table").inner_text()
    assert "masked" in text and "−∞" not in text.replace("−∞ before softmax", "")
    with expect_rerun(page):
        widget(page, "sbs_causal").locator("label").click()
    sentence = "the cat saw the dog and the bird sang"  # 9 keys: more than the 8 that start on Fixed
    set_text(page, "sbs_sentence", sentence)
    wait_for_live(page)
    expect(live(page).locator(".la-explain")).to_be_hidden()
    assert live(page).get_attribute("data-colour-mode") == "fixed"  # never switched by itself
    assert f"`{sentence}`" not in page.locator(".st-key-stage_0").inner_text()  # a code span, not backticks
    assert sentence in page.locator(".st-key-stage_0").inner_text()
    ref = seed_000(sentence)
    head = ref["heads"][0]
    return {"weights": head["weights"][0], "cols": unique_labels(sentence.split()), "output": ref["output"][0]}


def _self_attention(page: Page) -> dict[str, Any]:
    """The 5×4 example (size): tokens 1, 3 and 5 tie for the most weight, 2 and 4 for the least."""
    with expect_rerun(page):
        widget(page, "self_preset").get_by_text("5×4").click()
    wait_for_live(page)
    x = np.array(SELF_ATTENTION_5X4.x, dtype=float)
    r = self_attention(x, scale=False).attention
    assert "token 1, token 3 and token 5 (a tie)" in page.locator(".st-key-stage_3").inner_text()
    return {"weights": r.weights[0], "cols": [f"token {i + 1}" for i in range(5)], "output": r.output[0]}


def _pooling(page: Page) -> dict[str, Any]:
    """One more feature (size: w gets a fourth component) and an edited cell of X (content)."""
    with expect_rerun(page):
        widget(page, "pool_x_cols").get_by_test_id("stNumberInputStepUp").click()  # "+"
    wait_for_live(page)
    edit_cell(page, "pool_x", 0, 3, 2, index_columns=1)
    x = np.hstack([np.array(POOLING.x, dtype=float), np.zeros((3, 1))])
    x[0, 3] = 2.0
    w = np.array([*POOLING.w, 0.0])
    assert len(page.locator("[class*='st-key-pool_w_'] input[type=range]").all()) == 4
    r = attention_pooling(x, w)
    return {"weights": r.weights, "cols": ["token 1", "token 2", "token 3"], "output": r.context}


def _scaled_dot_product(page: Page) -> dict[str, Any]:
    edit_cell(page, "scaled_dot_product_q", 0, 1, 1, index_columns=1)  # query [1, 1, 1]
    q = np.array(SCALED_DOT_PRODUCT.query, dtype=float)
    q[0, 1] = 1.0
    r = attention(q, np.array(SCALED_DOT_PRODUCT.keys), np.array(SCALED_DOT_PRODUCT.values), scale=True)
    return {"weights": r.weights[0], "cols": [f"key {i + 1}" for i in range(3)], "output": r.output[0]}


def _masks(page: Page) -> dict[str, Any]:
    """The key-padding mask switched on (the pads' cells exactly 0, numpy's reference) and off again."""
    from tests.test_page_masks import reference

    set_checkbox(page, "masks_pad", True)
    wait_for_live(page)
    on = reference(list(MASKS.sentences), pad=True)["sentences"][MASKS.shown - 1]
    eventually(lambda: np.testing.assert_array_equal(np.array(live_attr(page, "weights"))[:, 2:], 0))
    np.testing.assert_allclose(np.array(live_attr(page, "weights")), on["weights"], rtol=1e-12, atol=1e-15)
    # back off for the narration check (the view names the least weight among visible keys only)
    set_checkbox(page, "masks_pad", False)
    wait_for_live(page)
    s = reference(list(MASKS.sentences))["sentences"][MASKS.shown - 1]
    return {"weights": s["weights"][0], "cols": ["I", "learn", "<pad> #3", "<pad> #4"], "output": s["out_off"][0]}


TYPED = "\n".join(
    [
        "the lion roars loudly to the zebra",
        "the zebra runs loudly to the lion",
        "the owl sings loudly to the tree",
        "the fish swims loudly to the river",
    ]
)


def _word2vec(page: Page) -> dict[str, Any]:
    """A typed corpus: the words to watch are content words, not "the, loudly, to"."""
    set_text(page, "w2v_text", TYPED)
    wait_for_live(page, 120_000)
    wait_until_idle(page, 120_000)
    label = locale_text("en", "w2v.look_words")
    look = [w.strip() for w in widget(page, "w2v_look").inner_text().split("\n") if w.strip() and w.strip() != label]
    assert "lion" in look and not {"the", "loudly", "to"} & set(look), look
    return {}


def _home(page: Page) -> dict[str, Any]:
    r = attention(np.array(LIBRARY.query), np.array(LIBRARY.keys), np.array(LIBRARY.values), scale=False)
    return {"weights": r.weights[0], "cols": BOOKS, "output": r.output[0]}


WALKS = {
    "home": _home,
    "library": _library,
    "step_by_step": _step_by_step,
    "self_attention": _self_attention,
    "pooling": _pooling,
    "scaled_dot_product": _scaled_dot_product,
    "masks": _masks,
    "word2vec": _word2vec,
}
#: The language each lesson switches to in its walk (the phone test takes the other).
SWITCH = {p.name: ("vi", "ko")[i % 2] for i, p in enumerate(PAGES)}


@pytest.mark.parametrize("name", list(WALKS))
def test_walk(page_factory, base_url: str, name: str) -> None:  # noqa: ANN001
    """Edit, leave and come back, Decimal places 0 and 8, another language: whole, unclipped, true."""
    page = page_factory(viewport=SCREEN)
    open_page(page, base_url, path_of(name), timeout_ms=120_000)
    wait_for_live(page, 120_000)
    assert_whole(page)
    assert_nothing_clipped(page)
    assert_code_spans_read_at_their_text_size(page)
    state = WALKS[name](page)
    assert_whole(page)
    if state:
        assert_narration(page, state["weights"], state["cols"], 4, state.get("output"))
    numbers = live_attr(page, "weights")
    colours = live(page).first.get_attribute("data-colour-mode")
    # another lesson, and back: the same whole lesson, the same numbers, the same colour range
    other = "library" if name != "library" else "pooling"
    click_nav(page, locale_text("en", f"nav.{other}"))
    wait_for_live(page, 120_000)
    click_nav(page, locale_text("en", f"nav.{name}"))
    wait_for_live(page, 120_000)
    wait_until_idle(page, 120_000)
    assert_whole(page)
    assert live_attr(page, "weights") == numbers
    assert live(page).first.get_attribute("data-colour-mode") == colours
    # Decimal places 0 and 8: never a contradiction, never a cut number
    for d in (0, 8):
        decimals(page, d)
        assert_whole(page)
        assert_nothing_clipped(page)
        if state:
            assert_narration(page, state["weights"], state["cols"], d, state.get("output"))
        screenshot(page, f"walk_{name}_d{d}", full_page=False)
    # another language (still at 8 decimals): the same numbers, nothing cut
    lang = SWITCH[name]
    select_option(page, "lang_select", LANGUAGE_NAMES[lang])
    wait_for_live(page, 120_000)
    wait_until_idle(page, 120_000)
    assert_whole(page)
    assert_nothing_clipped(page)
    assert live_attr(page, "weights") == numbers
    top, low, _ = expected_narration(np.array(numbers[0]), 8)
    assert live(page).first.get_attribute("data-narration-top") == str(top).replace(" ", "")
    screenshot(page, f"walk_{name}_{lang}", full_page=False)  # whole pages: test_lessons_layout.py


# --------------------------------------------------------------------------- presentation mode
#: The current stage's parts (their lowest edge), any other stage shown, the bar's top, the inputs'
#: column's visible bottom, the fit's zoom.
_STAGE_JS = """(cur) => {
  const parts = Array.from(document.querySelectorAll(`.st-key-stage_${cur}, [class*='st-key-stage_${cur}_']`))
    .filter((e) => e.getClientRects().length > 0);
  const others = Array.from(document.querySelectorAll("[class*='st-key-stage_']"))
    .filter((e) => e.getClientRects().length > 0 && !parts.includes(e))
    .filter((e) => !parts.some((p) => p.contains(e) || e.contains(p)));
  const bar = document.querySelector(".st-key-present_bar").getBoundingClientRect();
  const bottom = Math.max(...parts.map((e) => e.getBoundingClientRect().bottom));
  const controls = document.querySelector(".st-key-lesson_controls");
  const column = controls ? controls.closest("[data-testid='stColumn']").getBoundingClientRect() : null;
  return {parts: parts.length, others: others.map((e) => e.className.match(/st-key-stage_\\w+/)[0]),
          bottom, barTop: bar.top, columnBottom: column ? Math.min(column.bottom, innerHeight) : null,
          zoom: Number(document.documentElement.dataset.fitZoom || 1)};
}"""


def _press(page: Page, key: str) -> None:
    since = mark(page)
    page.keyboard.press(key)
    wait_for_rerun(page, since)


@pytest.mark.parametrize("name", list(WALKS))
def test_presentation_at_1280x720(page_factory, base_url: str, name: str) -> None:  # noqa: ANN001
    """Every stage fits above the bar; the first is the question beside the inputs, the last has the
    way on in the bar; no warning about ?present=true; a focused slider gives up the slide keys."""
    page = page_factory(viewport=PROJECTOR)
    open_page(page, base_url, path_of(name) + "?present=true", timeout_ms=120_000)
    wait_until_idle(page, 120_000)
    assert_whole(page)
    bar = page.locator(".st-key-present_bar")
    total = int(bar.inner_text().split("/")[-1].split()[0])
    assert total >= 3
    for cur in range(total):
        page.wait_for_function(
            "(c) => document.querySelector(`.st-key-stage_${c}, [class*='st-key-stage_${c}_']`)", arg=cur
        )
        # the stage is fitted a frame after its content last changed size (ui/present/present_keys.js)
        page.wait_for_function("(c) => document.documentElement.dataset.fitStage === String(c)", arg=cur)

        def fitted() -> dict[str, Any]:
            s = page.evaluate(_STAGE_JS, cur)
            assert s["bottom"] <= s["barTop"] + 1, f"stage {cur} runs under the bar: {s}"
            return s

        s = eventually(fitted, 5_000)
        assert s["parts"] >= 1 and s["others"] == [], (cur, s)
        assert s["zoom"] >= 0.6, s
        if s["columnBottom"] is not None:
            assert s["columnBottom"] <= s["barTop"] + 1, s  # the inputs' column scrolls above the bar
        if cur == 0 and name != "home":  # the question beside the inputs
            expect(page.locator(".st-key-stage_0 h1")).to_be_visible()
            expect(page.locator(".st-key-lesson_controls")).to_be_visible()
        assert_whole(page)
        assert_nothing_clipped(page)
        screenshot(page, f"walk_present_{name}_{cur}", full_page=False)
        if cur + 1 < total:
            slider = live(page).locator("input[type=range]")
            if slider.count() and slider.first.is_visible():  # the slide keys step even from the slider
                before = live(page).first.get_attribute("data-temperature")
                slider.first.focus()
                page.keyboard.press("Escape")  # Escape leaves any control
                assert page.evaluate("() => document.activeElement === document.body")
                slider.first.focus()
                _press(page, "ArrowRight")  # a focused slider gives the arrows up
                assert live(page).first.get_attribute("data-temperature") == before
            else:
                _press(page, "PageDown")
            expect(bar).to_contain_text(f"{cur + 2} / {total}")
    expect(page.locator(".st-key-present_next_lesson a")).to_be_visible()  # the way on, in the bar
    if name == "library":
        expect(page.locator(f".st-key-stage_{total - 1}")).to_contain_text("What the numbers say")


# --------------------------------------------------------------------------- a phone
@pytest.mark.parametrize("name", list(WALKS))
def test_phone(page_factory, base_url: str, name: str) -> None:  # noqa: ANN001
    lang = "ko" if SWITCH[name] == "vi" else "vi"
    page = page_factory(locale=LOCALES[lang], viewport=PHONE)
    open_page(page, base_url, path_of(name), timeout_ms=120_000)
    wait_for_live(page, 120_000)
    wait_until_idle(page, 120_000)
    assert_whole(page)
    overflow = page.evaluate(
        "() => { const m = document.querySelector(\"[data-testid='stMain']\"); return m.scrollWidth - m.clientWidth; }"
    )
    assert overflow <= 1, f"{name} scrolls sideways by {overflow} px"
    assert live(page).first.get_attribute("data-hint") == "tap"
    grid = live_attr(page, "grid")
    if grid["cols"] <= 4:  # a few keys use the width: readable cells
        assert grid["cw"] >= 60, grid
    clipped = [c for c in page.evaluate(_CLIPPED_JS) if c[0] != "table"]  # a wide table may scroll on a phone
    assert clipped == [], clipped
    screenshot(page, f"walk_phone_{name}_{lang}", full_page=False)
    assert page.locator(APP_IDLE).count() == 1


# --------------------------------------------------------------------------- one rule for rounding
def test_the_live_views_rounding_is_ui_formats(page_factory) -> None:  # noqa: ANN001
    """The live view's honestDecimals/fmtHonest (its cells, narration, explanation) write every number
    as ui.format.honest_decimals/fmt_honest do (tables and sentences): one rule, two languages."""
    from pathlib import Path

    from attention_core import softmax

    js = (Path(__file__).resolve().parents[2] / "ui" / "live_attention" / "format.js").read_text()
    src = "\n".join(
        re.search(rf"^(?:const {name} =.*?;|function {name}\(.*?^}})", js, re.S | re.M).group(0)
        for name in ("HONEST_LIMIT", "TIE_RTOL", "NEAR_ZERO", "fmt", "honestDecimals", "fmtHonest")
    )
    rng = np.random.default_rng(7)
    cases = []
    for _ in range(120):
        n = int(rng.integers(1, 7))
        row = softmax(rng.normal(scale=4, size=n).round(int(rng.integers(0, 3))), temperature=float(rng.choice([0.05, 1, 5])))
        vec = rng.normal(scale=float(rng.choice([0.01, 1, 100])), size=n)
        cases += [(row.tolist(), int(d), True) for d in (0, 2, 4, 8)] + [(vec.tolist(), int(d), False) for d in (0, 4)]
    page = page_factory()
    got = page.evaluate(
        f"(cases) => {{ {src}\n return cases.map(([v, d, distinct]) => {{ const p = honestDecimals(v, d, distinct);"
        " return [p, v.map((x) => fmtHonest(x, p))]; }); }",
        cases,
    )
    for (values, d, distinct), (p, shown) in zip(cases, got, strict=True):
        want = honest_decimals(values, d, distinct=distinct)
        assert (p, shown) == (want, [fmt_honest(x, want) for x in values]), (values, d, distinct)
