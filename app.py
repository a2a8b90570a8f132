"""Attention Lab: entry point. Sets up the page, the language and the navigation.

Run with ``streamlit run app.py``. Each lesson lives in ``pages/`` and also runs on its own.
"""

from __future__ import annotations

import streamlit as st

from pages import PAGES
from ui import a11y, predict, present
from ui.format import DECIMALS_KEY, DEFAULT_DECIMALS
from ui.i18n import language_selector, t

st.set_page_config(page_title="Attention Lab", page_icon="🔍", layout="wide")

language_selector()
a11y.page_language()  # <html lang> follows the UI language (Streamlit writes "en")
a11y.styles()  # readable captions and code (WCAG AA contrast)

# Written on every run (not setdefault): after a page switch the browser may redraw the slider
# from its default (1) while the app still uses the chosen value; a value set here is always sent.
st.session_state["decimals_select"] = st.session_state.get(DECIMALS_KEY, DEFAULT_DECIMALS)


def _copy_decimals() -> None:
    st.session_state[DECIMALS_KEY] = st.session_state["decimals_select"]


st.sidebar.slider(
    t("app.decimals"),
    min_value=0,
    max_value=8,
    key="decimals_select",
    on_change=_copy_decimals,
    help=t("app.decimals_help"),
)

present.switch()
predict.switch()
a11y.shortcuts_switch()  # Streamlit's single-key shortcuts (R, C) can be turned off (WCAG 2.1.4)

pages = [st.Page(p.path, title=t(p.title_key), icon=p.icon, default=(i == 0)) for i, p in enumerate(PAGES)]
st.navigation(pages).run()
