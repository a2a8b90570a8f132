"""Translation: one catalog per language, ``ui/locales/<lang>/*.toml``, and ``t(key, **params)``.

Each language's catalog is split into one TOML file per page (``home.toml``,
``library.toml``, …) plus ``common.toml``; the files are merged, and a key defined
twice is an error.

The chosen language lives under the plain session key ``"lang"`` (no widget owns it,
so it survives page changes and runs where the selector is not drawn). Until the user
picks one, the browser's language (``st.context.locale``) decides. Numbers are never
localised: matrices must stay comparable with the notebooks.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

LANGUAGES: dict[str, str] = {"en": "English", "vi": "Tiếng Việt", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
LANG_KEY = "lang"
_LOCALES = Path(__file__).with_name("locales")


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


def current_language() -> str:
    """The session's language: the user's choice, else the browser's, else English."""
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
    lang = current_language()
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def term(name: str) -> str:
    """A name the engine puts in its messages (``"tokens"``, ``"scores"``) in the session's language.

    Names without an ``error_name.*`` entry (symbols such as ``X``, ``W_q``, ``Q·Kᵀ``, gensim's
    parameter names) are returned unchanged.
    """
    key = f"error_name.{name}"
    return t(key) if key in catalog(DEFAULT_LANGUAGE) else name


def language_selector() -> None:
    """Sidebar selector; switching keeps every widget value (widgets have keys)."""
    lang = current_language()
    st.session_state.setdefault("lang_select", lang)

    def _copy() -> None:
        st.session_state[LANG_KEY] = st.session_state["lang_select"]

    st.sidebar.selectbox(
        "🌐 " + t("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key="lang_select",
        on_change=_copy,
    )
