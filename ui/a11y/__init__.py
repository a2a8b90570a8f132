"""Accessibility from the app's side: what Streamlit does not do by itself.

- :func:`page_language`: ``<html lang>`` follows the UI language (Streamlit hard-codes ``en``,
  streamlit#15726). A tiny v2 component (``a11y.js``, no HTML, no network) sets
  ``document.documentElement.lang``; ``app.py`` mounts it on every full run, in the sidebar under
  the language selector, so a switch changes it at once. The same script makes a formula that
  scrolls sideways a named tab stop (keyboard users can scroll it).
- :data:`CSS` / :func:`styles`: text colours that reach WCAG AA (4.5:1) where Streamlit's own greys
  do not (captions, faded text, code), on the light and the dark theme.

What is known not to be fixable from the app is listed in ``docs/accessibility.md``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import LANGUAGES, current_language, t

LANG_KEY = "page_lang"

_LANG = st.components.v2.component(
    "attention_lab.a11y",
    js=(Path(__file__).resolve().parent / "a11y.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


def page_language() -> str:
    """Set ``<html lang>`` to the session's UI language, and name the formulas that scroll (the component
    sits in the sidebar and draws nothing); returns the language."""
    lang = current_language()
    if lang not in LANGUAGES:  # never: current_language() only returns supported codes
        lang = "en"
    with st.sidebar:
        _LANG(key=LANG_KEY, data={"lang": lang, "texts": {"formula_scroll": t("a11y.formula_scroll")}})
    return lang


#: Styles only (no user text), for every page, in the light and the dark theme alike:
#:
#: - captions: Streamlit draws them in the text colour at opacity 0.6, which is 3.8:1 on the light
#:   theme's white and 3.7:1 on its grey (#f7f7f6); at 0.75 they are 5.9:1 and more (dark theme: 8.6:1
#:   and more), and still read as secondary text;
#: - code: the syntax colours (keyword blue, number teal, …) are a fixed palette, 2.5 to 3.6:1 on the
#:   light code background: every token takes the code's own text colour (keywords in bold, comments
#:   stay italic);
#: - a folded sidebar is hidden, not only moved off screen: Tab never lands on a link no one sees;
#: - a lesson's section titles (h2: the page's outline skips no level) keep a subheader's size in a column;
#: - the language component draws nothing: no gap for it in the sidebar.
CSS = (
    "<style>"
    "[data-testid='stCaptionContainer']{opacity:.75}"
    # a folded sidebar (a phone's, or one the learner closed) is off screen: out of the tab order too
    # (every descendant too: Streamlit's help icons set visibility:visible on themselves)
    "[data-testid='stSidebar'][data-collapsed='true'],"
    "[data-testid='stSidebar'][data-collapsed='true'] *{visibility:hidden !important}"
    "pre code .token{color:inherit !important}"
    "pre code .token.keyword{font-weight:600}"
    # lessons' section titles are h2 (after the page's h1: no level skipped), drawn at h3's size in a column
    "[data-testid='stMain'] [data-testid='stColumn'] h2{font-size:1.75rem;line-height:1.2;padding:.75rem 0 1rem}"
    f".st-key-{LANG_KEY}{{display:none}}"
    "</style>"
)


def styles() -> None:
    """Put :data:`CSS` on the page (``app.py``, every full run)."""
    st.html(CSS)
