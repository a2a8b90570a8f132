"""Accessibility from the app's side: what Streamlit does not do by itself.

- :func:`page_language`: ``<html lang>`` follows the UI language (Streamlit hard-codes ``en``,
  streamlit#15726). A tiny v2 component (``a11y.js``, no HTML, no network) sets
  ``document.documentElement.lang``; ``app.py`` mounts it on every full run, in the sidebar under
  the language selector, so a switch changes it at once. The same script makes a formula that
  scrolls sideways a named tab stop (keyboard users can scroll it), marks quotes in another language
  (an emphasised quote or a code span in Hangul or Vietnamese letters) with their own ``lang``, and
  keeps the page's one polite live region.
- :func:`shortcuts_switch`: Streamlit's own single-key shortcuts (R reruns the page; C opens "Clear
  caches" for the app's owner) act page-wide, without focus: WCAG 2.1.4 asks for a way to turn them
  off. The sidebar switch does (the page's script keeps those key presses from reaching them).
- :func:`announce`: a status change (a prediction revealed, a training finished) said through that
  live region, in the UI's language, at most once per gesture; error and warning boxes are said by
  the script itself when they appear (so every bad input is, wherever its message is drawn).
- :data:`CSS` / :func:`styles`: text colours that reach WCAG AA (4.5:1) where Streamlit's own greys
  do not (captions, faded text, code), on the light and the dark theme, and a focus ring of 3:1 on
  every focused control (Streamlit's is fainter, or missing).

What is known not to be fixable from the app is listed in ``docs/accessibility.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from ui.escape import plain_line
from ui.i18n import LANGUAGES, current_language, t

LANG_KEY = "page_lang"
#: The sidebar switch of :func:`shortcuts_switch` (on: Streamlit's R and C shortcuts work).
SHORTCUTS_KEY = "single_key_shortcuts"
#: The key of :func:`announce`'s mount (``.st-key-a11y_status``: drawn nowhere).
STATUS_KEY = "a11y_status"
_SAID_KEY = "_a11y_said"  # the events announce() has sent (the latest few): none is said twice
_SAID_KEPT = 64
#: An announcement is short: a screen reader reads all of it.
MAX_ANNOUNCEMENT_CHARS = 600

_LANG = st.components.v2.component(
    "attention_lab.a11y",
    js=(Path(__file__).resolve().parent / "a11y.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


def page_language() -> str:
    """Set ``<html lang>`` to the session's UI language, and send the page's script its words (a
    scrolling formula's name, the error prefix) and the single-key switch (the component sits in the
    sidebar and draws nothing); returns the language."""
    lang = current_language()
    if lang not in LANGUAGES:  # never: current_language() only returns supported codes
        lang = "en"
    with st.sidebar:
        _LANG(key=LANG_KEY, data={"lang": lang, "texts": texts(), "shortcuts": shortcuts_on()})
    return lang


def shortcuts_on() -> bool:
    """Whether single-key shortcuts act (the sidebar switch; on until the learner turns it off)."""
    return bool(st.session_state.get(SHORTCUTS_KEY, True))


def shortcuts_switch() -> None:
    """The sidebar switch for single-key shortcuts (WCAG 2.1.4). The app has none of its own (its
    page-wide keys are arrows, Page Up/Down and Escape); Streamlit's are R (rerun) and C (clear caches,
    for the app's owner), which act wherever the focus is, so a stray key press or a word said to speech
    input can trigger them. Off, the page's script stops such key presses before Streamlit's
    page-wide listener; typing in a field and every focused control's own keys are unaffected."""
    st.sidebar.toggle(t("a11y.shortcuts"), value=True, key=SHORTCUTS_KEY, help=t("a11y.shortcuts_help"))


#: What could start markup inside a sentence (emphasis, code, links, HTML, math, tables, strikethrough,
#: Streamlit's :colour[...] directives need "[" too): escaped so the words are shown as they are.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>$~|])")


def quote(text: str, lang: str) -> str:
    """``text`` (a notebook's words in language ``lang``, not user text) as markdown for a sentence in
    the UI's language: emphasised when ``lang`` is not the UI's language, so the page's script marks it
    with its own ``lang`` (a screen reader reads it in its voice); as it is otherwise. Markdown's
    special characters are escaped: the words are shown literally."""
    words = _MARKDOWN_SPECIALS.sub(r"\\\1", plain_line(str(text)))
    return words if lang == current_language() else f"*{words}*"


def texts() -> dict[str, str]:
    """The words the page's script uses, in the UI's language."""
    return {"formula_scroll": t("a11y.formula_scroll"), "error_prefix": t("a11y.error_prefix")}


def announce(text: str, *, event: str) -> bool:
    """Say ``text`` (plain text in the UI's language) through the page's one polite live region.

    ``event`` names the status change (e.g. the trained model's key): the same event is said once, not
    again on every rerun that still shows it. At most one announcement per run (the first: a
    gesture's rerun has one thing to say) and, in the browser, per gesture. Mounted where it is
    called, so it works inside a fragment too; the mount draws nothing. Returns whether it was sent.
    """
    said = st.session_state.get(_SAID_KEY)
    if not isinstance(said, list):
        said = st.session_state[_SAID_KEY] = []
    if event in said:
        return False
    words = plain_line(str(text))[:MAX_ANNOUNCEMENT_CHARS]
    try:
        _LANG(key=STATUS_KEY, data={"say": {"id": event, "text": words}})
    except StreamlitDuplicateElementKey:  # something was said in this run already
        return False
    said.append(event)
    del said[:-_SAID_KEPT]
    return True


#: The focus ring's colour when the theme does not say (Streamlit's light theme primary here).
FOCUS_RING = "#C53948"

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
#: - the language component draws nothing: no gap for it in the sidebar, nor for an announcement;
#: - focus: Streamlit marks a focused button, expander or link with a half-transparent shadow of the
#:   primary colour (2.2:1 on white) or not at all (a link, a table's canvas); WCAG asks 3:1. Every
#:   focused control in the lesson, the sidebar and a popover gets a solid 3 px ring in the theme's
#:   primary colour (#C53948: 5.2:1 on white, 4.8:1 on the light grey); a table's canvas gets it inside
#:   its box (its frame clips what is outside); a toggle, whose input is hidden, rings its label; the
#:   table's toolbar (hidden until hovered) shows while one of its buttons has the focus;
#: - a Korean quote marked by the script (``data-a11y-lang``) is not slanted (Hangul has no italics).
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
    f".st-key-{LANG_KEY},.st-key-{STATUS_KEY}{{display:none}}"
    "em[data-a11y-lang='ko']{font-style:normal}"
    "[data-testid='stMain'] :focus-visible,[data-testid='stSidebar'] :focus-visible,"
    "[data-testid='stPopoverBody'] :focus-visible,"
    "[data-testid='stCheckbox'] label:has(input:focus-visible)"
    f"{{outline:3px solid var(--st-primary-color,{FOCUS_RING}) !important;outline-offset:2px !important}}"
    "[data-testid='stMain'] canvas:focus-visible{outline-offset:-3px !important}"
    "[data-testid='stElementToolbar']:focus-within{opacity:1 !important;z-index:3}"
    "</style>"
)


def styles() -> None:
    """Put :data:`CSS` on the page (``app.py``, every full run)."""
    st.html(CSS)
