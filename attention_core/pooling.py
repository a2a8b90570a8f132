"""Attention pooling with one learned weight vector (seed 002's last TensorFlow example).

scores  = X · w            one score per input row
weights = softmax(scores)
context = Σᵢ weightsᵢ · xᵢ  one vector summarising the whole sequence
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .attention import as_matrix, check_temperature, softmax
from .errors import ScoreOverflowError, ShapeError

Array = NDArray[np.float64]


@dataclass(frozen=True)
class PoolingResult:
    """Every step of attention pooling.

    - ``x`` (n, d), ``w`` (d,)
    - ``scores`` (n,): X·w; ``weights`` (n,): their softmax; ``context`` (d,): weights·X
    - ``contributions`` (n, d): each row's weightᵢ·xᵢ, whose column sums are ``context``
    """

    x: Array
    w: Array
    scores: Array
    weights: Array
    context: Array
    contributions: Array


def attention_pooling(x: ArrayLike, w: ArrayLike, *, temperature: float = 1.0) -> PoolingResult:
    """Pool the rows of ``x`` into one context vector, weighted by softmax(X·w / T).

    Shapes: x (n, d), w (d,) -> scores, weights (n,); context (d,).
    """
    xa = as_matrix(x, "X", ndim=(2,))
    wa = as_matrix(w, "w", ndim=(1,))
    t = check_temperature(temperature)
    if wa.shape[0] != xa.shape[1]:
        raise ShapeError(
            f"w has {wa.shape[0]} components but each input row has {xa.shape[1]}: they must match",
            name="w",
            expected=xa.shape[1],
            got=wa.shape[0],
        )
    with np.errstate(over="ignore", invalid="ignore"):
        scores = xa @ wa
    if not np.isfinite(scores).all():
        raise ScoreOverflowError("the scores X·w overflow float64: use smaller numbers")
    weights = softmax(scores, temperature=t)
    with np.errstate(over="ignore", invalid="ignore"):
        contributions = weights[:, np.newaxis] * xa
        context = contributions.sum(axis=0)
    if not np.isfinite(context).all():
        raise ScoreOverflowError("the context vector overflows float64: use smaller numbers")
    return PoolingResult(xa, wa, scores, weights, context, contributions)
