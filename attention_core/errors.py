"""Specific exceptions raised by the engine.

Every exception carries a stable ``code`` (a short identifier) and a ``params``
dict, so a user interface can turn it into a translated message
(``t(f"error.{exc.code}", **exc.params)``) while notebook users still read a
plain English message from ``str(exc)``.

All of them derive from :class:`AttentionLabError`, itself a ``ValueError``, so
``except ValueError`` keeps working for callers that do not care which.
"""

from __future__ import annotations

from typing import Any


class AttentionLabError(ValueError):
    """Base class of every error the engine raises on bad input.

    Raised itself (code ``invalid_input`` {name, got}) for an option outside its allowed values,
    e.g. ``fully_masked`` of :func:`attention_core.attention`.
    """

    code: str = "invalid_input"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params


class ShapeError(AttentionLabError):
    """Arrays whose shapes do not fit together, or an empty or non-numeric array.

    Codes: ``shape_not_numeric`` {name}, ``shape_rank`` {name, got}, ``shape_empty`` {name},
    ``shape_mismatch`` {name, expected, got}, ``mask_not_bool``, ``mask_shape`` {got, expected},
    ``heads_invalid`` {heads}, ``heads_not_divisor`` {d_model, heads}.
    Matrices typed as text (:mod:`attention_core.matrix_text`): ``cell_empty`` {name, row, col},
    ``cell_not_number`` {name, row, col, cell}, ``row_length`` {name, row, got, expected},
    ``matrix_shape`` {name, rows, cols, got_rows, got_cols}.
    """

    code = "shape_mismatch"


class NonFiniteError(AttentionLabError):
    """An input holds NaN or ±inf, or an empty cell.

    Codes: ``non_finite`` {name}; for a matrix typed as text ``cell_non_finite`` (NaN, inf) and
    ``cell_out_of_range`` (beyond ±1.8e308), both {name, row, col, cell}.
    """

    code = "non_finite"


class ScoreOverflowError(AttentionLabError):
    """Finite inputs whose dot products exceed the float64 range (~1.8e308)."""

    code = "score_overflow"


class TemperatureError(AttentionLabError):
    """Temperature that is not a finite number greater than zero."""

    code = "temperature"


class FullyMaskedRowError(AttentionLabError):
    """A query whose mask hides every key: its softmax would be 0/0.

    Raised by :func:`attention_core.attention` (and every function built on it) unless it is
    called with ``fully_masked="zeros"``, which gives such a row weights 0 and output 0 instead.
    """

    code = "fully_masked"


class EmptyTextError(AttentionLabError):
    """Text with no token in it (empty, or only whitespace)."""

    code = "empty_text"


class LimitError(AttentionLabError):
    """A size above the documented limits (see :mod:`attention_core.limits`).

    Codes: ``limit`` {name, low, limit}; ``matrix_too_big`` {name, rows, cols, max_rows, max_cols}.
    """

    code = "limit"


class EmptyVocabularyError(AttentionLabError):
    """Word2Vec kept no word (``min_count`` above every word's count)."""

    code = "empty_vocabulary"


class UnknownWordError(AttentionLabError):
    """A word that is not in the trained vocabulary."""

    code = "unknown_word"
