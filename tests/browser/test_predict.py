"""Predict, then reveal (issue 22) in a real browser, on the step-by-step lesson (seed 000,
"Tôi thích học AI").

With Predict first on (``?predict_first=true``, or the sidebar switch ``predict_first``), the lesson
asks "which key will Tôi attend to most?" before it shows anything the answer could be read from:
the live view's root says ``data-covered="true"`` and ``data-weights="null"``, and none of the
weights (nor the outputs) as the page writes them (4 decimals) is in the main area's visible text or
in the live view's. A click on a choice reveals: ``.st-key-reveal-correct`` or
``.st-key-reveal-wrong`` with a ``.predict-verdict`` whose ``data-answer`` is the engine's argmax;
then the view is uncovered and shows the engine's weights. "Next question" covers them again, the
live view's legend included (in "Auto" colours it names the largest weight). The expected numbers come from
``attention_core`` (the preset, the tokenizer, the seeded tables and ``multi_head_attention``),
cross-checked with plain numpy, never from the page's code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from attention_core import build_vocab, embed, multi_head_attention, random_tables, tokenize
from attention_core import predict as pr
from attention_core.presets import STEP_BY_STEP
from labdev.browser import (
    assert_no_error,
    eventually,
    expect_rerun,
    locale_text,
    main_text,
    open_page,
    screenshot,
    set_checkbox,
    wait_until_idle,
    widget,
)
from tests.browser.live_helpers import live, live_cell_texts, live_weights, wait_for_live
from tests.numpy_ref import softmax

pytestmark = pytest.mark.browser

URL = "/step_by_step?predict_first=true"
DECIMALS = 4  # the page's default "Decimal places"
CHOICE_KEY = "sbs_predict_q0_choice_{j}"  # the first round's choice buttons, one per key
VERDICT = ".predict-verdict"


@dataclass(frozen=True)
class Lesson:
    tokens: list[str]
    weights: np.ndarray  # (n, n): softmax(QKᵀ/√d_k), one head
    output: np.ndarray  # (n, d)
    right: int  # the key row 0 attends to most
    runner_up: int  # the next one: the tempting wrong answer
    second: pr.Question  # the engine's question of round 1 (after "Next question")


@cache
def lesson() -> Lesson:
    """The lesson's numbers from the engine and the preset (the page's defaults: one head, √d_k on,
    T = 1, no mask), checked against numpy; the first question must be a clear top-key question."""
    p = STEP_BY_STEP
    tokens = tokenize(p.sentence)
    vocab = build_vocab(tokens)
    tables = random_tables(len(vocab), p.dim, p.seed)
    x = embed(tokens, vocab, tables.embeddings)
    r = multi_head_attention(x, tables.w_q, tables.w_k, tables.w_v, 1, scale=p.scale)
    head = r.heads[0]
    # the engine against the notebook's recipe (seed 42; rand for E, W_q, W_k, W_v in that order)
    rng = np.random.RandomState(42)
    e, w_q, w_k, w_v = (rng.rand(4, 4) for _ in range(4))
    ref = softmax((e @ w_q) @ (e @ w_k).T / np.sqrt(4))
    np.testing.assert_allclose(head.weights, ref, rtol=1e-12)
    np.testing.assert_allclose(r.output, ref @ (e @ w_v), rtol=1e-12)
    q = pr.top_key_question(head.scores, head.weights, row=0)
    assert q is not None, "the top two weights of Tôi are within MIN_GAP: no clear first question"
    right = int(np.argmax(head.weights[0]))
    assert q.answer_key == right and q.runner_up is not None and q.runner_up != right
    setting = pr.Setting(d_k=head.d_k, scale=p.scale, temperature=1.0)
    second = pr.ask(head.scores, head.weights, setting, round=1, focus_row=0)
    assert second is not None and second.kind == "estimate" and second.key is not None
    return Lesson(tokens, head.weights, r.output, right, int(q.runner_up), second)


def shown(values: np.ndarray) -> set[str]:
    """The numbers as the page writes them."""
    return {f"{float(v):.{DECIMALS}f}" for v in np.ravel(values)}


def found(number: str, text: str) -> bool:
    """``number`` is in ``text`` as a whole number (``0.9218`` is not in ``0.92187423…``, a W cell at
    full precision in a table's accessible text)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", text) is not None


def leaks(values: np.ndarray, text: str) -> list[str]:
    """The numbers of ``values`` that ``text`` gives away: as the page writes them (4 decimals), at
    6 decimals, or at full precision (a number starting with the value's first 6 decimals)."""
    out = []
    for v in np.ravel(values):
        exact = repr(float(v))
        head = exact[: exact.index(".") + 7]
        if (
            found(f"{v:.{DECIMALS}f}", text)
            or found(f"{v:.6f}", text)
            or re.search(rf"(?<![\d.]){re.escape(head)}", text)
        ):
            out.append(exact)
    return out


def assert_covered(page: Page, ls: Lesson) -> None:
    """A question is open: the view covered, no reveal, no output, and no weight or output readable
    from the main area's visible text or the live view's (its legend and image export hidden)."""
    view = wait_for_live(page)
    expect(view).to_have_attribute("data-covered", "true")
    expect(view).to_have_attribute("data-weights", "null")
    expect(view).to_have_attribute("data-output", "null")
    expect(view.locator(".la-legend")).to_be_hidden()  # "Auto" colours would name the largest weight
    expect(view.locator(".la-export")).to_be_hidden()  # an image would show the weights
    assert page.locator(".st-key-reveal-correct, .st-key-reveal-wrong, .st-key-reveal-answer").count() == 0
    assert widget(page, "sbs_tbl_output").count() == 0  # step 5 is covered too
    hidden = np.concatenate([np.ravel(ls.weights), np.ravel(ls.output)])
    for where, text in (("the main area", main_text(page)), ("the live view", view.inner_text())):
        given = leaks(hidden, text)
        assert not given, f"{where} shows {given} before the answer"


def open_covered(page: Page, base_url: str) -> Lesson:
    """Open the lesson with Predict first on; check the question and that nothing gives it away."""
    ls = lesson()
    open_page(page, base_url, URL)
    assert_no_error(page)
    box = widget(page, "predict")
    expect(box).to_be_visible()
    ask = locale_text("en", "predict.ask_top_key", row=ls.tokens[0])  # `Tôi` renders as a code span
    expect(box).to_contain_text(ask)
    expect(box).to_contain_text(locale_text("en", "predict.title"))
    # the choices: one button per key, named by its word, in key order
    buttons = box.locator("button")
    expect(buttons).to_have_count(len(ls.tokens))
    assert [s.strip() for s in buttons.all_inner_texts()] == ls.tokens
    for j, word in enumerate(ls.tokens):
        expect(widget(page, CHOICE_KEY.format(j=j)).get_by_role("button", name=word, exact=True)).to_be_visible()

    assert_covered(page, ls)
    assert ask in main_text(page)  # (the texts above were read from the right page)
    return ls


def answer(page: Page, ls: Lesson, key: int) -> None:
    with expect_rerun(page):
        widget(page, CHOICE_KEY.format(j=key)).get_by_role("button", name=ls.tokens[key], exact=True).click()
    wait_until_idle(page)
    assert_no_error(page)


def check_uncovered(page: Page, ls: Lesson) -> None:
    """After the answer: no question, the view uncovered with the engine's weights, in numbers too."""
    expect(widget(page, "predict")).to_have_count(0)
    view = live(page)
    expect(view).to_have_attribute("data-covered", "false")
    eventually(lambda: np.testing.assert_allclose(live_weights(page), ls.weights, rtol=1e-12))
    expected = [[f"{w:.{DECIMALS}f}" for w in row] for row in ls.weights]
    eventually(lambda: _equal(live_cell_texts(page), expected))
    text = view.inner_text()
    assert all(found(s, text) for s in shown(ls.weights)), text
    expect(view.locator(".la-legend")).to_be_visible()
    expect(view.locator(".la-export")).to_be_visible()
    expect(widget(page, "sbs_tbl_output")).to_be_attached()  # step 5 is back
    # the reveal names the answer's weight and the runner-up's
    main = main_text(page)
    assert found(f"{ls.weights[0, ls.right]:.{DECIMALS}f}", main)
    assert found(f"{ls.weights[0, ls.runner_up]:.{DECIMALS}f}", main)


def _equal(a: object, b: object) -> None:
    assert a == b, (a, b)


def check_verdict(page: Page, ls: Lesson, *, correct: bool) -> None:
    box, other = ("reveal-correct", "reveal-wrong") if correct else ("reveal-wrong", "reveal-correct")
    verdict = widget(page, box).locator(VERDICT)
    expect(verdict).to_have_count(1)
    assert verdict.get_attribute("data-kind") == "top_key"
    assert verdict.get_attribute("data-answer") == str(ls.right)
    assert verdict.get_attribute("data-correct") == str(correct).lower()
    assert widget(page, other).count() == 0
    title = locale_text("en", "predict.right" if correct else "predict.wrong")
    expect(widget(page, box)).to_contain_text(title)


def test_right_answer_reveals_the_engines_weights(page: Page, base_url: str) -> None:
    """Covered, a click on the engine's argmax: a right verdict, the engine's weights shown; then the
    next question (the engine's round 1, an estimate) covers them again, the "Auto" legend too."""
    ls = open_covered(page, base_url)
    answer(page, ls, ls.right)
    check_verdict(page, ls, correct=True)
    check_uncovered(page, ls)
    expect(widget(page, "reveal-correct")).to_contain_text(
        locale_text("en", "predict.score", answered=1, right=1, streak=1)
    )

    # "Auto" colours: the legend names the largest weight (a browser-side choice, no rerun) ...
    view = live(page)
    view.locator(".la-modes input[value=auto]").check()
    expect(view.locator(".la-legend")).to_contain_text(f"{ls.weights.max():.{DECIMALS}f}")
    # ... and the next question covers the weights again, that legend included
    with expect_rerun(page):
        widget(page, "sbs_predict_next").get_by_role("button").click()
    wait_until_idle(page)
    q = ls.second
    ask = locale_text("en", "predict.ask_estimate", row=ls.tokens[q.row], col=ls.tokens[int(q.key or 0)])
    expect(widget(page, "predict")).to_contain_text(ask)
    assert_covered(page, ls)


def test_wrong_answer_says_so_and_reveals(page: Page, base_url: str) -> None:
    """Covered, a click on the runner-up: a wrong verdict naming the guess and the right key, the
    engine's weights shown."""
    ls = open_covered(page, base_url)
    screenshot(page, "predict_covered")
    answer(page, ls, ls.runner_up)
    check_verdict(page, ls, correct=False)
    reveal = widget(page, "reveal-wrong")
    expect(reveal).to_contain_text(locale_text("en", "predict.you_said", guess=ls.tokens[ls.runner_up]))
    check_uncovered(page, ls)
    expect(reveal).to_contain_text(locale_text("en", "predict.score", answered=1, right=0, streak=0))
    screenshot(page, "predict_reveal_wrong")


def test_sidebar_switch_asks_in_vietnamese(page: Page, base_url: str) -> None:
    """``?lang=vi`` without the URL parameter: the sidebar switch turns Predict first on, and the
    question is asked in Vietnamese, the weights covered."""
    ls = lesson()
    open_page(page, base_url, "/step_by_step?lang=vi")
    expect(widget(page, "predict")).to_have_count(0)
    expect(wait_for_live(page)).to_have_attribute("data-covered", "false")
    set_checkbox(page, "predict_first", True)
    box = widget(page, "predict")
    expect(box).to_contain_text(locale_text("vi", "predict.ask_top_key", row=ls.tokens[0]))
    expect(box).to_contain_text(locale_text("vi", "predict.title"))
    assert [s.strip() for s in box.locator("button").all_inner_texts()] == ls.tokens
    expect(live(page)).to_have_attribute("data-covered", "true")
    expect(live(page)).to_have_attribute("data-weights", "null")
    assert_no_error(page)
