"""Choosing the language: ``?lang=`` links, the sidebar selector, and a switch that keeps the user's work.

- ``?lang=vi|ko|en`` opens the app in that language and the selector follows it; a choice made in
  the selector is written back to the URL; a value that names no language is ignored with a notice
  in the UI's language (never an exception).
- On every page: change some values, switch the language with the sidebar selector (as a user
  does), rerun: the values and the page are kept, the labels are in the new language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import set_temperature, temperature, temperature_label
from ui.i18n import LANGUAGES, catalog, language_from_param

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def cat(lang: str, key: str) -> str:
    return catalog(lang)[key]


def open_app(page: str | None = None, *, params: dict[str, str] | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if lang:
        at.session_state["lang"] = lang
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


#: The live-class section's own captions (how to start a class), which sit in the sidebar too.
_CLASS_TEXTS = {v for lang in LANGUAGES for k, v in catalog(lang).items() if k.startswith("class.")}


def notices(at: AppTest) -> list[str]:
    """The sidebar's notices (a bad ``?lang=``), not the class section's captions."""
    return [c.value for c in at.sidebar.caption if c.value not in _CLASS_TEXTS]


def selector_value(at: AppTest) -> str:
    return str(at.selectbox(key="lang_select").value)


def url_lang(at: AppTest) -> str | None:
    value = at.query_params.get("lang")
    return value[-1] if isinstance(value, list) else value


def switch_language(at: AppTest, lang: str) -> None:
    """The user picks ``lang`` in the sidebar (the selector's on_change copies it to the session)."""
    at.selectbox(key="lang_select").set_value(lang).run()
    assert not at.exception, [e.message for e in at.exception]


# --------------------------------------------------------------------------- ?lang=
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_lang_param_opens_the_app_in_that_language(lang: str) -> None:
    at = open_app(params={"lang": lang})
    assert selector_value(at) == lang
    assert at.sidebar.selectbox[0].label.endswith(cat(lang, "app.language"))
    assert at.get("page_link")[0].proto.label == cat(lang, "nav.library")
    assert notices(at) == []  # no notice


@pytest.mark.parametrize(("page", "title"), [("pages/library.py", "library.title"), ("pages/word2vec.py", "w2v.title")])
def test_lang_param_on_a_page_link(page: str, title: str) -> None:
    at = open_app(page, params={"lang": "ko"})
    assert at.title[0].value == cat("ko", title)
    assert selector_value(at) == "ko"


@pytest.mark.parametrize(("value", "lang"), [("VI", "vi"), ("ko-KR", "ko"), (" en ", "en"), ("vi_VN", "vi")])
def test_lang_param_spellings(value: str, lang: str) -> None:
    assert language_from_param(value) == lang
    assert selector_value(open_app(params={"lang": value})) == lang


@pytest.mark.parametrize(
    "value",
    ["fr", "", "x" * 500, "<b>vi</b>", "`ko`", "vi;ko", "../../etc", "🇻🇳", "**en**", "$x$", "nan", "0"],
)
def test_bad_lang_param_is_ignored_with_a_notice(value: str) -> None:
    at = open_app(params={"lang": value}, lang="vi")
    assert selector_value(at) == "vi"  # the language does not change
    assert at.title[0].value == cat("vi", "home.title")
    notes = notices(at)
    if value.strip():
        assert len(notes) == 1, notes
        note = notes[0]
        head = cat("vi", "app.lang_param_bad").split("{value}")[0]
        assert note.startswith(head), note  # in the UI's language
        assert "`" in note and len(note) < 300  # the value is shown literally, cut short
    # and the notice keeps no exception on later runs
    at.run()
    assert not at.exception


def test_bad_lang_param_without_a_choice_uses_the_default() -> None:
    at = open_app(params={"lang": "de"})
    assert selector_value(at) == "en"
    assert len(notices(at)) == 1
    assert notices(at)[0].startswith(cat("en", "app.lang_param_bad").split("{value}")[0])


def test_selector_writes_the_url_and_follows_a_new_url() -> None:
    at = open_app(params={"lang": "vi"})
    switch_language(at, "ko")
    assert url_lang(at) == "ko"
    assert at.get("page_link")[0].proto.label == cat("ko", "nav.library")
    # a later link with another language wins over the earlier choice
    at.query_params["lang"] = "en"
    at.run()
    assert selector_value(at) == "en"
    assert at.get("page_link")[0].proto.label == cat("en", "nav.library")
    # a bad one afterwards is ignored, the notice is in English now, and the URL is cleaned
    at.query_params["lang"] = "zz"
    at.run()
    assert selector_value(at) == "en"
    assert len(notices(at)) == 1
    assert url_lang(at) == "en"


def test_selector_choice_goes_into_the_url_without_a_param() -> None:
    at = open_app()
    assert url_lang(at) is None  # the browser's language: nothing written
    switch_language(at, "vi")
    assert url_lang(at) == "vi"


def test_page_set_language_is_shown_by_the_selector() -> None:
    """A page run with the session's language set (as page tests do) and the selector agree."""
    at = open_app("pages/pooling.py", lang="ko")
    assert selector_value(at) == "ko"
    assert at.title[0].value == cat("ko", "pool.title")


# --------------------------------------------------------------------------- a switch keeps the work
def _first_table(at: AppTest) -> np.ndarray:
    return next(d.value for d in at.dataframe if d.proto.editing_mode == 0).to_numpy(dtype=float)


def _editor_key(at: AppTest, prefix: str) -> str:
    return next(d.key for d in at.dataframe if d.key and d.key.startswith(prefix))


class Work:
    """Some values a user changes on one page, and how to read them back."""

    def __init__(self, page: str, title: str, label: tuple[str, Callable[[AppTest], str]]) -> None:
        self.page, self.title, self.label = page, title, label

    def change(self, at: AppTest) -> None:
        raise NotImplementedError

    def check(self, at: AppTest) -> None:
        raise NotImplementedError


class Home(Work):
    def change(self, at: AppTest) -> None:
        set_temperature(at, "home_temperature", 2.5).run()

    def check(self, at: AppTest) -> None:
        assert temperature(at, "home_temperature") == 2.5


class Library(Work):
    def change(self, at: AppTest) -> None:
        # the request asks for a bit of everything: d2 = 1 (a cell edit, as the grid sends it)
        key = _editor_key(at, "library_q")
        at.session_state[key] = {"edited_rows": {0: {"d2": 1.0}}, "added_rows": [], "deleted_rows": []}
        at.toggle(key="library_scale").set_value(True)
        set_temperature(at, "library_temperature", 2.0).run()

    def check(self, at: AppTest) -> None:
        assert at.toggle(key="library_scale").value is True
        assert temperature(at, "library_temperature") == 2.0
        # q = [1, 1, 1] against the keys (the scores table lists the books as rows: it fits their long names)
        np.testing.assert_allclose(_first_table(at).ravel(), [2.5, 2.0, 1.5])


class StepByStep(Work):
    def change(self, at: AppTest) -> None:
        at.text_input(key="sbs_sentence").set_value("Tôi thích AI lắm")
        at.number_input(key="sbs_heads").set_value(2)
        at.toggle(key="sbs_causal").set_value(True)
        set_temperature(at, "sbs_temperature", 0.5).run()

    def check(self, at: AppTest) -> None:
        assert at.text_input(key="sbs_sentence").value == "Tôi thích AI lắm"
        assert at.number_input(key="sbs_heads").value == 2
        assert at.toggle(key="sbs_causal").value is True
        assert temperature(at, "sbs_temperature") == 0.5
        assert at.radio(key="sbs_head").options == ["1", "2"]


class SelfAttention(Work):
    def change(self, at: AppTest) -> None:
        at.radio(key="self_preset").set_value("5x4").run()
        at.number_input(key="self_x_rows").set_value(3)
        at.toggle(key="self_scale").set_value(True)
        set_temperature(at, "self_temperature", 1.5).run()

    def check(self, at: AppTest) -> None:
        assert at.radio(key="self_preset").value == "5x4"
        assert at.number_input(key="self_x_rows").value == 3
        assert at.toggle(key="self_scale").value is True
        assert temperature(at, "self_temperature") == 1.5
        assert _first_table(at).shape == (3, 3)  # the scores of 3 tokens


class Pooling(Work):
    def change(self, at: AppTest) -> None:
        at.slider(key="pool_w_0").set_value(1.5).run()
        at.number_input(key="pool_x_cols").set_value(4).run()
        set_temperature(at, "pool_temperature", 0.5).run()

    def check(self, at: AppTest) -> None:
        assert at.slider(key="pool_w_0").value == 1.5
        assert at.number_input(key="pool_w_0_num").value == 1.5
        assert at.number_input(key="pool_x_cols").value == 4
        assert temperature(at, "pool_temperature") == 0.5


class ScaledDotProduct(Work):
    def change(self, at: AppTest) -> None:
        at.toggle(key="scaled_dot_product_scale").set_value(False)
        set_temperature(at, "scaled_dot_product_temperature", 3.0).run()

    def check(self, at: AppTest) -> None:
        assert at.toggle(key="scaled_dot_product_scale").value is False
        assert temperature(at, "scaled_dot_product_temperature") == 3.0


class Word2Vec(Work):
    TEXT = "mèo thích cá\nchó thích xương\nmèo và chó"

    def change(self, at: AppTest) -> None:
        at.text_area(key="w2v_text").set_value(self.TEXT)
        at.number_input(key="w2v_epochs").set_value(7)
        at.radio(key="w2v_sg").set_value(0).run()
        at.radio(key="w2v_keys_from").set_value("words")
        set_temperature(at, "w2v_temperature", 0.7).run()

    def check(self, at: AppTest) -> None:
        assert at.text_area(key="w2v_text").value == self.TEXT
        assert at.number_input(key="w2v_epochs").value == 7
        assert at.radio(key="w2v_sg").value == 0
        assert at.radio(key="w2v_keys_from").value == "words"
        assert temperature(at, "w2v_temperature") == 0.7


WORK: list[Work] = [
    Home("pages/home.py", "home.live_title", ("common.temperature", lambda at: temperature_label(at))),
    Library("pages/library.py", "library.title", ("common.scale", lambda at: at.toggle(key="library_scale").label)),
    StepByStep(
        "pages/step_by_step.py", "sbs.title", ("sbs.sentence", lambda at: at.text_input(key="sbs_sentence").label)
    ),
    SelfAttention(
        "pages/self_attention.py", "self.title", ("self.preset", lambda at: at.radio(key="self_preset").label)
    ),
    Pooling("pages/pooling.py", "pool.title", ("pool.seed", lambda at: at.number_input(key="pool_seed").label)),
    ScaledDotProduct(
        "pages/scaled_dot_product.py",
        "scaled_dot_product.title",
        ("common.temperature", lambda at: temperature_label(at)),
    ),
    Word2Vec("pages/word2vec.py", "w2v.title", ("w2v.text", lambda at: at.text_area(key="w2v_text").label)),
]


def _title(at: AppTest, work: Work, lang: str) -> None:
    shown = [h.value for h in (*at.title, *at.header)]
    assert cat(lang, work.title) in shown, shown


@pytest.mark.parametrize(("first", "then"), [("en", "vi"), ("vi", "ko")])
@pytest.mark.parametrize("work", WORK, ids=lambda w: Path(w.page).stem)
def test_language_switch_keeps_values_and_page(work: Work, first: str, then: str) -> None:
    at = open_app(work.page, lang=first)
    work.change(at)
    assert not at.exception, [e.message for e in at.exception]
    work.check(at)
    key, read_label = work.label
    assert read_label(at) == cat(first, key)

    switch_language(at, then)
    work.check(at)  # every value kept
    _title(at, work, then)  # same page
    assert read_label(at) == cat(then, key)  # labels in the new language
    assert selector_value(at) == then

    switch_language(at, first)  # and back
    work.check(at)
    assert read_label(at) == cat(first, key)


# --------------------------------------------------------------------------- browser language
@pytest.mark.parametrize(("locale", "lang"), [("vi-VN", "vi"), ("ko-KR", "ko"), ("en-GB", "en"), ("fr-FR", "en")])
def test_default_language_follows_the_browser(locale: str, lang: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.context["locale"] = locale
    at.switch_page("pages/library.py").run()
    assert not at.exception
    assert selector_value(at) == lang
    assert at.title[0].value == cat(lang, "library.title")
    assert url_lang(at) is None  # nothing chosen: the link stays plain


def test_link_and_choice_win_over_the_browser() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.context["locale"] = "ko-KR"
    at.query_params["lang"] = "vi"
    at.run()
    assert selector_value(at) == "vi"
    switch_language(at, "en")
    at.run()
    assert selector_value(at) == "en"
    assert at.get("page_link")[0].proto.label == cat("en", "nav.library")


# --------------------------------------------------------------------------- numbers
_NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d+(?:e[-+]?\d+)?")


def _numbers(at: AppTest) -> list[str]:
    """Every decimal number written on screen (prose, labels, tables' text, plot labels), sorted."""
    from tests.test_i18n_pages import screen_text

    return sorted(n for _, _, text in screen_text(at) for n in _NUMBER.findall(text))


@pytest.mark.parametrize("page", ["pages/library.py", "pages/step_by_step.py", "pages/pooling.py"])
def test_numbers_are_written_the_same_in_every_language(page: str) -> None:
    """Same digits, same decimal point, no thousands separators: the screens differ only in words."""
    written = {lang: _numbers(open_app(page, lang=lang)) for lang in LANGUAGES}
    assert len(written["en"]) > 10
    assert written["vi"] == written["en"]
    assert written["ko"] == written["en"]


# --------------------------------------------------------------------------- the seeds' own words
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_seed_presets_keep_their_own_words(lang: str) -> None:
    """The notebooks' examples are data: “Tôi thích học AI” and “고양이 책 찾고 싶어요” in every language."""
    from attention_core.presets import LIBRARY, STEP_BY_STEP, WORD2VEC_PRESETS

    at = open_app("pages/step_by_step.py", lang=lang)
    assert at.text_input(key="sbs_sentence").value == STEP_BY_STEP.sentence == "Tôi thích học AI"
    assert "Tôi thích học AI" in " ".join(m.value for m in at.markdown)  # the intro names it as it is

    at = open_app("pages/library.py", lang=lang)
    captions = " ".join(c.value for c in at.caption)
    assert LIBRARY.query_label in captions and all(b in captions for b in LIBRARY.book_labels)

    at = open_app("pages/word2vec.py", lang=lang)
    preset = at.selectbox(key="w2v_preset")
    cat_id = next(p.id for p in WORD2VEC_PRESETS if p.id == "korean_cat")
    label = catalog(lang)[f"w2v.preset_{cat_id}"]
    assert "고양이 책 찾고 싶어요" in label
    preset.set_value(cat_id).run()
    assert not at.exception
    korean = next(p for p in WORD2VEC_PRESETS if p.id == cat_id)
    assert at.text_area(key="w2v_text").value == korean.text
