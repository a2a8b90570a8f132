"""Word2Vec lab in a real browser: opened by URL; the attention weights equal numpy's softmax of
the dot products of the vectors the page shows; the Temperature slider (keyboard) and a new
corpus (typed into the text area: the model retrains) update the embedding plot and the weights."""

from __future__ import annotations

import numpy as np
import pytest
from browser_helpers import (
    Table,
    assert_no_error,
    eventually,
    find_table,
    locale_text,
    open_page,
    plotly_data,
    screenshot,
    select_option,
    set_text,
    widget,
)
from live_helpers import live_labels, live_output, live_shown_temperature, live_weights, move_live
from playwright.sync_api import expect

from tests.numpy_ref import softmax

pytestmark = pytest.mark.browser

NEW_CORPUS = "The fox chases the zebra\nThe zebra runs from the fox\nA lion sleeps under the tree"
NEW_WORDS = {"the", "fox", "chases", "zebra", "runs", "from", "a", "lion", "sleeps", "under", "tree"}


def plot_words(page) -> set[str]:  # noqa: ANN001 - playwright Page
    """The words labelled in the embedding-space scatter plot."""
    (trace,) = plotly_data(page, "w2v_space_plot")
    return set(trace["text"])


def plot_shows(page, words: set[str]) -> None:  # noqa: ANN001 - playwright Page
    shown = plot_words(page)
    assert shown == words, shown


def check_attention(page, query: str, temperature: float) -> tuple[Table, Table]:  # noqa: ANN001
    """The live view's weights = softmax(K·q / T), with q and K read from the page's own vector
    tables; its output = weights·V."""
    q_table = find_table(page, index=[query])
    dims = q_table.columns
    _, keys = live_labels(page)
    kv_table = find_table(page, index=keys, columns=dims)
    q, k = q_table.numbers()[0], kv_table.numbers()
    weights = softmax(k @ q / temperature)
    np.testing.assert_allclose(live_weights(page)[0], weights, rtol=0, atol=1e-9)
    np.testing.assert_allclose(live_output(page)[0], weights @ k, rtol=0, atol=1e-9)
    assert abs(live_weights(page).sum() - 1) < 1e-12
    return q_table, kv_table


def test_word2vec_corpus_and_slider(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/word2vec", timeout_ms=120_000)  # the first training imports gensim
    assert_no_error(page)
    expect(page.get_by_role("heading", name=locale_text("en", "w2v.title")).first).to_be_visible()
    assert {"fox", "quick", "hare", "squirrel"} <= plot_words(page)
    assert live_shown_temperature(page) == "1.00"
    # The notebook's query (fox) against its first sentence's words.
    _, kv = eventually(lambda: check_attention(page, "fox", 1.0))
    assert kv.index == ["the #1", "quick", "brown", "fox", "jumps", "over", "the #7", "lazy", "dog"]
    picker = widget(page, "w2v_sentence").locator("input[role=combobox]")
    expect(picker).to_have_value("1. the quick brown fox jumps over the lazy dog")
    assert len(kv.columns) == 4  # the preset's vector_size
    before = live_weights(page)

    assert move_live(page, -2) == "0.90"
    eventually(lambda: check_attention(page, "fox", 0.9))
    assert not np.array_equal(live_weights(page), before)

    # New sentences: the model retrains, the plot shows the new vocabulary, the keys follow.
    set_text(page, "w2v_text", NEW_CORPUS, timeout_ms=60_000)
    eventually(lambda: plot_shows(page, NEW_WORDS))
    tokens = find_table(page, index=["1", "2", "3"], columns=["1", "2", "3", "4", "5", "6"])  # one row a sentence
    assert tokens.cells == [
        ["the", "fox", "chases", "the", "zebra", ""],
        ["the", "zebra", "runs", "from", "the", "fox"],
        ["a", "lion", "sleeps", "under", "the", "tree"],
    ]
    _, kv = eventually(lambda: check_attention(page, "fox", 0.9))
    assert kv.index == ["the #1", "fox", "chases", "the #4", "zebra"]
    assert widget(page, "w2v_text").locator("textarea").input_value() == NEW_CORPUS  # kept as typed
    # The sentence picker names the new first sentence (it used to keep showing the old one's label).
    expect(picker).to_have_value("1. the fox chases the zebra")
    select_option(page, "w2v_sentence", "2. the zebra runs from the fox")  # the user can still pick
    _, kv = eventually(lambda: check_attention(page, "fox", 0.9))
    assert kv.index == ["the #1", "zebra", "runs", "from", "the #5", "fox"]
    expect(picker).to_have_value("2. the zebra runs from the fox")
    assert live_shown_temperature(page) == "0.90"
    assert_no_error(page)
    screenshot(page, "word2vec")
