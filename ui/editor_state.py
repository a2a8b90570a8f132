"""A matrix editor's session keys (:mod:`ui.editors` draws the editors), and what sets them before an
editor is drawn: a link, an imported file, a reset. No widget here: the experiment model
(:mod:`ui.share.state`) writes matrices through these, below every drawing module.

Session keys, for an editor called ``key``:

- ``{key}__{sig}__v{version}``: the grid (``st.data_editor``). ``sig`` names its shape (and labels);
  ``version`` (``{key}__version``) is bumped to give the grid a fresh start (:func:`reset_editor`).
- ``{key}__text``: the text box; ``{key}__text_base`` the matrix a valid text put in the grid;
  ``{key}__synced`` the numbers the text box last agreed with.
- ``{key}__value``: the last valid matrix it returned (what a link or an export carries);
  ``{key}__load``: a matrix to start from at its next draw (:func:`queue_matrix`, e.g. from a link);
  ``{key}__grid``: the grid's widget key at its last draw, the numbers it started from and the
  numbers it held. A grid's edits are widget state, which Streamlit drops after a run that does not
  draw it (a visit to another lesson): the same grid, from the same numbers, then starts over from
  what it held (``ui.editors._matrix_input``).
- ``ui.editors.sized_matrix_editor`` adds ``{key}_rows``, ``{key}_cols`` (size inputs, kept across pages and
  always set from the matrix's shape before they are drawn), ``{key}_reset``, ``{key}__base`` (the
  matrix it starts from) and ``{key}__last`` (the last valid edit); :func:`sized_shape` reads the size.
- ``ui.editors.qkv_editors`` makes ``{key}_q``, ``{key}_k``, ``{key}_v`` and the button ``{key}_reset``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

#: The text box's key: ``{key}__text``.
TEXT_SUFFIX = "__text"


def editor_version(key: str) -> int:
    """Bumping this number gives the editor ``key`` a fresh start (for "reset"/"regenerate")."""
    return int(st.session_state.get(f"{key}__version", 0))


def restart_grid(key: str) -> None:
    """Give the editor's grid a fresh start (a new widget key)."""
    st.session_state[f"{key}__version"] = editor_version(key) + 1


def reset_editor(key: str) -> None:
    """Forget the user's edits in editor ``key`` (grid and text box): it shows its default data again.

    Safe in an ``on_click``/``on_change`` callback (the text box is refilled when next drawn).
    """
    for suffix in (TEXT_SUFFIX, "__text_base", "__synced"):
        st.session_state.pop(f"{key}{suffix}", None)
    restart_grid(key)


def queue_matrix(key: str, x: np.ndarray) -> None:
    """Make editor ``key`` show ``x`` at its next draw (a link or an imported file), through its own
    text-box path (``__text_base``): the grid starts over from ``x``. Ignored if the shape differs.

    Safe before the editor is drawn in a run (at the page's start, or in a callback).
    """
    a = np.atleast_2d(np.asarray(x, dtype=float))
    st.session_state[f"{key}__load"] = a
    st.session_state[f"{key}__value"] = a


def load_matrix(key: str, x: np.ndarray) -> None:
    """Make ``ui.editors.sized_matrix_editor`` ``key`` start over from ``x``; its size controls follow.

    Safe in an ``on_click``/``on_change`` callback (it sets the size inputs' state before they are drawn).
    """
    a = np.atleast_2d(np.asarray(x, dtype=float))
    st.session_state[f"{key}__base"] = a
    st.session_state[f"{key}_rows"] = int(a.shape[0])
    st.session_state[f"{key}_cols"] = int(a.shape[1])
    st.session_state.pop(f"{key}__last", None)
    reset_editor(key)


def sized_shape(key: str, default: tuple[int, int]) -> tuple[int, int]:
    """The size of ``ui.editors.sized_matrix_editor`` ``key`` (rows, columns): its matrix's shape, ``default``
    before its first draw. Read this, not the size inputs' widget state (which a page can read before
    they are drawn)."""
    base = st.session_state.get(f"{key}__base")
    return (int(base.shape[0]), int(base.shape[1])) if base is not None else default
