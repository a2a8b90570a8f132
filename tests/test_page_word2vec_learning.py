"""Word2Vec lab (AppTest): the corpora designed to learn, training that learns, watching it learn, honesty.

Reference numbers are computed here from gensim (the same deterministic training, its seeded initial
vectors redrawn with numpy) and numpy, never with the page's own helpers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core import Word2VecParams, tokenize_lines, train_epochs, train_word2vec
from attention_core.presets import LEARNING_PRESETS, USER_DEFAULTS, WORD2VEC_ENGLISH, WORD2VEC_KOREAN_CAT
from lessons.word2vec.state import OWNER_KEY, STOP_KEY
from tests.apptest_helpers import figures
from ui import word2vec_cache
from ui.i18n import catalog
from ui.word2vec_cache import clear_cache, keep_stopped, train_cached

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/word2vec.py"
EN = catalog("en")
CAT_DOG = "the cat walks in the park\nthe dog walks in the park\nthe cat eats food at home\nthe dog eats food at home"


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def load(lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def fig(at: AppTest, key: str) -> dict:
    for chart, spec in zip(at.get("plotly_chart"), figures(at), strict=True):
        if chart.proto.id.endswith(key):
            return spec
    raise AssertionError(f"no chart {key}")


def nn_table(at: AppTest, lang: str = "en"):  # noqa: ANN201 - a DataFrame
    """The neighbours table: its columns are the word, the cosine, the word with the other seed."""
    head = [catalog(lang)["w2v.word"], catalog(lang)["w2v.cosine"]]
    (table,) = [df.value for df in at.dataframe if list(df.value.columns)[:2] == head]
    return table


def neighbours(at: AppTest, lang: str = "en") -> list[str]:
    return list(nn_table(at, lang).iloc[:, 0])


def fixed(key: str) -> str:
    """The longest fixed part of a catalog text (between its placeholders)."""
    import string

    return max((lit for lit, *_ in string.Formatter().parse(EN[key])), key=len).strip()


def shown(at: AppTest, key: str) -> bool:
    part = fixed(key)
    return any(part in str(e.value) for e in [*at.warning, *at.caption, *at.info, *at.success, *at.markdown])


def np_unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def params_shown(at: AppTest) -> dict[str, float]:
    out = {name: at.number_input(key=f"w2v_{name}").value for name in USER_DEFAULTS if name != "sg"}
    out["sg"] = at.radio(key="w2v_sg").value
    return out


# --------------------------------------------------------------------------- the default corpus, per language
@pytest.mark.parametrize("preset", LEARNING_PRESETS, ids=lambda p: p.language)
def test_the_page_starts_with_the_corpus_designed_for_the_ui_language(preset) -> None:  # noqa: ANN001
    at = load(preset.language)
    assert at.selectbox(key="w2v_preset").value == preset.id
    assert at.text_area(key="w2v_text").value == preset.text
    assert params_shown(at) == dict(USER_DEFAULTS)
    # the expected neighbours are stated, every group's words
    info = "\n".join(str(i.value) for i in at.info)
    assert all(f"`{w}`" in info for g in preset.groups for w in g)
    # and found: the first word of each group has the other two as its nearest neighbours
    for group in preset.groups:
        at.selectbox(key="w2v_nn_word").set_value(group[0]).run()
        assert set(neighbours(at, preset.language)[:2]) == set(group[1:])
        said = "\n".join(c.value for c in at.caption)
        assert catalog(preset.language)["w2v.nn_expected_yes"].split("}")[-1].strip() in said
    assert not at.warning  # nothing to warn about: it learned, and the seed does not decide
    assert at.select_slider(key="w2v_epoch_view").value == USER_DEFAULTS["epochs"]


# --------------------------------------------------------------------------- a typed corpus
def test_a_typed_corpus_trains_with_the_user_defaults_and_finds_the_expected_neighbour() -> None:
    at = load()
    at.text_area(key="w2v_text").input(CAT_DOG).run()
    assert not at.exception
    assert params_shown(at) == dict(USER_DEFAULTS)  # a typed corpus keeps the defaults that learn
    at.selectbox(key="w2v_nn_word").set_value("cat").run()
    assert neighbours(at)[0] == "dog"
    model = train_word2vec(tokenize_lines(CAT_DOG), **USER_DEFAULTS)
    cat, dog = model.wv["cat"].astype(np.float64), model.wv["dog"].astype(np.float64)
    table = nn_table(at)
    assert table["cosine"].iloc[0] == pytest.approx(cat @ dog / np.linalg.norm(cat) / np.linalg.norm(dog), abs=1e-12)
    assert table["cosine"].iloc[0] > 0.9
    assert not at.warning and shown(at, "w2v.nn_stable")


# --------------------------------------------------------------------------- honesty
def test_the_notebook_preset_is_flagged_as_noise_until_trained_to_learn() -> None:
    p = WORD2VEC_ENGLISH
    at = load(w2v_preset=p.id)
    assert params_shown(at) == dict(p.params)
    assert shown(at, "w2v.nn_noise_start") and shown(at, "w2v.learned_nothing") and shown(at, "w2v.why_sample")
    # the numbers in the explanation: the median relative change from gensim's own seeded start
    sentences = tokenize_lines(p.text, lowercase=True)
    model = train_word2vec(sentences, **p.params)
    v, d = len(model.wv), p.params["vector_size"]
    start = (np.random.default_rng(1).random((v, d), dtype=np.float32) * np.float32(2) - np.float32(1)) / np.float32(d)
    change = np.median(np.linalg.norm(model.wv.vectors - start, axis=1) / np.linalg.norm(start, axis=1))
    text = "\n".join(str(w.value) for w in at.warning)
    assert f"moved only {100 * change:.2f} %" in text
    assert "probability 25 %" in text  # a word seen once: (√(1/0.043) + 1) · 0.043 = 0.2504
    assert "about 8.9 of the 43 tokens" in text

    at.button(key="w2v_make_it_learn").click().run()
    assert not at.exception
    assert params_shown(at) == dict(USER_DEFAULTS)  # 43 tokens × 200 epochs fits the budget
    assert at.text_area(key="w2v_text").value == p.text
    assert not at.warning  # the notice is gone
    assert shown(at, "w2v.learned") and shown(at, "w2v.nn_stable")
    at.button(key="w2v_reset_params").click().run()  # back to the notebook's call: the notice again
    assert shown(at, "w2v.nn_noise_start")


def test_korean_notebook_words_become_neighbours_after_training_to_learn() -> None:
    at = load("ko", w2v_preset=WORD2VEC_KOREAN_CAT.id)
    ko = catalog("ko")
    assert any(ko["w2v.nn_noise_start"].split("{")[0] in str(w.value) for w in at.warning)
    at.button(key="w2v_make_it_learn").click().run()
    assert not at.warning
    at.selectbox(key="w2v_nn_word").set_value("고양이").run()
    assert set(neighbours(at, "ko")[:2]) == {"강아지", "호랑이"}


def test_a_long_text_gets_fewer_epochs_from_the_button() -> None:
    at = load(w2v_preset=WORD2VEC_ENGLISH.id)
    text = "\n".join([WORD2VEC_ENGLISH.text] * 10)  # 430 tokens: 50,000 / 430 = 116 epochs
    at.text_area(key="w2v_text").input(text).run()
    at.button(key="w2v_make_it_learn").click().run()
    assert not at.exception and not at.error
    assert at.number_input(key="w2v_epochs").value == 116


def test_a_long_text_lowers_the_epochs_to_fit_the_budget_and_says_so() -> None:
    at = load()
    text = "\n".join(" ".join(f"w{i}" for i in range(j, j + 10)) for j in range(0, 1000, 10))  # 1,000 tokens
    at.text_area(key="w2v_text").input(text).run()
    assert not at.exception
    assert not any("too much training" in e.value for e in at.error)  # (the attention's query word is new)
    assert at.number_input(key="w2v_epochs").value == 50  # 50,000 / 1,000
    assert any("Lowered epochs from 200 to 50" in i.value and "1000 tokens" in i.value for i in at.info)
    at.number_input(key="w2v_epochs").set_value(60).run()  # asked for by hand: the budget's message
    assert any("60 epochs" in e.value for e in at.error)
    assert at.number_input(key="w2v_epochs").value == 60


# --------------------------------------------------------------------------- watch it learn
def test_the_epoch_slider_scrubs_the_space_through_the_snapshots() -> None:
    at = load()
    runs = word2vec_cache.training_runs()
    preset = LEARNING_PRESETS[0]
    final = fig(at, "w2v_space_plot")
    assert "epoch 200 of 200" in final["layout"]["title"]["text"]
    # labels: the chosen words only (the grey points carry their word in the hover)
    labelled = [t for tr in final["data"] if "text" in tr for t in tr["text"] if t]
    assert set(labelled) <= set(preset.watch_words) and len(labelled) >= 6

    at.select_slider(key="w2v_epoch_view").set_value(0).run()
    assert not at.exception
    start = fig(at, "w2v_space_plot")
    assert "epoch 0 of 200" in start["layout"]["title"]["text"]
    assert word2vec_cache.training_runs() == runs  # scrubbing never retrains

    # independent: PCA of the final unit vectors, both epochs projected on its axes
    run = train_epochs(tokenize_lines(preset.text, lowercase=True), **USER_DEFAULTS)
    words = list(run.snapshot_words)
    u_end, u_0 = np_unit(run.snapshots[-1]), np_unit(run.snapshots[0])
    mean = u_end.mean(axis=0)
    _, _, vt = np.linalg.svd(u_end - mean)
    for figure, u in ((final, u_end), (start, u_0)):
        got = {w: (x, y) for tr in figure["data"] for w, x, y in zip(tr["customdata"], tr["x"], tr["y"], strict=True)}
        ours = np.array([got[w] for w in words])
        ref = (u - mean) @ vt[:2].T
        np.testing.assert_allclose(np.abs(ours), np.abs(ref), atol=1e-9)  # PCA's signs are a convention
    # the same axes at every epoch: the ranges do not move, and the words did move
    assert start["layout"]["xaxis"]["range"] == final["layout"]["xaxis"]["range"]
    assert np.abs(ref - (u_end - mean) @ vt[:2].T).max() > 0.3


def test_loss_and_pair_charts_show_the_training() -> None:
    at = load()
    preset = LEARNING_PRESETS[0]
    run = train_epochs(tokenize_lines(preset.text, lowercase=True), **USER_DEFAULTS)
    (loss,) = fig(at, "w2v_loss_plot")["data"]
    np.testing.assert_array_equal(loss["y"], run.losses)
    np.testing.assert_array_equal(loss["x"], np.arange(1, 201))
    pairs = fig(at, "w2v_pairs_plot")
    assert [tr["name"] for tr in pairs["data"]] == ["cat · dog", "bus · train", "bread · noodles", "cat · bus"]
    words = list(run.snapshot_words)
    for tr in pairs["data"]:
        a, b = tr["name"].split(" · ")
        u = np_unit(run.snapshots)
        np.testing.assert_allclose(tr["y"], np.sum(u[:, words.index(a)] * u[:, words.index(b)], axis=1), atol=1e-12)
    assert pairs["data"][0]["y"][-1] > 0.95 and pairs["data"][3]["y"][-1] < 0.8  # same contexts vs different
    # every axis title reads horizontally: the vertical axis' title is an annotation above it
    for key in ("w2v_loss_plot", "w2v_pairs_plot", "w2v_space_plot"):
        layout = fig(at, key)["layout"]
        assert "title" not in layout.get("yaxis", {}) and layout["annotations"][0]["font"]["size"] >= 14
        assert layout["xaxis"]["tickfont"]["size"] >= 14 and layout["font"]["size"] >= 14


def test_the_learner_chooses_the_words_of_the_heatmap_the_labels_and_the_pairs() -> None:
    at = load()
    at.multiselect(key="w2v_look").set_value(["cat", "bus", "rice", "the"]).run()
    assert not at.exception
    heat = fig(at, "w2v_cosine")["data"][0]
    assert list(heat["x"]) == ["cat", "bus", "rice", "the"] == list(heat["y"])
    run = train_epochs(tokenize_lines(LEARNING_PRESETS[0].text), **USER_DEFAULTS)
    v = np_unit(run.vectors[[run.words.index(w) for w in ("cat", "bus", "rice", "the")]])
    np.testing.assert_allclose(np.reshape(heat["z"], (4, 4)), v @ v.T, atol=1e-12)
    assert any("4 words chosen above" in c.value and "`rice`" in c.value for c in at.caption)
    labelled = {t for tr in fig(at, "w2v_space_plot")["data"] if "text" in tr for t in tr["text"] if t}
    assert labelled <= {"cat", "bus", "rice", "the"}
    # pairs follow the chosen words: of the preset's pairs only cat · bus is left; the learner picks others
    assert at.multiselect(key="w2v_pairs").value == ["cat bus"]
    assert len(at.multiselect(key="w2v_pairs").options) == 6  # every pair of the 4 words
    at.multiselect(key="w2v_pairs").set_value(["bus rice"]).run()
    assert [tr["name"] for tr in fig(at, "w2v_pairs_plot")["data"]] == ["bus · rice"]


def single_key_title(at: AppTest) -> str:
    """The single-key example's expander title (the one that names the chosen words)."""
    return next(e.label for e in at.expander if "→" in e.label)


def test_the_single_key_example_title_follows_the_chosen_words() -> None:
    at = load(w2v_preset=WORD2VEC_ENGLISH.id)
    assert single_key_title(at).endswith("`fox` → `hare` → `squirrel`")
    at.selectbox(key="w2v_single_v").set_value("tree").run()
    assert single_key_title(at).endswith("`fox` → `hare` → `tree`")


# --------------------------------------------------------------------------- stopping
def test_a_stopped_training_shows_what_it_learned_and_can_train_in_full() -> None:
    preset = LEARNING_PRESETS[0]
    sentences = tuple(map(tuple, tokenize_lines(preset.text, lowercase=True)))
    params = Word2VecParams(**USER_DEFAULTS)  # type: ignore[arg-type]
    handed: list = []
    partial = train_cached(sentences, params, on_epoch=lambda done, total: done < 30, on_stopped=handed.append)
    assert partial.run.stopped and word2vec_cache.cached_model(sentences, params) is None  # never cached
    assert handed == [partial]
    # what the page does when its stop button stopped this training in the run before
    keep_stopped("a-session", sentences, params, partial)
    at = load(**{STOP_KEY: (sentences, params), OWNER_KEY: "a-session"})
    assert shown(at, "w2v.stopped") and "after 30 of 200 epochs" in "\n".join(str(w.value) for w in at.warning)
    assert at.select_slider(key="w2v_epoch_view").options[-1] == "30"
    assert len(fig(at, "w2v_loss_plot")["data"][0]["y"]) == 30
    at.button(key="w2v_train_all").click().run()
    assert not shown(at, "w2v.stopped")
    assert at.select_slider(key="w2v_epoch_view").value == 200
    assert word2vec_cache.cached_model(sentences, params) is not None
