"""Word2Vec lab page (pages/word2vec.py): presets, cached training, the embedding space, attention.

Reference numbers are computed here with numpy from ``model.wv`` of a model trained
with the same sentences and parameters (training is deterministic), never with the
page's own attention code.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from attention_core import train_word2vec
from attention_core.limits import MAX_CORPUS_TOKENS
from attention_core.presets import WORD2VEC_ENGLISH, WORD2VEC_KOREAN_CAT, WORD2VEC_PRESETS, Word2VecPreset
from tests.apptest_helpers import set_temperature
from ui import word2vec_cache
from ui.word2vec_cache import clear_cache

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGE = "pages/word2vec.py"


def load(lang: str | None = None, preset: str | None = None) -> AppTest:
    """The page in ``lang``, starting with ``preset`` (default: the page's own, the corpus designed
    to learn in the UI's language)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    if lang:
        at.session_state["lang"] = lang
    if preset:
        at.session_state["w2v_preset"] = preset
    at.switch_page(PAGE).run()
    assert not at.exception
    if preset:
        assert at.selectbox(key="w2v_preset").value == preset
    return at


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


# --------------------------------------------------------------------------- helpers
def seed_tokens(preset: Word2VecPreset) -> list[list[str]]:
    """The notebook's own tokenisation: ``sentence.lower().split()`` (English) or ``.split()``."""
    lines = preset.text.split("\n")
    return [(line.lower() if preset.lowercase else line).split() for line in lines]


def model_for(sentences: list[list[str]], **params: int):
    return train_word2vec(sentences, **params)


def np_softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def table(at: AppTest, first_column: str) -> pd.DataFrame:
    """The table whose first column is called ``first_column``."""
    found = [df.value for df in at.dataframe if len(df.value.columns) and df.value.columns[0] == first_column]
    assert found, f"no table with first column {first_column!r}: {[list(d.value.columns) for d in at.dataframe]}"
    return found[0]


def space_plot(at: AppTest) -> dict:
    """The embedding-space scatter plot's figure (2D or 3D)."""
    for chart in at.get("plotly_chart"):
        if chart.proto.id.endswith("w2v_space_plot"):
            return json.loads(chart.proto.spec)
    raise AssertionError("no embedding-space plot")


def scatter_words(at: AppTest) -> list[str]:
    """Every word of the embedding-space scatter plot (its hover names: grey points and labelled ones)."""
    return [w for trace in space_plot(at)["data"] for w in trace["customdata"]]


def scatter_labels(at: AppTest) -> list[str]:
    """The words written on the embedding-space plot (the chosen ones that had room)."""
    return [w for trace in space_plot(at)["data"] if "text" in trace for w in trace["text"] if w]


def messages(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.error, *at.warning, *at.info])


def runs() -> int:
    return word2vec_cache.training_runs()


# --------------------------------------------------------------------------- presets
@pytest.mark.parametrize("preset", WORD2VEC_PRESETS, ids=lambda p: p.id)
def test_each_preset_trains_and_plots_its_words(preset: Word2VecPreset) -> None:
    at = load(preset=preset.id)
    assert at.text_area(key="w2v_text").value == preset.text
    assert at.toggle(key="w2v_lower").value is preset.lowercase
    for name, value in preset.params.items():
        widget = at.radio(key="w2v_sg") if name == "sg" else at.number_input(key=f"w2v_{name}")
        assert widget.value == value

    # Tokens shown exactly as the notebook tokenises, one row per sentence.
    tokens = seed_tokens(preset)
    shown = table(at, "1")
    assert [[w for w in row if w] for row in shown.astype(str).values.tolist()] == tokens

    # The plot has every word of the vocabulary (small corpora: all of them).
    vocab = {w for s in tokens for w in s}
    assert set(scatter_words(at)) == vocab
    assert any(str(s.value).find(str(len(vocab))) >= 0 for s in at.success)

    # Defaults of the attention section are the notebook's query word.
    assert at.selectbox(key="w2v_query").value == preset.query_word
    assert at.toggle(key="w2v_scale").value is False
    assert at.toggle(key="w2v_project").value is False


def test_korean_preset_attends_over_the_notebook_tokens_with_numpy_weights() -> None:
    p = WORD2VEC_KOREAN_CAT
    at = load(preset=p.id)
    sentence = at.selectbox(key="w2v_sentence").value
    assert tuple(seed_tokens(p)[sentence]) == p.attend_tokens  # 고양이 책 찾고 싶어요

    model = model_for(seed_tokens(p), **p.params)
    q = np.asarray(model.wv[p.query_word], dtype=np.float64)
    k = np.array([model.wv[w] for w in p.attend_tokens], dtype=np.float64)
    scores = k @ q
    weights = np_softmax(scores)

    np.testing.assert_allclose(table(at, "q·k").iloc[:, 0].to_numpy(), scores, rtol=0, atol=1e-12)
    np.testing.assert_allclose(table(at, "Weight").iloc[:, 0].to_numpy(), weights, rtol=0, atol=1e-12)
    assert list(table(at, "Weight").index) == list(p.attend_tokens)
    query_table = [df.value for df in at.dataframe if list(df.value.index) == [p.query_word]][0]
    np.testing.assert_allclose(query_table.to_numpy()[0], q, rtol=0, atol=0)
    ctx = [df.value for df in at.dataframe if list(df.value.index) == ["context vector"]][0]
    np.testing.assert_allclose(ctx.to_numpy()[0], weights @ k, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- weights vs numpy
def test_english_weights_match_numpy_then_temperature_and_scaling() -> None:
    p = WORD2VEC_ENGLISH
    at = load(preset="english")
    tokens = seed_tokens(p)
    sentence = tokens[at.selectbox(key="w2v_sentence").value]
    assert "fox" in sentence
    model = model_for(tokens, **p.params)
    q = np.asarray(model.wv["fox"], dtype=np.float64)
    k = np.array([model.wv[w] for w in sentence], dtype=np.float64)
    scores = k @ q

    shown_scores = table(at, "q·k").iloc[:, 0].to_numpy()
    shown_weights = table(at, "Weight").iloc[:, 0].to_numpy()
    np.testing.assert_allclose(shown_scores, scores, rtol=0, atol=1e-12)
    np.testing.assert_allclose(shown_weights, np_softmax(scores), rtol=0, atol=1e-12)
    assert math.isclose(shown_weights.sum(), 1.0, abs_tol=1e-12)
    assert list(table(at, "Weight").index)[:2] == ["the #1", "quick"]  # repeated tokens stay distinct

    # Temperature 0.5: weights = softmax(scores / 0.5).
    set_temperature(at, "w2v_temperature", 0.5).run()
    np.testing.assert_allclose(table(at, "Weight").iloc[:, 0].to_numpy(), np_softmax(scores / 0.5), rtol=0, atol=1e-12)

    # Scaling on: the scaled column is exactly the raw score / √d_k (d_k = 4).
    at.toggle(key="w2v_scale").set_value(True).run()
    s = table(at, "q·k")
    np.testing.assert_allclose(s.iloc[:, 1].to_numpy() * 2.0, s.iloc[:, 0].to_numpy(), rtol=1e-15, atol=0)
    np.testing.assert_allclose(
        table(at, "Weight").iloc[:, 0].to_numpy(), np_softmax(scores / 2.0 / 0.5), rtol=0, atol=1e-12
    )

    # Another query word and hand-picked words.
    at.selectbox(key="w2v_query").set_value("hare").run()
    at.radio(key="w2v_keys_from").set_value("words").run()
    at.multiselect(key="w2v_words").set_value(["squirrel", "dog", "sky"]).run()
    assert not at.exception
    q2 = np.asarray(model.wv["hare"], dtype=np.float64)
    k2 = np.array([model.wv[w] for w in ["squirrel", "dog", "sky"]], dtype=np.float64)
    np.testing.assert_allclose(
        table(at, "Weight").iloc[:, 0].to_numpy(), np_softmax(k2 @ q2 / 2.0 / 0.5), rtol=0, atol=1e-12
    )


def test_projections_use_seeded_matrices() -> None:
    at = load(preset="english")
    at.toggle(key="w2v_project").set_value(True).run()
    assert not at.exception
    p = WORD2VEC_ENGLISH
    tokens = seed_tokens(p)
    sentence = tokens[at.selectbox(key="w2v_sentence").value]
    model = model_for(tokens, **p.params)
    rng = np.random.RandomState(42)  # seed 000's draw order: embeddings (1×d), then W_q, W_k, W_v
    rng.rand(1, 4)
    w_q, w_k, w_v = rng.rand(4, 4), rng.rand(4, 4), rng.rand(4, 4)
    x = np.array([model.wv[w] for w in sentence], dtype=np.float64)
    q = np.asarray(model.wv["fox"], dtype=np.float64) @ w_q
    scores = (x @ w_k) @ q
    np.testing.assert_allclose(table(at, "q·k").iloc[:, 0].to_numpy(), scores, rtol=0, atol=1e-12)
    weights = np_softmax(scores)
    np.testing.assert_allclose(table(at, "Weight").iloc[:, 0].to_numpy(), weights, rtol=0, atol=1e-12)
    ctx = [df.value for df in at.dataframe if list(df.value.index) == ["context vector"]][0]
    np.testing.assert_allclose(ctx.to_numpy()[0], weights @ (x @ w_v), rtol=0, atol=1e-12)


def test_single_key_example_weight_is_one_and_context_is_the_value() -> None:
    at = load(preset="english")
    assert (
        at.selectbox(key="w2v_single_q").value,
        at.selectbox(key="w2v_single_k").value,
        at.selectbox(key="w2v_single_v").value,
    ) == ("fox", "hare", "squirrel")
    model = model_for(seed_tokens(WORD2VEC_ENGLISH), **WORD2VEC_ENGLISH.params)
    single = [df.value for df in at.dataframe if len(df.value.index) == 4 and "Value: squirrel" in df.value.index][0]
    np.testing.assert_allclose(single.loc["Query: fox"].to_numpy(), model.wv["fox"], rtol=0, atol=1e-7)
    np.testing.assert_allclose(single.loc["Key: hare"].to_numpy(), model.wv["hare"], rtol=0, atol=1e-7)
    np.testing.assert_array_equal(single.loc["context vector"].to_numpy(), single.loc["Value: squirrel"].to_numpy())
    score = float(np.dot(model.wv["fox"].astype(np.float64), model.wv["hare"].astype(np.float64)))
    text = "\n".join(m.value for m in at.markdown)
    assert f"{score:.4f}" in text and "= 1.0000" in text and "✓" in text
    # Any temperature: still 1.
    set_temperature(at, "w2v_temperature", 0.05).run()
    assert "= 1.0000" in "\n".join(m.value for m in at.markdown)


# --------------------------------------------------------------------------- training count
def test_training_runs_once_per_change_of_its_inputs() -> None:
    start = runs()
    at = load(preset="english")
    assert runs() == start + 1

    # Controls that do not change the training never retrain.
    set_temperature(at, "w2v_temperature", 2.0).run()
    at.selectbox(key="w2v_query").set_value("hare").run()
    at.selectbox(key="w2v_sentence").set_value(2).run()
    at.toggle(key="w2v_scale").set_value(True).run()
    at.toggle(key="w2v_project").set_value(True).run()
    at.radio(key="w2v_keys_from").set_value("words").run()
    at.toggle(key="w2v_3d").set_value(True).run()
    at.selectbox(key="w2v_nn_word").set_value("dog").run()
    at.selectbox(key="w2v_single_v").set_value("tree").run()
    assert not at.exception
    assert runs() == start + 1

    # One training parameter: exactly one more training; going back reuses the cache.
    at.number_input(key="w2v_epochs").set_value(6).run()
    assert runs() == start + 2
    set_temperature(at, "w2v_temperature", 1.0).run()
    assert runs() == start + 2
    at.number_input(key="w2v_epochs").set_value(5).run()
    assert runs() == start + 2
    at.radio(key="w2v_sg").set_value(1).run()
    assert runs() == start + 3

    # The sentences: one more.
    at.text_area(key="w2v_text").input(WORD2VEC_ENGLISH.text + "\nThe fox likes the hare").run()
    assert runs() == start + 4
    at.selectbox(key="w2v_query").set_value("likes").run()
    assert runs() == start + 4
    assert not at.exception


def test_lowercase_switch_changes_the_tokens() -> None:
    at = load(preset="english")
    at.toggle(key="w2v_lower").set_value(False).run()
    assert not at.exception
    words = set(scatter_words(at))
    assert {"The", "the", "A", "a"} <= words
    assert at.text_area(key="w2v_text").value == WORD2VEC_ENGLISH.text


# --------------------------------------------------------------------------- bad input
def test_empty_text_shows_a_message_and_keeps_the_box() -> None:
    at = load(preset="english")
    for text in ("", "   \n\t\n  "):
        at.text_area(key="w2v_text").input(text).run()
        assert not at.exception
        assert "no word" in messages(at)
        assert at.text_area(key="w2v_text").value == text
        assert not at.get("plotly_chart")
    # Typing again brings everything back.
    at.text_area(key="w2v_text").input("one two three\nthree two one").run()
    assert set(scatter_words(at)) == {"one", "two", "three"}


def test_min_count_that_removes_every_word() -> None:
    at = load(preset="korean_fruit")
    at.number_input(key="w2v_min_count").set_value(2).run()
    assert not at.exception
    assert "min_count = 2 removes every word" in messages(at)
    assert at.text_area(key="w2v_text").value == "나는 사과를 좋아해\n너는 바나나를 싫어해\n그는 포도를 먹었어"
    assert not at.get("plotly_chart")
    at.number_input(key="w2v_min_count").set_value(1).run()
    assert len(scatter_words(at)) == 9


def test_min_count_drops_the_query_word() -> None:
    at = load(preset="english")  # 'fox' occurs once
    at.number_input(key="w2v_min_count").set_value(2).run()
    assert not at.exception
    assert "not in the vocabulary" in messages(at)
    query = at.selectbox(key="w2v_query").value
    assert query != "fox" and query in scatter_words(at)
    assert "Left out" in "\n".join(c.value for c in at.caption)


def test_query_word_not_in_vocabulary() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["w2v_preset"] = "english"
    at.session_state["w2v_query"] = "zebra"
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "`zebra` is not in the vocabulary" in messages(at)
    assert at.selectbox(key="w2v_query").value == "fox"

    # Editing the text so that the query word disappears: a message, then another word: a word worth
    # watching (lessons.word2vec.space.watch_words), not "the"
    at.text_area(key="w2v_text").input("the hare leaps over the dog").run()
    assert not at.exception
    assert "`fox` is not in the vocabulary" in messages(at)
    assert at.selectbox(key="w2v_query").value in {"hare", "leaps", "dog"}  # gensim's order of equal counts


def test_one_word_sentences_and_one_key() -> None:
    at = load(preset="english")
    at.text_area(key="w2v_text").input("hello").run()
    assert not at.exception
    assert "single word" in messages(at)
    assert scatter_words(at) == ["hello"]
    assert table(at, "Weight").iloc[0, 0] == 1.0
    assert "only one in the vocabulary" in messages(at)

    at.text_area(key="w2v_text").input("hello world\nagain").run()
    assert not at.exception
    assert table(at, "Weight").iloc[:, 0].sum() == pytest.approx(1.0)


def test_non_latin_scripts_and_markup_stay_literal() -> None:
    text = "Tôi thích học AI 🙂\n고양이 책 찾고 싶어요 🐱\n**bold** <b>x</b> $x^2$ [link](http://e.com)"
    at = load(preset="english")
    at.text_area(key="w2v_text").input(text).run()
    assert not at.exception
    shown = table(at, "1")
    assert shown.iloc[0].tolist()[:5] == ["tôi", "thích", "học", "ai", "🙂"]  # lower-case is on
    assert shown.iloc[2].tolist()[:3] == ["**bold**", "<b>x</b>", "$x^2$"]
    words = scatter_words(at)
    assert "&lt;b&gt;x&lt;/b&gt;" in words and "<b>x</b>" not in words
    assert "🐱" in words and "고양이" in words
    at.selectbox(key="w2v_query").set_value("<b>x</b>").run()
    assert not at.exception
    for m in at.markdown:  # user text only ever appears inside code spans
        assert "<b>x</b>" not in m.value.replace("`<b>x</b>`", "")
    assert at.text_area(key="w2v_text").value == text


def test_vietnamese_decomposed_accents_are_one_word() -> None:
    import unicodedata

    at = load(preset="english")
    nfd = unicodedata.normalize("NFD", "thích")
    at.text_area(key="w2v_text").input(f"tôi thích\ntôi {nfd}").run()
    assert not at.exception
    assert sorted(scatter_words(at)) == ["thích", "tôi"]


def test_too_many_tokens_are_capped_and_said() -> None:
    at = load(preset="english")
    line = "one two three four five six seven eight nine ten"
    text = "\n".join([line] * 600)  # 6000 tokens
    at.text_area(key="w2v_text").input(text).run()
    assert not at.exception
    assert f"6000 tokens; only the first {MAX_CORPUS_TOKENS}" in messages(at)
    assert at.text_area(key="w2v_text").value == text
    assert len(table(at, "1")) == MAX_CORPUS_TOKENS // 10
    assert any("500 sentence(s), 5000 tokens" in c.value for c in at.caption)


# --------------------------------------------------------------------------- languages
@pytest.mark.parametrize(("lang", "title"), [("vi", "Phòng thí nghiệm Word2Vec"), ("ko", "Word2Vec 실험실")])
def test_languages(lang: str, title: str) -> None:
    at = load(lang=lang, preset="english")
    assert at.title[0].value == title
    assert not any("w2v." in str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.success])
    set_temperature(at, "w2v_temperature", 0.5).run()
    at.selectbox(key="w2v_query").set_value("hare").run()
    assert not at.exception
    at.text_area(key="w2v_text").input("").run()
    assert not at.exception
    assert at.error  # the empty-text message

    # A Korean preset, chosen in this language (the text box is refilled).
    at.selectbox(key="w2v_preset").set_value("korean_fruit").run()
    assert not at.exception
    assert at.text_area(key="w2v_text").value.startswith("나는 사과를 좋아해")
    assert at.selectbox(key="w2v_query").value == "나는"
    assert set(scatter_words(at)) == {
        "나는",
        "사과를",
        "좋아해",
        "너는",
        "바나나를",
        "싫어해",
        "그는",
        "포도를",
        "먹었어",
    }


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    at.number_input(key="w2v_epochs").set_value(60).run()
    at.number_input(key="w2v_vector_size").set_value(8).run()
    at.radio(key="w2v_keys_from").set_value("words").run()
    at.multiselect(key="w2v_words").set_value(["cat", "dog", "bus", "bread"]).run()
    at.selectbox(key="w2v_query").set_value("rabbit").run()
    at.toggle(key="w2v_project").set_value(True).run()
    at.number_input(key="w2v_proj_seed").set_value(3).run()
    at.toggle(key="w2v_scale").set_value(True).run()
    set_temperature(at, "w2v_temperature", 0.7).run()
