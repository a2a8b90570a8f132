"""Numbers and labels as the lessons write them: decimals, vectors, code spans, chart labels, table columns.

Numbers are written the same way in every language (``1.2345``: no locale separators), so tables stay
comparable with the notebooks. Safety rule: user text (sentences, tokens, labels) never reaches
markdown or HTML unescaped: in prose (and in tooltips) it goes through :func:`md_code` (a code span:
nothing inside is interpreted), in figures through :func:`plot_label` (HTML-escaped, cut to a sane
length). Both live in :mod:`ui.escape`, with the other formats' escaping; they are re-exported here.

Nothing here translates (no ``ui.i18n`` import), so every other ``ui`` module may import it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from ui.escape import md_code, plot_label, shorten

__all__ = [
    "DECIMALS_KEY",
    "DEFAULT_DECIMALS",
    "decimals",
    "dim_labels",
    "fmt",
    "fmt_vec",
    "matrix_frame",
    "md_code",
    "number_columns",
    "plot_label",
    "shorten",
    "unique_labels",
]

DECIMALS_KEY = "decimals"
DEFAULT_DECIMALS = 4
_LABEL_CHARS = 24


def decimals() -> int:
    """Decimal places for numbers on screen (sidebar setting; 4 unless changed)."""
    d = st.session_state.get(DECIMALS_KEY, DEFAULT_DECIMALS)
    return int(d) if isinstance(d, int) and 0 <= d <= 10 else DEFAULT_DECIMALS


def fmt(x: float, d: int | None = None) -> str:
    """A number the same way in every language: ``1.2345`` (no locale separators)."""
    return f"{x:.{decimals() if d is None else d}f}"


def fmt_vec(v: Sequence[float] | np.ndarray, d: int | None = None) -> str:
    """``[0.5761, 0.2119]`` with the current decimals."""
    return "[" + ", ".join(fmt(float(x), d) for x in np.ravel(v)) + "]"


def unique_labels(tokens: Sequence[str], n: int = _LABEL_CHARS) -> list[str]:
    """Display labels, one per token, made distinct (charts merge equal category names).

    A token that occurs more than once gets its 1-based position: ``the #1`` … ``the #7``.
    """
    short = [shorten(tok, n) for tok in tokens]
    counts = Counter(short)
    return [f"{s} #{i + 1}" if counts[s] > 1 else s for i, s in enumerate(short)]


def dim_labels(d: int, prefix: str = "d") -> list[str]:
    """Column labels ``d1 … dn`` (language-neutral, as in the notebooks' matrices)."""
    return [f"{prefix}{j + 1}" for j in range(d)]


# --------------------------------------------------------------------------- tables
def matrix_frame(arr: np.ndarray, rows: Sequence[str], cols: Sequence[str]) -> pd.DataFrame:
    """A labelled DataFrame of a 1-D or 2-D array (a vector becomes one row).

    Shapes: (n, d) with n row labels and d column labels -> DataFrame n × d.
    """
    a = np.atleast_2d(np.asarray(arr, dtype=float))
    return pd.DataFrame(a, index=list(rows), columns=list(cols))


#: Pixels per character of a table number, and the cell's padding (the grid's 14 px tabular digits);
#: a column's header alone never makes it wider than _HEADER_PX (the full name is its hover help).
_CHAR_PX, _PAD_PX, _MIN_PX, _HEADER_PX = 8, 22, 64, 130


def number_columns(
    cols: Sequence[str], d: int, help: str | None = None, values: np.ndarray | None = None
) -> dict[str, st.column_config.NumberColumn]:
    """A number column per label, ``d`` decimals. With the table's ``values`` (n, len(cols)) each
    column is as wide as its longest number: the grid keeps a column's width from its first draw,
    so more decimals would otherwise cut the front off the numbers ("1.38414270" shown "8414270").
    A long header ("Book 2: animals in general") does not widen its column past ``_HEADER_PX``:
    the grid cuts it with "…" and hovering the header shows the full name."""
    if values is None:
        return {c: st.column_config.NumberColumn(c, format=f"%.{d}f", help=help) for c in cols}
    v = np.atleast_2d(np.asarray(values, dtype=float))
    out = {}
    for j, c in enumerate(cols):
        longest = max([len(f"{x:.{d}f}") for x in v[:, j] if np.isfinite(x)] or [1])
        header = len(str(c)) * _CHAR_PX + _PAD_PX
        width = math.ceil(max(_MIN_PX, longest * _CHAR_PX + _PAD_PX, min(header, _HEADER_PX)))
        # the tooltip is markdown: the label (user text: a token, a word) goes in as a code span
        tip = help if header <= width else (f"{md_code(str(c), 200)} · {help}" if help else md_code(str(c), 200))
        out[c] = st.column_config.NumberColumn(c, format=f"%.{d}f", help=tip, width=width)
    return out
