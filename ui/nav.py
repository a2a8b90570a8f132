"""The lessons, in teaching order: one entry per file in ``pages/``.

``app.py`` builds ``st.navigation`` from this list and the home page links to it,
so a new page is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    summary_key: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "nav.home", "🏠", "nav.home_summary"),
    PageSpec("pages/library.py", "nav.library", "📚", "nav.library_summary"),
    PageSpec("pages/step_by_step.py", "nav.step_by_step", "🔢", "nav.step_by_step_summary"),
    PageSpec("pages/self_attention.py", "nav.self_attention", "🔁", "nav.self_attention_summary"),
    PageSpec("pages/pooling.py", "nav.pooling", "🎯", "nav.pooling_summary"),
    PageSpec("pages/scaled_dot_product.py", "nav.scaled_dot_product", "📐", "nav.scaled_dot_product_summary"),
    PageSpec("pages/word2vec.py", "nav.word2vec", "🧪", "nav.word2vec_summary"),
)


def require_app_navigation() -> None:
    """Make a page opened by direct link run inside ``app.py``'s navigation.

    Streamlit keeps a process-wide flag for apps with a ``pages/`` folder: until
    some session has called ``st.navigation``, a URL such as ``/step_by_step``
    runs the page file *alone* with auto-discovered navigation (no language
    selector, no wide layout, file names as titles). Each page calls this first:
    if it is running in that legacy mode, switch the flag off and rerun, so the
    same URL is served through ``app.py`` (page hashes depend only on the URL
    path, so the rerun lands on the same page). Once off, this is a no-op.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
