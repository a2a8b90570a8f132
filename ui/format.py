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
import unicodedata
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


# --------------------------------------------------------------------------- honest rounding
#: The most decimals :func:`honest_decimals` adds on its own (Decimal places may ask for more).
HONEST_LIMIT = 6
#: Two weights closer than this (relative) are a tie: the same number (identical keys give identical weights).
TIE_RTOL = 1e-12
#: What a nonzero number too small to show at the limit is written as (never a bare 0).
NEAR_ZERO = "≈0"


def honest_decimals(
    values: Sequence[float] | np.ndarray | float,
    d: int | None = None,
    *,
    distinct: bool = False,
    limit: int = HONEST_LIMIT,
) -> int:
    """How many decimals to write ``values`` with, so that rounding tells no untruth: the page's
    Decimal places ``d``, raised (up to ``max(d, limit)``, never lowered) until

    - every nonzero number keeps its first significant digit: at 0 decimals 0.53 is ``0.5``, not ``1``,
      and 0.004 at 2 decimals is ``0.004``, not ``0.00`` (an output [5.97, 0.53, 3.73] is never [6, 1, 4]);
    - with ``distinct`` (a row of weights): numbers that differ never look the same, so weights
      [0.576, 0.212, 0.212] at 0 decimals read ``0.6, 0.2, 0.2``, not ``1, 0, 0``. Ties (within
      :data:`TIE_RTOL`) are the same number and look the same.

    A nonzero number smaller than half a unit of the last place even at the limit does not push the
    decimals (float noise such as 1e-17 would otherwise widen every number); it is written
    :data:`NEAR_ZERO` (:func:`fmt_honest`). ``ui/live_attention/format.js`` (``honestDecimals``)
    applies the same rule to the live view's cells, narration and explanation.
    """
    d0 = decimals() if d is None else int(d)
    top = max(d0, int(limit))
    a = np.asarray(values, dtype=float).ravel()
    a = a[np.isfinite(a)]
    mags = np.abs(a[a != 0])
    mags = mags[mags >= 0.5 * 10.0**-top]
    p = d0
    if mags.size:
        p = max(p, min(top, int(-np.floor(np.log10(mags.min())))))
    if distinct and a.size > 1:
        u = np.unique(a[(a == 0) | (np.abs(a) >= 0.5 * 10.0**-top)])  # those below are all "≈0"
        keep = [u[0]]
        for x in u[1:]:  # ties are one number
            if abs(x - keep[-1]) > TIE_RTOL * max(abs(x), abs(keep[-1])):
                keep.append(x)
        while p < top and any(f"{x:.{p}f}" == f"{y:.{p}f}" for x, y in zip(keep, keep[1:])):
            p += 1
    return p


def fmt_honest(x: float, p: int) -> str:
    """``x`` at ``p`` decimals; a nonzero ``x`` that would read as 0 is :data:`NEAR_ZERO`, and -0 is 0."""
    s = f"{x:.{p}f}"
    if float(s) == 0:
        return NEAR_ZERO if x != 0 and math.isfinite(x) else f"{0:.{p}f}"
    return s


def fmt(x: float, d: int | None = None) -> str:
    """A number the same way in every language: ``1.2345`` (no locale separators). Without ``d``, at the
    page's decimals made honest (:func:`honest_decimals`: 0.53 at 0 decimals is ``0.5``); with ``d``, exactly."""
    if d is not None:
        return f"{x:.{d}f}"
    return fmt_honest(float(x), honest_decimals([x]))


def fmt_vec(v: Sequence[float] | np.ndarray, d: int | None = None) -> str:
    """``[0.5761, 0.2119]``: one number of decimals for the whole vector, the page's made honest
    (:func:`honest_decimals`), or exactly ``d``."""
    flat = [float(x) for x in np.ravel(v)]
    if d is not None:
        return "[" + ", ".join(f"{x:.{d}f}" for x in flat) + "]"
    p = honest_decimals(flat)
    return "[" + ", ".join(fmt_honest(x, p) for x in flat) + "]"


def weight_decimals(weights: Sequence[float] | np.ndarray, d: int | None = None) -> int:
    """The decimals of a row of weights: honest, and weights that differ look different."""
    return honest_decimals(weights, d, distinct=True)


def fmt_weights(weights: Sequence[float] | np.ndarray) -> str:
    """A row of weights, ``[0.5761, 0.2119, 0.2119]``, at :func:`weight_decimals`."""
    flat = [float(x) for x in np.ravel(weights)]
    p = weight_decimals(flat)
    return "[" + ", ".join(fmt_honest(x, p) for x in flat) + "]"


def fmt_weight(w: float, row: Sequence[float] | np.ndarray) -> str:
    """One weight of ``row`` at the row's :func:`weight_decimals` (so it reads as it does in the row)."""
    return fmt_honest(float(w), weight_decimals(row))


def ties(values: Sequence[float] | np.ndarray, best: float) -> list[int]:
    """The positions of ``values`` equal to ``best`` (within :data:`TIE_RTOL`): every key tied for it."""
    a = np.asarray(values, dtype=float).ravel()
    return [i for i, x in enumerate(a) if abs(x - best) <= TIE_RTOL * max(abs(x), abs(best))]


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


#: Pixels per character of a table number, and a cell's padding (the grid's 14 px tabular digits).
_CHAR_PX, _PAD_PX, _MIN_PX = 8, 22, 64
#: How wide a header's or row label's characters are at the grid's 14 px (Source Sans, semi-bold),
#: by kind; :func:`text_px` adds a margin so that it is never less than Chromium draws (checked on
#: every catalog text and in tests/browser/test_state_walk.py): a column is never narrower than its name.
_NARROW_CHARS = frozenset("ijlftrI!|.,:;'`()[]")
_BROAD_CHARS = frozenset("MWmw@%")
_TEXT_MARGIN = 1.12


def _char_px(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in "WF":
        return 15.0  # Hangul, CJK
    if ch in _BROAD_CHARS:
        return 12.0
    if ch == " ":
        return 3.5
    if ch in _NARROW_CHARS:
        return 4.5
    if ch.isdigit():
        return 7.7
    return 9.0 if ch.isupper() else 7.0


def text_px(text: str) -> float:
    """About how wide ``text`` is in a table's 14 px font, never less than drawn (a few % more)."""
    return _TEXT_MARGIN * sum(_char_px(ch) for ch in str(text))


def label_width(labels: Sequence[str]) -> int:
    """The width of a column of labels (a table's index): its longest label, padded."""
    return math.ceil(max([text_px(x) for x in labels] or [0.0]) + _PAD_PX)


def column_widths(cols: Sequence[str], d: int, values: np.ndarray, *, weights: bool = False) -> list[tuple[int, str]]:
    """Each column's (width in px, printf format): as wide as its longest number and its whole name."""
    v = np.atleast_2d(np.asarray(values, dtype=float))
    out = []
    for j, c in enumerate(cols):
        col = v[:, j][np.isfinite(v[:, j])]
        tiny = weights and bool(np.any((col != 0) & (np.abs(col) < 0.5 * 10.0**-d)))
        form = f"%.{min(max(d, 1), 4)}e" if tiny else f"%.{d}f"
        longest = max([len(form % x) for x in col] or [1])
        width = math.ceil(max(_MIN_PX, longest * _CHAR_PX + _PAD_PX, text_px(str(c)) + _PAD_PX))
        out.append((width, form))
    return out


def number_columns(
    cols: Sequence[str],
    d: int,
    help: str | None = None,
    values: np.ndarray | None = None,
    *,
    weights: bool = False,
) -> dict[str, st.column_config.NumberColumn]:
    """A number column per label, ``d`` decimals. With the table's ``values`` (n, len(cols)) each
    column is as wide as its longest number and its whole header (:func:`column_widths`): the grid
    keeps a column's width from its first draw, so more decimals would otherwise cut the front off
    the numbers ("1.38414270" shown "8414270"), and it cuts a long header with "…" ("Book 2: animals
    in gen…"). With ``weights``, a column holding a nonzero weight too small for ``d`` decimals shows
    it in scientific notation (``2.0612e-09``) rather than as a bare 0."""
    if values is None:
        return {c: st.column_config.NumberColumn(c, format=f"%.{d}f", help=help) for c in cols}
    return {
        c: st.column_config.NumberColumn(c, format=form, help=help, width=width)
        for c, (width, form) in zip(cols, column_widths(cols, d, values, weights=weights), strict=True)
    }
