"""Translation: one catalog per language, ``ui/locales/<lang>/*.toml``, and ``t(key, **params)``.

Each language's catalog is split into one TOML file per page (``home.toml``,
``library.toml``, …) plus ``common.toml``; the files are merged, and a key defined
twice is an error.

The chosen language lives under the plain session key ``"lang"`` (no widget owns it,
so it survives page changes and runs where the selector is not drawn). Until the user
picks one, the browser's language (``st.context.locale``) decides. A ``?lang=vi|ko|en``
URL parameter overrides both (a teacher shares a link in the class's language); the
sidebar selector follows it and writes a new choice back to the URL. Numbers are never
localised: matrices must stay comparable with the notebooks.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from attention_core.errors import AttentionLabError

from .escape import md_code

LANGUAGES: dict[str, str] = {"en": "English", "vi": "Tiếng Việt", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
LANG_KEY = "lang"
SELECT_KEY = "lang_select"
#: ``?lang=vi`` in the URL picks the language (a link a teacher shares with the class).
QUERY_KEY = "lang"
MAX_PARAM_CHARS = 16
_URL_SEEN = "_lang_url_seen"  # the last ?lang= value applied (or written) by this session
_URL_BAD = "_lang_url_bad"  # a ?lang= value that names no language: a notice says it was ignored
_CHOSEN = "_lang_chosen"  # the language came from the URL or the selector: keep it in the URL
_LOCALES = Path(__file__).with_name("locales")
#: The library example's books (``LIBRARY.book_ids``) -> their names' keys, written out in one place
#: (the home page, the library lesson and their notebooks name the books).
BOOK_KEYS: dict[str, str] = {"cats": "books.cats", "animals": "books.animals", "hobbies": "books.hobbies"}


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for k, v in tree.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            flat.update(_flatten(v, key + "."))
        else:
            flat[key] = str(v)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """The flat ``{"section.key": text}`` catalog of one language (empty if it has no files yet)."""
    merged: dict[str, str] = {}
    for path in sorted((_LOCALES / lang).glob("*.toml")):
        with path.open("rb") as f:
            flat = _flatten(tomllib.load(f))
        twice = merged.keys() & flat.keys()
        if twice:
            raise ValueError(f"{path}: keys already defined in another file: {sorted(twice)[:5]}")
        merged.update(flat)
    return merged


def language_from_locale(locale: str | None) -> str:
    """Map a browser locale such as ``"vi-VN"`` or ``"ko"`` to a supported language code."""
    if locale:
        code = locale.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def language_from_param(value: str | None) -> str | None:
    """The language a ``?lang=`` value asks for (``"vi"``, ``"KO"``, ``"vi-VN"``), or None if it is not one."""
    if not value or len(value) > MAX_PARAM_CHARS:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def _url_language() -> str | None:
    """A valid ``?lang=`` the session has not applied yet (the URL changed); remembers a bad one.

    Called on every ``t()``: cheap, and never raises (no URL in a bare script run).
    """
    try:
        values = st.query_params.get_all(QUERY_KEY)
    except Exception:  # noqa: BLE001 - no script run context
        return None
    if not values:
        return None
    raw = str(values[-1])
    if raw == st.session_state.get(_URL_SEEN):
        return None
    st.session_state[_URL_SEEN] = raw
    lang = language_from_param(raw)
    if lang is None:
        st.session_state[_URL_BAD] = raw
    else:
        st.session_state.pop(_URL_BAD, None)
    return lang


def current_language() -> str:
    """The session's language: a new ``?lang=`` in the URL, else the user's choice, else the browser's,
    else English."""
    lang = _url_language()
    if lang is not None:
        st.session_state[LANG_KEY] = lang
        st.session_state[_CHOSEN] = True
        return lang
    lang = st.session_state.get(LANG_KEY)
    if lang in LANGUAGES:
        return str(lang)
    try:
        locale = st.context.locale
    except Exception:  # noqa: BLE001 - no browser context (bare script run)
        locale = None
    lang = language_from_locale(locale)
    st.session_state[LANG_KEY] = lang
    return lang


def t(key: str, **params: Any) -> str:
    """The text of ``key`` in the session's language, with ``{placeholders}`` filled.

    Falls back to English, then to the key itself, so a missing entry shows up
    on screen (and in the catalog tests) instead of crashing the page.
    """
    return text_in(current_language(), key, **params)


def text_in(lang: str, key: str, **params: Any) -> str:
    """Like :func:`t`, in a given language and without a script run (for files built on a download)."""
    text = (
        catalog(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    )
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


#: The engine's short English names of what it checks (``{name}`` in its messages) -> their keys.
ERROR_NAME_KEYS: dict[str, str] = {
    "scores": "error_name.scores",
    "mask": "error_name.mask",
    "weights": "error_name.weights",
    "seed": "error_name.seed",
    "tokens": "error_name.tokens",
    "dim": "error_name.dim",
    "embeddings": "error_name.embeddings",
}


def term(name: str) -> str:
    """A name the engine puts in its messages (``"tokens"``, ``"scores"``) in the session's language.

    Names without an ``error_name.*`` entry (symbols such as ``X``, ``W_q``, ``Q·Kᵀ``, gensim's
    parameter names) are returned unchanged.
    """
    key = ERROR_NAME_KEYS.get(name)
    return t(key) if key is not None and key in catalog(DEFAULT_LANGUAGE) else name


def _set_url_language(lang: str) -> None:
    """Write ``?lang=`` (a link copied now opens in this language); never re-read as a change."""
    try:
        if st.query_params.get(QUERY_KEY) != lang:
            st.query_params[QUERY_KEY] = lang
    except Exception:  # noqa: BLE001 - no script run context
        return
    st.session_state[_URL_SEEN] = lang


def language_selector() -> None:
    """Sidebar selector; switching keeps every widget value (widgets have keys) and the page.

    It follows ``?lang=`` (a teacher's link), and a choice made here is written back to the URL.
    A ``?lang=`` that names no language is ignored, with a small notice under the selector.
    """
    lang = current_language()
    st.session_state[SELECT_KEY] = lang  # in sync with the URL or a page that set the language

    def _copy() -> None:
        chosen = st.session_state[SELECT_KEY]
        st.session_state[LANG_KEY] = chosen
        st.session_state[_CHOSEN] = True
        st.session_state.pop(_URL_BAD, None)
        _set_url_language(chosen)

    st.sidebar.selectbox(
        "🌐 " + t("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=SELECT_KEY,
        on_change=_copy,
    )
    if st.session_state.get(_CHOSEN):
        _set_url_language(lang)  # navigation drops query parameters: put it back
    bad = st.session_state.get(_URL_BAD)
    if bad is not None:
        st.sidebar.caption(t("app.lang_param_bad", value=md_code(str(bad), 20), options=", ".join(LANGUAGES)))


# --------------------------------------------------------------------------- the engine's errors
#: The engine's error codes (``AttentionLabError.code``, and :class:`ui.values.BadValue`'s) -> their
#: messages' keys, written out so that grep finds them. A code without an entry gets
#: :data:`FALLBACK_ERROR_KEY` (tests/test_i18n_errors.py checks that every raised code has one).
ERROR_KEYS: dict[str, str] = {
    "invalid_input": "error.invalid_input",
    "shape_not_numeric": "error.shape_not_numeric",
    "shape_rank": "error.shape_rank",
    "shape_empty": "error.shape_empty",
    "shape_mismatch": "error.shape_mismatch",
    "mask_not_bool": "error.mask_not_bool",
    "mask_shape": "error.mask_shape",
    "heads_invalid": "error.heads_invalid",
    "heads_not_divisor": "error.heads_not_divisor",
    "non_finite": "error.non_finite",
    "score_overflow": "error.score_overflow",
    "temperature": "error.temperature",
    "fully_masked": "error.fully_masked",
    "empty_text": "error.empty_text",
    "limit": "error.limit",
    "empty_vocabulary": "error.empty_vocabulary",
    "unknown_word": "error.unknown_word",
    "cell_empty": "error.cell_empty",
    "cell_not_number": "error.cell_not_number",
    "decimal_comma": "error.decimal_comma",
    "cell_non_finite": "error.cell_non_finite",
    "cell_out_of_range": "error.cell_out_of_range",
    "training_budget": "error.training_budget",
    "row_length": "error.row_length",
    "matrix_shape": "error.matrix_shape",
    "matrix_too_big": "error.matrix_too_big",
    "text_control": "error.text_control",
    "text_bidi": "error.text_bidi",
    "text_encoding": "error.text_encoding",
    "not_text": "error.not_text",
    "not_number": "error.not_number",
    "number_too_big": "error.number_too_big",
    "number_not_finite": "error.number_not_finite",
}
#: A code the table does not know: the generic message.
FALLBACK_ERROR_KEY = "error.invalid_input"


def error_text(exc: AttentionLabError) -> str:
    """The engine's error in the UI's language (its code and parameters pick the text)."""
    params = {k: (", ".join(map(str, v)) if isinstance(v, tuple) else v) for k, v in exc.params.items()}
    for user_text in ("word", "cell", "dot"):  # typed by the user: shown literally
        if user_text in params:
            params[user_text] = md_code(str(params[user_text]))
    if "name" in params:  # the engine's short English name ("tokens", "scores") in the UI's language
        params["name"] = term(str(params["name"]))
    key = ERROR_KEYS.get(exc.code, FALLBACK_ERROR_KEY)
    text = t(key, **params)
    return text if text != key else t(FALLBACK_ERROR_KEY)


def show_error(exc: AttentionLabError) -> None:
    """Show the engine's error as a message box (never a traceback)."""
    st.error(error_text(exc), icon="⚠️")
