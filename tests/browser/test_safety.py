"""Safety in a real browser (issue 6): HTML, script, markdown, LaTeX, colour and link syntax typed
into the Step-by-step sentence and into the Word2Vec corpus is shown literally, as text: nothing
runs (``window.__xss`` stays undefined, no dialog opens), no element is made from it, no error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from labdev.browser import (
    assert_no_exception,
    eventually,
    find_table,
    locale_text,
    open_page,
    plotly_data,
    reveal,
    screenshot,
    set_text,
    watch_dialogs,
    widget,
)
from tests.browser.live_helpers import live_labels, live_weights

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "**bold** $x$ :red[x] [link](javascript:alert(1))",
]


def label(token: str, n: int = 24) -> str:
    """How a figure writes a token (cut at n characters with an ellipsis)."""
    return token if len(token) <= n else token[: n - 1] + "…"


def assert_inert(page: Page, dialogs: list[str]) -> None:
    """Nothing ran and nothing was injected."""
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert dialogs == []
    assert page.locator("img[src='x'], img[onerror], a[href^='javascript']").count() == 0
    assert page.evaluate("() => Array.from(document.scripts).some(s => s.textContent.includes('__xss'))") is False
    # markdown / colour syntax: no <strong>bold</strong>, no red "x" made from the user's text
    assert page.locator("[data-testid='stMain'] strong", has_text="bold").count() == 0
    assert page.locator("[data-testid='stMain'] a", has_text="link").count() == 0
    assert_no_exception(page)


def test_step_by_step_sentence_is_inert(page, base_url) -> None:  # noqa: ANN001
    dialogs = watch_dialogs(page)
    open_page(page, base_url, "/step_by_step")
    for text in PAYLOADS:
        set_text(page, "sbs_sentence", text)
        tokens = text.split()
        assert widget(page, "sbs_sentence").locator("input").input_value() == text  # kept as typed
        eventually(  # the Token column, as typed
            lambda tokens=tokens: _same([row[0] for row in find_table(widget(page, "sbs_tbl_tokens")).cells], tokens)
        )
        # the live view draws the tokens on a canvas and names them in its accessible table, as text
        eventually(lambda tokens=tokens: _same(live_labels(page)[1], [label(t) for t in tokens]))
        assert live_labels(page)[0] == live_labels(page)[1]
        # The explanations quote the first token as code, literally.
        expect(page.locator("[data-testid='stMain'] code", has_text=tokens[0][:24]).first).to_be_visible()
        assert_inert(page, dialogs)
    screenshot(page, "safety_step_by_step")


def _same(a: list[str], b: list[str]) -> None:
    assert a == b, (a, b)


def test_word2vec_corpus_is_inert(page, base_url) -> None:  # noqa: ANN001
    dialogs = watch_dialogs(page)
    # The tokens grid draws (and lists in its accessibility table) only the columns it has room
    # for: wide enough here for the four columns of the longest sentence, whatever the font.
    page.set_viewport_size({"width": 2200, "height": 1000})
    open_page(page, base_url, "/word2vec", timeout_ms=120_000)
    corpus = "\n".join(PAYLOADS)
    set_text(page, "w2v_text", corpus, timeout_ms=60_000)
    assert widget(page, "w2v_text").locator("textarea").input_value() == corpus
    sentences = [line.lower().split() for line in PAYLOADS]  # the preset lower-cases
    words = list(dict.fromkeys(w for s in sentences for w in s))
    eventually(
        lambda: _same(
            [[c for c in row if c] for row in find_table(reveal(page, "w2v_tokens_box"), index=["1", "2", "3"]).cells],
            sentences,
        )
    )
    # The embedding plot has every word as a point whose hover names it literally (HTML-escaped in the
    # figure's data, whole), and labels the words chosen to look at (here all 8) literally (SVG text)
    # where a label has room without overlapping another.
    eventually(
        lambda: _same(
            sorted(w for trace in plotly_data(page, "w2v_space_plot") for w in trace["customdata"]),
            sorted(_escaped(words, n=10_000)),
        )
    )
    drawn = [
        s.replace("\u200b", "") for s in page.locator(".st-key-w2v_space_plot .textpoint text").all_text_contents()
    ]
    assert drawn and set(drawn) <= {label(w) for w in words}
    # Attention over the first sentence: its tokens are the keys.
    assert live_labels(page)[1] == [label(w) for w in sentences[0]]
    weights = live_weights(page)
    assert weights.shape == (1, len(sentences[0])) and abs(weights.sum() - 1) < 1e-12
    assert locale_text("en", "w2v.title") in page.inner_text("body")
    assert_inert(page, dialogs)
    screenshot(page, "safety_word2vec")


def _escaped(words: list[str], n: int = 24) -> list[str]:
    """The labels as the figure's data holds them: HTML-escaped (plotly reads tags in labels), cut at n."""
    out = [label(w, n).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for w in words]
    return ["\u200b" + w if w.startswith("$") else w for w in out]
