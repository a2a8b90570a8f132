"""Word2Vec lab in a real browser: opened by URL; the attention weights equal numpy's softmax of
the dot products of the vectors the page shows; the Temperature slider (keyboard) and a new
corpus (typed into the text area: the model retrains) update the embedding plot and the weights.
Watching it learn: in en, vi and ko, at 1400 and 390 px, the designed corpus trains, its groups are
each other's neighbours, the epoch slider scrubs the plot back to the random start (screenshots);
a long training shows a progress bar and stops on the stop button, keeping what it learned."""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from attention_core.presets import LEARNING_PRESETS
from labdev.browser import (
    Table,
    assert_no_error,
    assert_no_exception,
    eventually,
    expect_rerun,
    find_table,
    locale_text,
    main_text,
    move_slider,
    open_page,
    plotly_data,
    plotly_layout,
    reveal,
    screenshot,
    select_option,
    set_text,
    slider_value,
    wait_until_idle,
    widget,
)
from tests.browser.live_helpers import live_labels, live_output, live_shown_temperature, live_weights, move_live
from tests.numpy_ref import softmax

pytestmark = pytest.mark.browser

WARNING = "[data-testid='stAlertContentWarning']"
NEW_CORPUS = "The fox chases the zebra\nThe zebra runs from the fox\nA lion sleeps under the tree"
NEW_WORDS = {"the", "fox", "chases", "zebra", "runs", "from", "a", "lion", "sleeps", "under", "tree"}


def plot_words(page) -> set[str]:  # noqa: ANN001 - playwright Page
    """Every word of the embedding-space scatter plot (the hover names of its points)."""
    return {w for trace in plotly_data(page, "w2v_space_plot") for w in trace["customdata"]}


def plot_shows(page, words: set[str]) -> None:  # noqa: ANN001 - playwright Page
    shown = plot_words(page)
    assert shown == words, shown


def check_attention(page, query: str, temperature: float) -> tuple[Table, Table]:  # noqa: ANN001
    """The live view's weights = softmax(K·q / T), with q and K read from the page's own vector
    tables; its output = weights·V."""
    numbers = reveal(page, "w2v_vectors_box")  # step 1's "show the numbers"
    q_table = find_table(numbers, index=[query])
    dims = q_table.columns
    _, keys = live_labels(page)
    kv_table = find_table(numbers, index=keys, columns=dims)
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
    select_option(page, "w2v_preset", locale_text("en", "w2v.preset_english"), timeout_ms=60_000)
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
    tokens = find_table(  # one row a sentence
        reveal(page, "w2v_tokens_box"), index=["1", "2", "3"], columns=["1", "2", "3", "4", "5", "6"]
    )
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


# --------------------------------------------------------------------------- watching it learn
LOCALES = {"en": "en-US", "vi": "vi-VN", "ko": "ko-KR"}


def space_points(page, other_than: dict | None = None) -> dict[str, tuple[float, float]]:  # noqa: ANN001
    """Each word's position in the embedding-space plot (waiting until it differs from ``other_than``)."""
    points = {
        w: (x, y)
        for trace in plotly_data(page, "w2v_space_plot")
        for w, x, y in zip(trace["customdata"], trace["x"], trace["y"], strict=True)
    }
    assert points != other_than, "the plot has not changed yet"
    return points


def nn_table(page, lang: str) -> Table:  # noqa: ANN001 - playwright Page
    head = [locale_text(lang, "w2v.word"), locale_text(lang, "w2v.cosine"), locale_text(lang, "w2v.with_seed", seed=2)]
    return find_table(page, columns=head)


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("lang", ["en", "vi", "ko"])
def test_watch_the_designed_corpus_learn(page_factory, base_url, lang: str, width: int) -> None:  # noqa: ANN001
    preset = next(p for p in LEARNING_PRESETS if p.language == lang)
    page = page_factory(locale=LOCALES[lang], viewport={"width": width, "height": 1200})
    open_page(page, base_url, "/word2vec", timeout_ms=120_000)
    assert_no_error(page)
    picker = widget(page, "w2v_preset").locator("input[role=combobox]")
    expect(picker).to_have_value(locale_text(lang, f"w2v.preset_{preset.id}"))
    assert locale_text(lang, "w2v.space_title") in main_text(page)
    assert not page.locator(WARNING).count()  # it learned: no notice
    # the first group's first word has its two group mates as nearest neighbours, with either seed
    group = preset.groups[0]
    reveal(page, "w2v_nn_word")  # the "nearest neighbours" tab
    select_option(page, "w2v_nn_word", group[0])

    def group_mates_first() -> None:  # the grid redraws a moment after the rerun
        table = nn_table(page, lang)
        assert {row[0] for row in table.cells[:2]} == set(group[1:])  # this seed
        assert {row[2] for row in table.cells[:2]} == set(group[1:])  # the next seed

    eventually(group_mates_first)

    # the epoch slider: at the end the group is tight; at epoch 0 its words are scattered noise
    reveal(page, "w2v_epoch_view")  # back to the "word vectors" tab
    assert slider_value(page, "w2v_epoch_view") == "200"
    end = space_points(page)
    screenshot(page, f"word2vec_learn_{lang}_{width}_epoch200")
    assert move_slider(page, "w2v_epoch_view", 1, key="Home") == "0"
    start = eventually(lambda: space_points(page, other_than=end))
    assert plotly_layout(page, "w2v_space_plot")["title"]["text"].find(" 0") >= 0
    spread_end = np.ptp([end[w] for w in group], axis=0).max()
    spread_start = np.ptp([start[w] for w in group], axis=0).max()
    assert spread_end < 0.2 * spread_start  # from noise into a group
    assert move_slider(page, "w2v_epoch_view", 5) == "5"
    eventually(lambda: space_points(page, other_than=start))
    assert_no_error(page)
    screenshot(page, f"word2vec_learn_{lang}_{width}_epoch5")


#: Watches the page; when the Word2Vec stop button shows, notes how many progress bars show with it
#: (``window.__w2vStop``) and clicks it, in the same task as the change that drew it.
_CLICK_STOP_WHEN_SHOWN_JS = """() => {
  const look = () => {
    const button = document.querySelector('.st-key-w2v_stop button');
    if (!button || window.__w2vStop !== undefined) return false;
    window.__w2vStop = {progress: document.querySelectorAll("[data-testid='stProgress']").length};
    button.click();
    return true;
  };
  const watch = new MutationObserver(() => { if (look()) watch.disconnect(); });
  watch.observe(document.body, {childList: true, subtree: true});
}"""


def test_a_long_training_shows_progress_and_stops_on_the_stop_button(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/word2vec", timeout_ms=120_000)
    # the slowest settings: skip-gram, 100 numbers, window 10, 10 negatives, on 4,900 tokens of 800 words (the
    # text box lowers the epochs to 10 to fit the budget): about 0.7-1.3 s of training, as long for the seed check
    for key, value in (("w2v_vector_size", "100"), ("w2v_window", "10"), ("w2v_negative", "10")):
        set_text(page, key, value, timeout_ms=60_000)
    with expect_rerun(page, 60_000):
        widget(page, "w2v_sg").get_by_text(locale_text("en", "w2v.sg_skipgram")).click()
    words = [f"w{(i * 7919) % 800}" for i in range(4900)]
    text = "\n".join(" ".join(words[i : i + 10]) for i in range(0, 4900, 10))
    field = widget(page, "w2v_text").locator("textarea")
    field.fill(text)
    # The stop button is clicked by the page itself the moment it appears beside the progress bar: a
    # Playwright round trip after the button shows could come after a fast machine's training has ended.
    page.evaluate(_CLICK_STOP_WHEN_SHOWN_JS)
    field.press("Control+Enter")
    page.wait_for_function("() => window.__w2vStop !== undefined", timeout=60_000)
    assert page.evaluate("() => window.__w2vStop") == {"progress": 1}  # after 0.3 s of training, beside the bar
    # the click starts a new run at once; the training run stops at its next epoch
    stopped = locale_text("en", "w2v.stopped", done=0, total=10).split("0 of")[0]  # "Stopped after "
    check_stopped = locale_text("en", "w2v.check_stopped", seed=2)

    def says_stopped() -> str:
        said = main_text(page)
        assert stopped in said or check_stopped in said, said[-800:]
        return said

    eventually(says_stopped, timeout_ms=60_000)
    wait_until_idle(page, 60_000)
    assert_no_exception(page)  # (the attention section says once that its query word is not in the new text)
    said = says_stopped()
    done = re.search(r"Stopped after (\d+) of 10 epochs", said)
    if done:  # stopped in the training itself: the slider ends where it stopped
        assert 0 < int(done[1]) < 10
        assert slider_value(page, "w2v_epoch_view") == done[1]
    else:  # stopped in the seed check: every epoch trained, the check missing
        assert slider_value(page, "w2v_epoch_view") == "10"
    assert widget(page, "w2v_text").locator("textarea").input_value() == text  # the text stays
    screenshot(page, "word2vec_training_stopped")
    with expect_rerun(page, 60_000):
        widget(page, "w2v_train_all").locator("button").click()
    assert_no_error(page)
    assert slider_value(page, "w2v_epoch_view") == "10"
    assert "Stopped after" not in main_text(page)
    assert locale_text("en", "w2v.learned").split("{")[0] in main_text(page)
