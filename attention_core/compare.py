"""Compare two weight matrices, A and B: what is comparable, the difference B − A, the largest change.

A learner pins one setting of a lesson (A), changes anything, and sees what the change did (B is the
live setting). The two matrices need not have the same shape: the learner may have typed a longer
sentence. Each axis is aligned on its own:

- same length on both sides: position by position (row 2 of A against row 2 of B, whatever the
  labels: the same sentence with one word changed still compares word for word);
- different lengths: by label, the k-th occurrence of a label in A against its k-th occurrence in B
  (the words both sentences have, in B's order).

>>> import numpy as np
>>> c = compare_weights(np.array([[0.5, 0.5]]), ["q"], ["a", "b"], np.array([[0.2, 0.3, 0.5]]), ["q"], ["a", "c", "b"])
>>> c.cols, c.diff.tolist()
(['a', 'b'], [[-0.3, 0.0]])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["WeightsComparison", "align_labels", "compare_weights"]


def _occurrences(labels: Sequence[str]) -> list[tuple[str, int]]:
    """Each label with how many times it came before: ``["a", "b", "a"] -> [("a", 0), ("b", 0), ("a", 1)]``."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        out.append((label, seen.get(label, 0)))
        seen[label] = seen.get(label, 0) + 1
    return out


def align_labels(a: Sequence[str], b: Sequence[str]) -> tuple[list[int], list[int], bool]:
    """Which entries of axis ``a`` and axis ``b`` compare: ``(a_index, b_index, by_position)``.

    Same length: every position (``by_position`` True). Otherwise the labels both have, matched
    occurrence by occurrence, in ``b``'s order. Both index lists have the same length (0 when
    nothing is comparable).
    """
    if len(a) == len(b):
        return list(range(len(a))), list(range(len(b))), True
    where = {key: i for i, key in enumerate(_occurrences(a))}
    pairs = [(where[key], j) for j, key in enumerate(_occurrences(b)) if key in where]
    return [i for i, _ in pairs], [j for _, j in pairs], False


@dataclass(frozen=True)
class WeightsComparison:
    """A and B on the cells they share, and B − A.

    Shapes: ``a``, ``b`` and ``diff`` are (r, c), with ``rows`` (r labels, B's) and ``cols`` (c labels,
    B's); r or c is 0 when nothing is comparable. ``a_shape`` and ``b_shape`` are the whole
    matrices' shapes. ``rows_by_position`` / ``cols_by_position``: that axis was aligned position by
    position (same length), else by label.
    """

    rows: list[str]
    cols: list[str]
    a: np.ndarray
    b: np.ndarray
    diff: np.ndarray
    a_shape: tuple[int, int]
    b_shape: tuple[int, int]
    rows_by_position: bool
    cols_by_position: bool

    @property
    def same_shape(self) -> bool:
        """A and B have the same shape (every cell compares)."""
        return self.a_shape == self.b_shape

    @property
    def empty(self) -> bool:
        """No cell is comparable (no row or no column in common)."""
        return self.diff.size == 0

    def largest(self) -> tuple[int, int] | None:
        """The cell (row, col) whose weight changed most (largest ``|B − A|``, the first one on a tie),
        or None when nothing compares. Cells that are not finite in A or B (a masked key) never count."""
        if self.empty:
            return None
        size = np.where(np.isfinite(self.diff), np.abs(self.diff), -1.0)
        i, j = np.unravel_index(int(np.argmax(size)), size.shape)
        return (int(i), int(j)) if size[i, j] >= 0 else None


def compare_weights(
    a: np.ndarray,
    a_rows: Sequence[str],
    a_cols: Sequence[str],
    b: np.ndarray,
    b_rows: Sequence[str],
    b_cols: Sequence[str],
) -> WeightsComparison:
    """A (n_a, m_a) and B (n_b, m_b), with their row and column labels, on the cells they share.

    Rows and columns are aligned each on its own (:func:`align_labels`); ``diff = b − a`` on those
    cells, exact (no rounding). Masked weights are 0 in both (softmax gives them no weight), so they
    compare like any other; a NaN stays NaN.
    """
    am, bm = np.atleast_2d(np.asarray(a, dtype=float)), np.atleast_2d(np.asarray(b, dtype=float))
    if am.shape != (len(a_rows), len(a_cols)) or bm.shape != (len(b_rows), len(b_cols)):
        raise ValueError(f"labels do not fit the matrices: A {am.shape}, B {bm.shape}")
    ra, rb, rows_pos = align_labels(a_rows, b_rows)
    ca, cb, cols_pos = align_labels(a_cols, b_cols)
    sub_a = am[np.ix_(ra, ca)]
    sub_b = bm[np.ix_(rb, cb)]
    return WeightsComparison(
        rows=[b_rows[j] for j in rb],
        cols=[b_cols[j] for j in cb],
        a=sub_a,
        b=sub_b,
        diff=sub_b - sub_a,
        a_shape=(int(am.shape[0]), int(am.shape[1])),
        b_shape=(int(bm.shape[0]), int(bm.shape[1])),
        rows_by_position=rows_pos,
        cols_by_position=cols_pos,
    )
