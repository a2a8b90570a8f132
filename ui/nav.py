"""The pages, in teaching order: one entry per file in ``pages/``, with each lesson's session keys.

``app.py`` builds ``st.navigation`` from this list and the home page links to it, so a new page is
added in one place. Each lesson names its key prefix (every widget and session key of the lesson
starts with it) and its widgets' defaults (what "reset" restores); tests and benchmarks read them
from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from attention_core.presets import LIBRARY, SCALED_DOT_PRODUCT, STEP_BY_STEP
from ui.live_attention import TEMPERATURE


@dataclass(frozen=True)
class PageSpec:
    """One page: its file, title and summary (catalog keys), icon, key prefix and widget defaults."""

    path: str
    title_key: str
    icon: str
    summary_key: str
    prefix: str
    defaults: Mapping[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file's stem (``"library"``), also the page's URL path."""
        return Path(self.path).stem

    def key(self, name: str) -> str:
        """A session key of this lesson: ``{prefix}_{name}``."""
        return f"{self.prefix}_{name}"

    @property
    def temperature_key(self) -> str:
        """Where the lesson keeps the temperature its live view reports."""
        return self.key("temperature")

    @property
    def live_key(self) -> str:
        """The lesson's live attention view."""
        return self.key("live")


def _defaults(prefix: str, **values: object) -> Mapping[str, object]:
    """``{prefix}_{name}: value`` for each name, the temperature's default included."""
    out = {f"{prefix}_temperature": TEMPERATURE.default}
    out.update({f"{prefix}_{name}": value for name, value in values.items()})
    return MappingProxyType(out)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "nav.home", "🏠", "nav.home_summary", "home", _defaults("home")),
    PageSpec(
        "pages/library.py",
        "nav.library",
        "📚",
        "nav.library_summary",
        "library",
        _defaults("library", scale=LIBRARY.scale),
    ),
    PageSpec(
        "pages/step_by_step.py",
        "nav.step_by_step",
        "🔢",
        "nav.step_by_step_summary",
        "sbs",
        _defaults(
            "sbs",
            sentence=STEP_BY_STEP.sentence,
            seed=STEP_BY_STEP.seed,
            dim=STEP_BY_STEP.dim,
            heads=1,
            scale=STEP_BY_STEP.scale,
            causal=False,
        ),
    ),
    PageSpec(
        "pages/self_attention.py",
        "nav.self_attention",
        "🔁",
        "nav.self_attention_summary",
        "self",
        _defaults("self", preset="3x3", scale=False),
    ),
    PageSpec("pages/pooling.py", "nav.pooling", "🎯", "nav.pooling_summary", "pool", _defaults("pool", seed=0)),
    PageSpec(
        "pages/scaled_dot_product.py",
        "nav.scaled_dot_product",
        "📐",
        "nav.scaled_dot_product_summary",
        "scaled_dot_product",
        _defaults("scaled_dot_product", scale=SCALED_DOT_PRODUCT.scale),
    ),
    PageSpec("pages/word2vec.py", "nav.word2vec", "🧪", "nav.word2vec_summary", "w2v", _defaults("w2v")),
)
#: The pages by name: ``LESSONS["library"].temperature_key == "library_temperature"``.
LESSONS: Mapping[str, PageSpec] = MappingProxyType({p.name: p for p in PAGES})


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
