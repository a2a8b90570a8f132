"""What a lesson is (:class:`PageSpec`), and the registry of the lessons the app runs.

A lesson is declared once, as ``SPEC = PageSpec(...)`` in its own file (``pages/<name>.py``, or the
lesson's package in ``lessons/`` when it has one): its name, place in the teaching order, title,
icon, key prefix, its *experiment* (the fields with their defaults and limits: what a link, a JSON
file, a notebook and "reset" read), its recipe (the notebook, JSON and CSV exports) and its steps.
The ``pages`` package finds every declaration, checks them and registers them here (:func:`register`);
``app.py``, the tests and the benchmarks read ``pages.PAGES``. Nothing in ``ui/`` imports a page: the
kit reads the registered lessons through :func:`lessons` and :func:`pages`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from attention_core.presets import LibraryPreset, ScaledDotProductPreset
from ui.share.fields import Experiment, Field, Flag, Matrix, Temperature
from ui.values import TEMPERATURE

if TYPE_CHECKING:  # only the type: the recipes are the lessons' (a lesson names its own)
    from ui.export.recipes import RecipeFor


@dataclass(frozen=True, kw_only=True)
class PageSpec:
    """One lesson, declared once: its name (its file's stem and URL path), its place in the teaching
    order, title and summary (catalog keys), icon, key prefix, experiment (its fields, each with its
    default and limits: what a link, a file, reset and the tests read), recipe and steps."""

    #: the file's stem (``"library"``: ``pages/library.py``), also the page's URL path
    name: str
    #: its place in the teaching order (the home page is 0; leave gaps, so a lesson fits between two)
    order: int
    title_key: str
    icon: str
    summary_key: str
    prefix: str
    experiment: Experiment
    #: its notebook, JSON and CSV exports, and the weights Compare A/B shows (``ui.export.recipes``)
    recipe: RecipeFor
    #: the title keys of its numbered steps, in order (step n is stage n of presentation mode)
    steps: tuple[str, ...] = ()

    @cached_property
    def defaults(self) -> Mapping[str, object]:
        """``{prefix}_{name}: default`` of every field kept under its own session key whose default
        does not depend on other values: what :func:`ui.lesson.start` puts in place and "reset"
        restores. Written once, in the field (matrices keep theirs in their editor)."""
        return MappingProxyType(
            {
                self.key(f.name): f.default
                for f in self.experiment
                if f.store == "key" and f.default is not None and not callable(f.default)
            }
        )

    @property
    def path(self) -> str:
        """The page file, relative to ``app.py``: ``pages/{name}.py``."""
        return f"pages/{self.name}.py"

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


# --------------------------------------------------------------------------- experiments (ui.share)
def lesson_experiment(*fields: Field) -> Experiment:
    """A lesson's experiment: its ``fields``, then the live view's temperature (every lesson has one)."""
    return Experiment((*fields, Temperature("temperature", TEMPERATURE.default)))


def qkv_experiment(preset: LibraryPreset | ScaledDotProductPreset) -> Experiment:
    """The query/key/value lessons (library, scaled dot-product): the scaling switch and the three
    editable tables, each of the preset's shape."""
    tables = {"q": preset.query, "k": preset.keys, "v": preset.values}
    shapes = {name: np.shape(m) for name, m in tables.items()}
    return lesson_experiment(
        Flag("scale", preset.scale, bound=True),
        *(Matrix(n, np.array(tables[n], dtype=float), shape=lambda s, n=n: shapes[n]) for n in "qkv"),
    )


# --------------------------------------------------------------------------- the registry
_REGISTERED: list[PageSpec] = []


def register(specs: Sequence[PageSpec]) -> None:
    """Make ``specs`` (every lesson, in teaching order) the lessons the kit links and lists. Called
    once by the ``pages`` package when it has found and checked the declarations."""
    _REGISTERED[:] = specs


def pages() -> tuple[PageSpec, ...]:
    """The registered lessons in teaching order (the home page first)."""
    if not _REGISTERED:
        raise LookupError("no lesson is registered: import the `pages` package first (app.py does)")
    return tuple(_REGISTERED)


def lessons() -> Mapping[str, PageSpec]:
    """The registered lessons by name: ``lessons()["library"].prefix == "library"``."""
    return MappingProxyType({p.name: p for p in pages()})


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
