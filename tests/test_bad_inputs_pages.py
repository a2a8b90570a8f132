"""The bad-input catalogue (tests/bad_inputs.py) on every page where it can be typed, with AppTest.

For every entry: no exception; the message the catalogue expects, in the UI's language
(every fixed part of the catalog text is on screen); what the user typed still in the box;
the rest of the page still drawn (a control after the input is there). Markup typed by the
user never reaches markdown outside a code span, nor a chart label unescaped.

One AppTest per (page, language) is reused across entries (each entry sets the input and
reruns), which keeps the whole file at about a second per entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.limits import (
    CROSS_MAX_TOKENS,
    DK_MAX_KEYS,
    KV_MAX_DIM,
    KV_MAX_TOKENS,
    MAX_CORPUS_TOKENS,
    MAX_EPOCHS,
    MAX_HEADS,
    MAX_MATRIX_SIZE,
    MAX_MODEL_DIM,
    MAX_NEGATIVE,
    MAX_SEQUENCE_TOKENS,
    MAX_TEXT_CHARS,
    MAX_TRAINING_PASSES,
    MAX_VECTOR_SIZE,
    MAX_WINDOW,
    SEED_LIMIT,
)
from attention_core.matrix_text import format_matrix
from attention_core.presets import LIBRARY, MASKS, POOLING, SCALED_DOT_PRODUCT, SELF_ATTENTION_3X3
from pages import LESSONS
from tests.apptest_helpers import figures
from tests.bad_inputs import (
    CELL,
    MARKUP,
    MATRIX,
    OK,
    QUERY_PARAMS,
    SIZE,
    TEXT,
    W2V_TEXT,
    WARN,
    Bad,
    matrix_text,
)
from ui.editors import MAX_MATRIX_TEXT_CHARS
from ui.i18n import catalog

_APPS: dict[tuple[str, str, str], AppTest] = {}


def app(page: str, lang: str = "en", slot: str = "") -> AppTest:
    """An AppTest already on ``pages/{page}.py`` in ``lang``, one per (page, language, test group), reused."""
    key = (page, lang, slot)
    if key not in _APPS:
        at = AppTest.from_file("../app.py", default_timeout=60)
        at.session_state["lang"] = lang
        if page == "word2vec":  # the notebook's corpus and call, as these checks were written for
            at.session_state["w2v_preset"] = "english"
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
        _APPS[key] = at
    return _APPS[key]


# --------------------------------------------------------------------------- checks
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def messages(at: AppTest) -> list[str]:
    """Every error and warning box of the last run."""
    return [str(e.value) for e in [*at.error, *at.warning]]


def shows(at: AppTest, key: str, lang: str = "en") -> bool:
    """True when one message box holds every fixed part of catalog text ``key`` in ``lang``."""
    return any(_matches(m, key, lang) for m in messages(at))


def assert_shows(at: AppTest, key: str, lang: str = "en") -> None:
    assert shows(at, key, lang), f"{key} not among the messages: {messages(at)}"


def _matches(message: str, key: str, lang: str = "en") -> bool:
    parts = [p.strip() for p in _PLACEHOLDER.split(catalog(lang)[key]) if len(p.strip()) >= 2]
    return all(p in message for p in parts)


def assert_ok(at: AppTest, *allowed: str) -> None:
    """No error box, except messages of the ``allowed`` catalog keys."""
    errors = [str(e.value) for e in at.error if not any(_matches(str(e.value), k) for k in allowed)]
    assert not errors, errors


def assert_drawn_after(at: AppTest, widget_key: str) -> None:
    """The rest of the page still renders: a control drawn after the input is there."""
    keys = {w.key for w in [*at.slider, *at.button, *at.number_input, *at.toggle]}
    assert widget_key in keys, f"{widget_key} missing: the page stopped early"


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list | tuple):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, np.ndarray) and node.dtype.kind in "US":
        yield from (str(x) for x in node.ravel())


def assert_literal(at: AppTest) -> None:
    """User markup reaches markdown only inside code spans, and chart labels only escaped."""
    md = [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success, *at.title, *at.header]
    md += [*at.subheader, *at.latex]
    for el in md:
        bare = _CODE_SPAN.sub("", str(el.value))
        for bad in MARKUP:
            assert bad not in bare, f"{bad!r} rendered as markdown in {el.value[:200]!r}"
    for fig in figures(at):
        for s in _strings(fig):
            assert "<script" not in s and "<img" not in s and "<a href" not in s, s[:200]
            assert not (len(s) > 1 and s.startswith("$") and s.endswith("$")), s  # plotly would typeset it


# --------------------------------------------------------------------------- text: sentences and corpora
#: page -> (input kind, widget key, catalog keys of the "capped" warning, a control drawn after it)
TEXT_PAGES = {
    "step_by_step": ("text_input", "sbs_sentence", ("sbs.capped",), "sbs_causal"),
    "word2vec": ("text_area", "w2v_text", ("w2v.corpus_cut", "w2v.text_cut"), "w2v_reset_params"),
}


def _type(at: AppTest, kind: str, key: str, value: str) -> str:
    """Type ``value`` as a browser would (it cuts a paste at the box's max_chars); returns what was typed."""
    box = getattr(at, kind)(key=key)
    limit = box.proto.max_chars
    typed = value[:limit] if limit else value
    box.input(typed).run()
    return typed


@pytest.mark.parametrize("page", list(TEXT_PAGES))
@pytest.mark.parametrize("entry", TEXT, ids=[e.id for e in TEXT])
def test_text(entry: Bad, page: str) -> None:
    kind, key, warn_keys, later = TEXT_PAGES[page]
    at = app(page, slot="text")
    typed = _type(at, kind, key, entry.value)
    assert not at.exception, at.exception
    assert getattr(at, kind)(key=key).value == typed  # what the user typed stays in the box
    # Word2Vec: a new corpus may lack the query word chosen before; the page says so once and picks another
    allowed = ("error.unknown_word",) if page == "word2vec" else ()
    if entry.expect == OK:
        assert_ok(at, *allowed)
    elif entry.expect == WARN:
        assert_ok(at, *allowed)
        assert any(shows(at, k) for k in warn_keys), messages(at)
    else:
        assert_shows(at, f"error.{entry.expect}")
    assert_drawn_after(at, later)
    assert_literal(at)


def test_vietnamese_decomposed_sentence_still_matches_the_notebook() -> None:
    """NFD "Tôi thích học AI" is the same four tokens as the notebook's NFC sentence."""
    at = app("step_by_step", slot="text")
    nfd = next(e.value for e in TEXT if e.id == "vietnamese_nfd")
    _type(at, "text_input", "sbs_sentence", nfd)
    assert any(s.value == catalog("en")["common.matches_notebook"] for s in at.success)


# --------------------------------------------------------------------------- matrices typed as text
#: page -> (text box key, default matrix, resizable, a control drawn after the editor)
MATRIX_PAGES = {
    "library": ("library_k__text", np.array(LIBRARY.keys), False, "library_scale"),
    "scaled_dot_product": ("scaled_dot_product_k__text", np.array(SCALED_DOT_PRODUCT.keys), False, None),
    "self_attention": ("self_x__text", np.array(SELF_ATTENTION_3X3.x), True, "self_scale"),
    "pooling": ("pool_x__text", np.array(POOLING.x), True, "pool_random"),
    "step_by_step": ("sbs_wq_s42__text", None, False, "sbs_causal"),
}
MATRIX_PAGES["scaled_dot_product"] = (*MATRIX_PAGES["scaled_dot_product"][:3], "scaled_dot_product_scale")
#: a shorter list on the pages whose editor is built the same way as one fully tested
SHORT = {"cell_text", "cell_nan", "cell_1e309", "cell_1e308", "matrix_empty", "matrix_ragged", "matrix_all_1e308"}
FULL_PAGES = {"library", "self_attention"}


def _cases() -> list[Any]:
    out = []
    for page in MATRIX_PAGES:
        for e in CELL + MATRIX:
            if page in FULL_PAGES or e.id in SHORT:
                out.append(pytest.param(page, e, id=f"{page}-{e.id}"))
    return out


def _default(page: str) -> np.ndarray:
    if page == "step_by_step":
        from attention_core import random_tables
        from attention_core.presets import STEP_BY_STEP as P

        return random_tables(4, P.dim, P.seed).w_q
    return MATRIX_PAGES[page][1]


def _expected(entry: Bad, resizable: bool) -> str:
    """What the page must say: the parse error, or (valid text) what the lesson's math says."""
    if entry.id == "matrix_too_big" and not resizable:
        return "matrix_shape"  # a fixed-size matrix names the size it needs
    if entry.id in ("matrix_drop_column", "matrix_add_row") and resizable:
        return OK  # the table takes the new size
    if entry.expect != OK:
        return entry.expect
    return entry.then if entry.kind == "matrix" else "any"  # one cell of 1e308: depends on the lesson


@pytest.mark.parametrize(("page", "entry"), _cases())
def test_matrix_text(page: str, entry: Bad) -> None:
    key, _, resizable, later = MATRIX_PAGES[page]
    text = matrix_text(entry, _default(page))
    at = app(page, slot="matrix")
    at.text_area(key=key).input(text).run()
    assert not at.exception, at.exception
    assert at.text_area(key=key).value == text  # the text stays in the box, good or bad
    expected = _expected(entry, resizable)
    if expected == OK:
        assert_ok(at)
    elif expected == "any":
        assert not at.error or shows(at, "error.score_overflow"), messages(at)
    else:
        assert_shows(at, f"error.{expected}")
    if expected.startswith(("cell_", "row_", "matrix_", "shape_", "decimal")):  # right under the text box
        assert any(ex.error for ex in at.expander), "the message is not in the text box's expander"
    assert_drawn_after(at, later)
    assert_literal(at)


def test_valid_text_and_grid_stay_in_sync() -> None:
    """A valid text becomes the matrix the lesson uses, 1e308 included; reset brings both back."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/self_attention.py").run()
    at.text_area(key="self_x__text").input("1e308 0\n0 -1e308\n1 2\n3 4").run()
    assert not at.exception
    assert at.number_input(key="self_x_rows").value == 4 and at.number_input(key="self_x_cols").value == 2
    x = at.session_state["self_x__last"]  # the X the lesson computes with (the editor's last valid matrix)
    assert x.tolist() == [[1e308, 0.0], [0.0, -1e308], [1.0, 2.0], [3.0, 4.0]]
    assert_shows(at, "error.score_overflow")  # X·Xᵀ overflows: said next to the lesson, not a NaN
    at.button(key="self_x_reset").click().run()
    assert at.session_state["self_x__last"].tolist() == np.array(SELF_ATTENTION_3X3.x).tolist()
    assert at.text_area(key="self_x__text").value == format_matrix(SELF_ATTENTION_3X3.x)


# --------------------------------------------------------------------------- size controls (step by step)
SIZE_KEYS = {"dim": ("sbs_dim", "error.limit"), "seed": ("sbs_seed", "error.limit"), "heads": ("sbs_heads", None)}


@pytest.mark.parametrize("entry", SIZE, ids=[e.id for e in SIZE])
def test_size_controls(entry: Bad) -> None:
    control, number = entry.value
    key, _ = SIZE_KEYS[control]
    at = app("step_by_step", slot="size")
    for other, (k, _) in SIZE_KEYS.items():  # the other controls at their defaults
        if other != control:
            at.number_input(key=k).set_value({"dim": 4, "seed": 42, "heads": 1}[other])
    at.number_input(key=key).set_value(number).run()
    assert not at.exception, at.exception
    assert at.number_input(key=key).value == number
    if control == "heads" and entry.expect == "limit":
        assert_shows(at, "sbs.heads_limit")
    else:
        assert_shows(at, f"error.{entry.expect}")
    assert_drawn_after(at, "sbs_causal")
    at.number_input(key=key).set_value({"dim": 4, "seed": 42, "heads": 1}[control]).run()
    assert_ok(at)


# --------------------------------------------------------------------------- Word2Vec
def test_word2vec_min_count_above_every_count() -> None:
    at = app("word2vec")
    at.text_area(key="w2v_text").input(W2V_TEXT).run()
    at.number_input(key="w2v_min_count").set_value(999).run()
    assert not at.exception
    assert_shows(at, "error.empty_vocabulary")
    assert at.number_input(key="w2v_min_count").value == 999
    assert_drawn_after(at, "w2v_reset_params")
    at.button(key="w2v_reset_params").click().run()
    assert_ok(at)


def test_word2vec_one_word_corpus() -> None:
    at = app("word2vec")
    at.text_area(key="w2v_text").input("cat").run()
    at.number_input(key="w2v_min_count").set_value(1).run()
    assert not at.exception
    assert_ok(at)
    assert any(i.value == catalog("en")["w2v.one_key"] for i in at.info)  # softmax over one key is 1


def test_word2vec_training_budget_is_a_message_next_to_the_parameters() -> None:
    at = app("word2vec")
    text = " ".join(f"w{i}" for i in range(2_000))
    at.text_area(key="w2v_text").input(text).run()
    at.number_input(key="w2v_min_count").set_value(1)
    at.number_input(key="w2v_epochs").set_value(MAX_EPOCHS).run()
    assert not at.exception
    assert_shows(at, "error.training_budget")
    assert at.number_input(key="w2v_epochs").value == MAX_EPOCHS
    at.number_input(key="w2v_epochs").set_value(5).run()
    assert_ok(at)


def test_word2vec_query_word_not_in_the_vocabulary() -> None:
    """A query word the vocabulary lacks (e.g. left from another corpus): a note (not an error: the
    learner changed the corpus, nothing is wrong), then another word."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["w2v_preset"] = "english"
    at.session_state["w2v_query"] = "<script>zebra</script>"
    at.switch_page("pages/word2vec.py").run()
    assert not at.exception
    assert any(_matches(str(i.value), "error.unknown_word") for i in at.info), [i.value for i in at.info]
    assert_literal(at)
    assert at.selectbox(key="w2v_query").value in W2V_TEXT.split()  # the lesson goes on with a known word
    assert_drawn_after(at, "w2v_scale")


def test_word2vec_extreme_parameters_are_bounded_and_stated() -> None:
    at = app("word2vec")
    for name, hi in (("vector_size", MAX_VECTOR_SIZE), ("epochs", MAX_EPOCHS), ("window", MAX_WINDOW)):
        box = at.number_input(key=f"w2v_{name}")
        assert box.max == hi and str(hi) in box.help
    assert at.number_input(key="w2v_negative").max == MAX_NEGATIVE
    assert "50000" in at.number_input(key="w2v_epochs").help  # the training budget is stated


# --------------------------------------------------------------------------- other languages
@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_messages_in_the_ui_language(lang: str) -> None:
    at = app("step_by_step", lang)
    at.text_input(key="sbs_sentence").input("   ").run()
    assert not at.exception
    assert_shows(at, "error.empty_text", lang)
    assert at.text_input(key="sbs_sentence").value == "   "

    at = app("library", lang)
    at.text_area(key="library_k__text").input("1 0 1\n0.5 abc 0.5\n0 0.5 1").run()
    assert not at.exception
    assert_shows(at, "error.cell_not_number", lang)
    assert not shows(at, "error.cell_not_number", "en")
    at.text_area(key="library_k__text").input("1 0 1\n0,5 1 0,5\n0 0.5 1").run()
    assert_shows(at, "error.decimal_comma", lang)

    at = app("word2vec", lang)
    at.text_area(key="w2v_text").input(W2V_TEXT).run()
    at.number_input(key="w2v_min_count").set_value(999).run()
    assert not at.exception
    assert_shows(at, "error.empty_vocabulary", lang)


# --------------------------------------------------------------------------- URL query parameters
ALL_PAGES = list(LESSONS)  # every page, from the registry


@pytest.mark.parametrize("page", ALL_PAGES)
def test_query_parameters_never_break_a_page(page: str) -> None:
    """No page reads a query parameter yet: unknown, mistyped, out-of-range and huge ones are ignored."""
    for entry in QUERY_PARAMS:
        at = AppTest.from_file("../app.py", default_timeout=60)
        at.query_params.update(entry.value)
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (entry.id, at.exception)
        assert_ok(at)
        assert_literal(at)


# --------------------------------------------------------------------------- limits stated in the UI
#: page -> (widget kind, key, the limit its help must state)
LIMIT_HELP = {
    "step_by_step": [
        ("text_input", "sbs_sentence", MAX_SEQUENCE_TOKENS),
        ("number_input", "sbs_dim", MAX_MODEL_DIM),
        ("number_input", "sbs_heads", MAX_HEADS),
        ("number_input", "sbs_seed", SEED_LIMIT - 1),
        ("text_area", "sbs_wq_s42__text", MAX_MATRIX_TEXT_CHARS),
    ],
    "self_attention": [
        ("number_input", "self_x_rows", MAX_MATRIX_SIZE),
        ("number_input", "self_x_cols", MAX_MATRIX_SIZE),
        ("text_area", "self_x__text", MAX_MATRIX_SIZE),
    ],
    "pooling": [
        ("number_input", "pool_x_rows", MAX_MATRIX_SIZE),
        ("number_input", "pool_x_cols", MAX_MATRIX_SIZE),
        ("text_area", "pool_x__text", MAX_MATRIX_SIZE),
        ("number_input", "pool_seed", SEED_LIMIT - 1),
    ],
    "library": [("text_area", "library_q__text", MAX_MATRIX_TEXT_CHARS)],
    "scaled_dot_product": [("text_area", "scaled_dot_product_v__text", MAX_MATRIX_TEXT_CHARS)],
    "sqrt_dk": [("slider", "dk_n_keys", DK_MAX_KEYS), ("number_input", "dk_seed", SEED_LIMIT - 1)],
    "kv_cache": [
        ("text_input", "kv_sentence", KV_MAX_TOKENS),
        ("number_input", "kv_dim", KV_MAX_DIM),
        ("number_input", "kv_seed", SEED_LIMIT - 1),
    ],
    "masks": [
        ("text_input", "masks_s1", MASKS.max_tokens),
        ("number_input", "masks_dim", MAX_MODEL_DIM),
        ("number_input", "masks_seed", SEED_LIMIT - 1),
    ],
    "word2vec": [
        ("text_area", "w2v_text", MAX_CORPUS_TOKENS),
        ("text_area", "w2v_text", MAX_TEXT_CHARS),
        ("number_input", "w2v_epochs", MAX_TRAINING_PASSES),
        ("number_input", "w2v_min_count", MAX_CORPUS_TOKENS),
        ("number_input", "w2v_negative", MAX_NEGATIVE),
    ],
}
# issue 26: the cross-attention lesson's two sentences state their word limit
LIMIT_HELP["cross_attention"] = [
    ("text_input", "cross_source", CROSS_MAX_TOKENS),
    ("text_input", "cross_target", CROSS_MAX_TOKENS),
]


@pytest.mark.parametrize("page", list(LIMIT_HELP))
@pytest.mark.parametrize("lang", ["en", "vi", "ko"])
def test_limits_are_stated_in_the_help_texts(page: str, lang: str) -> None:
    at = app(page, lang, slot="help")
    for kind, key, limit in LIMIT_HELP[page]:
        box = getattr(at, kind)(key=key)
        # numbers as written in any language: 5000, 5,000, 5.000 (thousands separators dropped)
        numbers = {int(re.sub(r"[,.\s]", "", n)) for n in re.findall(r"\d{1,3}(?:[,.]\d{3})+|\d+", box.help or "")}
        assert limit in numbers, (key, limit, box.help)
