"""Matrices typed or pasted as text: one row per line, numbers separated by spaces, commas or tabs.

The data grid of a page cannot take every number (it has no ``1e308``), so pages also
offer a text box; this module reads it, and says exactly which cell is wrong:

    1   0   1          -> [[1, 0, 1],
    0.5, 1e308, -2         [0.5, 1e308, -2]]

Rules: blank lines are skipped; ``[`` and ``]`` are ignored (a numpy printout pastes
as is); a line with a comma, a semicolon or a tab is split on those (so an empty cell
between two commas is found), any other line on spaces (so is ``0,5 1,5``: its commas are
taken for decimal commas, and refused with a hint to write ``0.5``); a trailing separator is
ignored; full-width digits (typed with a CJK input method) and the minus sign ``−``
are accepted; decimals use a dot. Every number must be finite.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .errors import LimitError, NonFiniteError, ShapeError

Array = NDArray[np.float64]

_BRACKETS = str.maketrans("", "", "[]")
_LISTED = re.compile(r"[,;\t]")
_TRAILING = re.compile(r"[\s,;]+$")
#: "0,5 1,5": numbers separated by spaces with commas inside them (decimal commas, not separators).
_DECIMAL_COMMAS = re.compile(r"^(?=.*\d,\d)(?=.*\S +\S)(?!.*(, | ,|[;\t]))")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_NAMED_NON_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)$", re.IGNORECASE)
#: Characters shown of a bad cell in a message (a 5,000-character "number" is cut).
_CELL_CHARS = 30


def _cells(line: str) -> list[str]:
    line = _TRAILING.sub("", line.translate(_BRACKETS).strip())
    if _LISTED.search(line) and not _DECIMAL_COMMAS.search(line):
        return [c.strip() for c in _LISTED.split(line)]
    return line.split()


def _short(cell: str) -> str:
    return cell if len(cell) <= _CELL_CHARS else cell[: _CELL_CHARS - 1] + "…"


def parse_number(cell: str, *, name: str = "X", row: int = 1, col: int = 1) -> float:
    """One cell's text as a finite float.

    ``row``/``col`` (1-based) only name the cell in the error. Raises :class:`ShapeError`
    ``cell_empty`` {name, row, col}, ``decimal_comma`` {name, row, col, cell, dot} (``0,5``) or
    ``cell_not_number`` {name, row, col, cell};
    :class:`NonFiniteError` ``cell_non_finite`` (NaN, inf) or ``cell_out_of_range``
    (beyond ±1.8e308), both {name, row, col, cell}.
    """
    text = unicodedata.normalize("NFKC", cell).strip().replace("\u2212", "-")
    where = {"name": name, "row": row, "col": col}
    if not text:
        raise ShapeError(f"{name}: row {row}, column {col} is empty", code="cell_empty", **where)
    try:
        value = float(text)
    except ValueError:
        if _DECIMAL_COMMA.match(text):
            raise ShapeError(
                f"{name}: row {row}, column {col}: {text!r} uses a comma for decimals; write {text.replace(',', '.')}",
                code="decimal_comma",
                cell=_short(text),
                dot=_short(text.replace(",", ".")),
                **where,
            ) from None
        raise ShapeError(
            f"{name}: row {row}, column {col}: {_short(text)!r} is not a number",
            code="cell_not_number",
            cell=_short(text),
            **where,
        ) from None
    if math.isfinite(value):
        return value
    if _NAMED_NON_FINITE.match(text.replace("_", "")):
        raise NonFiniteError(
            f"{name}: row {row}, column {col}: {text!r} is not a finite number",
            code="cell_non_finite",
            cell=_short(text),
            **where,
        )
    raise NonFiniteError(
        f"{name}: row {row}, column {col}: {_short(text)!r} is beyond the float64 range (about ±1.8e308)",
        code="cell_out_of_range",
        cell=_short(text),
        **where,
    )


def parse_matrix(
    text: str,
    name: str = "X",
    *,
    shape: tuple[int, int] | None = None,
    max_rows: int | None = None,
    max_cols: int | None = None,
) -> Array:
    """Read a matrix typed as text: one row per non-blank line.

    Shapes: text with n non-blank lines of d numbers each -> (n, d) float64, every value finite.
    With ``shape`` the result must be exactly that shape; ``max_rows``/``max_cols`` bound it.

    Raises, checked in this order (so a wrong size is found before any number is read):

    - :class:`ShapeError` ``shape_empty`` {name}: no number at all
    - :class:`LimitError` ``matrix_too_big`` {name, rows, cols, max_rows, max_cols}: more rows or
      columns than ``max_rows``/``max_cols``
    - :class:`ShapeError` ``row_length`` {name, row, got, expected}: a row with another count of
      numbers than the first row
    - :class:`ShapeError` ``matrix_shape`` {name, rows, cols, got_rows, got_cols}: another shape
      than ``shape``
    - the cell errors of :func:`parse_number` (``cell_empty``, ``decimal_comma``, ``cell_not_number``,
      ``cell_non_finite``, ``cell_out_of_range``), the first bad cell reading row by row
    """
    rows = [c for c in (_cells(line) for line in str(text).splitlines()) if c]
    if not rows:
        raise ShapeError(f"{name} is empty: type one row of numbers per line", code="shape_empty", name=name)
    n, d = len(rows), max(len(r) for r in rows)
    if (max_rows is not None and n > max_rows) or (max_cols is not None and d > max_cols):
        raise LimitError(
            f"{name} has {n} rows and {d} columns; at most {max_rows} × {max_cols} is allowed",
            code="matrix_too_big",
            name=name,
            rows=n,
            cols=d,
            max_rows=max_rows if max_rows is not None else n,
            max_cols=max_cols if max_cols is not None else d,
        )
    expected = len(rows[0])
    for i, cells in enumerate(rows):
        if len(cells) != expected:
            raise ShapeError(
                f"{name}: row {i + 1} has {len(cells)} numbers but row 1 has {expected}",
                code="row_length",
                name=name,
                row=i + 1,
                got=len(cells),
                expected=expected,
            )
    if shape is not None and (n, expected) != tuple(shape):
        raise ShapeError(
            f"{name} must be {shape[0]} × {shape[1]}; the text gives {n} × {expected}",
            code="matrix_shape",
            name=name,
            rows=shape[0],
            cols=shape[1],
            got_rows=n,
            got_cols=expected,
        )
    return np.array(
        [[parse_number(c, name=name, row=i + 1, col=j + 1) for j, c in enumerate(r)] for i, r in enumerate(rows)],
        dtype=np.float64,
    )


def format_number(x: float) -> str:
    """The shortest text that reads back as exactly ``x``: ``1``, ``0.5``, ``1e+308``."""
    s = repr(float(x))
    return s[:-2] if s.endswith(".0") else s


def format_matrix(a: Sequence[Sequence[float]] | Array) -> str:
    """A matrix as text that :func:`parse_matrix` reads back exactly (one row per line).

    Shapes: (n, d) or (d,) -> n lines of d numbers separated by two spaces.
    """
    m = np.atleast_2d(np.asarray(a, dtype=np.float64))
    return "\n".join("  ".join(format_number(v) for v in row) for row in m)
