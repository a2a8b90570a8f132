"""Scaled dot-product attention, step by step.

    scores  = Q · Kᵀ                      raw similarity of each query with each key
    logits  = scores / √d_k / T           optional scaling, temperature T
    logits[~mask] = -inf                  keys a query may not see
    weights = softmax(logits)             each row sums to 1
    output  = weights · V                 weighted sum of the values

Every intermediate is kept in an :class:`AttentionResult`, so a page can show
each step. Inputs are validated: NaN/inf, mismatched shapes, a temperature that
is not > 0 and a query that may see no key raise the specific errors of
:mod:`attention_core.errors` instead of returning NaN.

A query whose mask hides every key has nothing to attend to (softmax over no
key is 0/0). By default that raises :class:`FullyMaskedRowError`;
``fully_masked="zeros"`` instead gives such a row weights 0 and output 0, as
``torch.nn.functional.scaled_dot_product_attention`` does (see
:mod:`attention_core.masks`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import (
    AttentionLabError,
    FullyMaskedRowError,
    LimitError,
    NonFiniteError,
    ScoreOverflowError,
    ShapeError,
    TemperatureError,
)

Array = NDArray[np.float64]

#: What :func:`attention` does with a query whose mask hides every key: raise
#: :class:`FullyMaskedRowError` (the default), or give that row weights 0 and output 0.
FULLY_MASKED_OPTIONS = ("raise", "zeros")


def as_matrix(x: ArrayLike, name: str = "x", *, ndim: tuple[int, ...] = (1, 2)) -> Array:
    """Convert to a finite float64 array with one of the allowed ranks.

    Shapes: any array-like of rank in ``ndim`` -> the same shape, float64.
    Raises :class:`ShapeError` (wrong rank, empty axis, ragged or non-numeric)
    and :class:`NonFiniteError` (NaN, ±inf or an empty cell).
    """
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ShapeError(f"{name} is not a numeric matrix ({exc})", code="shape_not_numeric", name=name) from exc
    if arr.ndim not in ndim:
        raise ShapeError(
            f"{name} must have {' or '.join(map(str, ndim))} dimensions, got shape {arr.shape}",
            code="shape_rank",
            name=name,
            got=arr.shape,
        )
    if arr.size == 0 or 0 in arr.shape:
        raise ShapeError(f"{name} is empty (shape {arr.shape})", code="shape_empty", name=name)
    if not np.isfinite(arr).all():
        raise NonFiniteError(f"{name} holds NaN, infinity or an empty cell", name=name)
    return arr


def check_temperature(temperature: float) -> float:
    """Return ``temperature`` as a float, or raise :class:`TemperatureError` unless finite and > 0."""
    try:
        t = float(temperature)
    except (TypeError, ValueError) as exc:
        raise TemperatureError("temperature must be a number > 0", value=temperature) from exc
    if not (math.isfinite(t) and t > 0.0):
        raise TemperatureError(
            f"temperature must be a finite number > 0 (got {t}); small values approach argmax",
            value=t,
        )
    return t


def check_whole(value: object, name: str, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int if it is a whole number in [low, high] (high None: no upper
    bound), else raise :class:`LimitError` {name, low, limit}. Booleans are not numbers here."""
    ok = not isinstance(value, bool) and isinstance(value, (int, np.integer))
    v = int(value) if ok else None  # type: ignore[call-overload]
    if v is None or v < low or (high is not None and v > high):
        limit = "∞" if high is None else high
        raise LimitError(
            f"{name} must be a whole number from {low} to {limit} (got {value!r})", name=name, low=low, limit=limit
        )
    return v


def softmax(x: ArrayLike, axis: int = -1, temperature: float = 1.0) -> Array:
    """Numerically stable softmax of ``x / temperature`` along ``axis``.

    Shapes: any shape -> the same shape; slices along ``axis`` sum to 1.

    The row maximum is subtracted *before* dividing by the temperature, so any
    finite input (even ±1e308, or a temperature of 1e-300) gives finite weights.
    ``-inf`` entries mean "masked": they get weight 0. A slice that is all
    ``-inf`` raises :class:`FullyMaskedRowError`; NaN or ``+inf`` raise
    :class:`NonFiniteError`.
    """
    t = check_temperature(temperature)
    z = np.asarray(x, dtype=np.float64)
    if np.isnan(z).any() or np.isposinf(z).any():
        raise NonFiniteError("softmax input holds NaN or +infinity", name="scores")
    if z.size == 0:
        raise ShapeError("softmax of an empty array", code="shape_empty", name="scores")
    zmax = np.max(z, axis=axis, keepdims=True)
    if np.isneginf(zmax).any():
        raise FullyMaskedRowError("a query row has every key masked: there is nothing to attend to")
    with np.errstate(over="ignore", under="ignore"):
        shifted = z - zmax  # in [-inf, 0]; -inf only where the true gap exceeds float64
        if t != 1.0:
            shifted = shifted / t
        e = np.exp(shifted)  # the maximum of each slice gives exactly 1, so the sum is >= 1
    return e / np.sum(e, axis=axis, keepdims=True)


def causal_mask(n: int) -> NDArray[np.bool_]:
    """Lower-triangular boolean mask: query i may attend to keys 0..i.

    Shapes: n -> (n, n) bool, True where a key may be attended to.
    """
    if n < 1:
        raise ShapeError("a causal mask needs n >= 1", code="shape_empty", name="mask")
    return np.tril(np.ones((n, n), dtype=bool))


def key_mask(keep: ArrayLike) -> NDArray[np.bool_]:
    """Padding / key mask from a per-key flag: False hides that key from every query.

    Shapes: (n_k,) bool -> (1, n_k) bool, broadcastable to scores of shape (n_q, n_k).
    """
    k = np.asarray(keep, dtype=bool)
    if k.ndim != 1:
        raise ShapeError("a key mask is one flag per key", code="mask_shape", got=k.shape, expected="(n_k,)")
    return k[np.newaxis, :]


@dataclass(frozen=True)
class AttentionResult:
    """Every step of one attention computation.

    With ``n_q`` queries, ``n_k`` keys, key width ``d_k`` and value width ``d_v``
    (leading batch/head axes allowed; a single query of shape (d_k,) drops the
    n_q axis everywhere):

    - ``q`` (n_q, d_k), ``k`` (n_k, d_k), ``v`` (n_k, d_v): the inputs, float64
    - ``scores`` (n_q, n_k): raw Q·Kᵀ
    - ``scaled`` (n_q, n_k): scores / √d_k when ``scale`` is on, else scores
    - ``logits`` (n_q, n_k): scaled / temperature, ``-inf`` where masked
    - ``weights`` (n_q, n_k): softmax of the logits, rows sum to 1 (a fully masked row is all 0,
      with ``fully_masked="zeros"``)
    - ``output`` (n_q, d_v): weights · V
    - ``scale_divisor``: √d_k, or 1.0 when scaling is off
    - ``temperature``; ``mask``: the boolean mask broadcast to the scores' shape, or None
    """

    q: Array
    k: Array
    v: Array
    scores: Array
    scaled: Array
    logits: Array
    weights: Array
    output: Array
    scale_divisor: float
    temperature: float
    mask: NDArray[np.bool_] | None

    @property
    def d_k(self) -> int:
        """Width of queries and keys."""
        return int(self.k.shape[-1])


def attention(
    q: ArrayLike,
    k: ArrayLike,
    v: ArrayLike,
    *,
    scale: bool = True,
    temperature: float = 1.0,
    mask: ArrayLike | None = None,
    fully_masked: str = "raise",
) -> AttentionResult:
    """Scaled dot-product attention ``softmax(Q·Kᵀ / √d_k / T) · V``.

    Shapes: q (d_k,) or (..., n_q, d_k); k (..., n_k, d_k); v (..., n_k, d_v);
    mask bool, broadcastable to the scores (..., n_q, n_k) [or (n_k,) for one query],
    True where a key may be attended to. Returns an :class:`AttentionResult`.

    A query whose mask hides every key: ``fully_masked="raise"`` (default) raises
    :class:`FullyMaskedRowError`; ``"zeros"`` gives that row weights 0 and output 0.

    >>> r = attention([[1., 0., 1.]], [[1., .5, 1.], [.5, 1., .5], [0., .5, 1.]],
    ...               [[10., 0., 5.], [1., 2., 3.], [0., .5, 1.]], scale=False)
    >>> r.scores.round(4).tolist(), r.weights.round(4).tolist()
    ([[2.0, 1.0, 1.0]], [[0.5761, 0.2119, 0.2119]])
    """
    check_fully_masked(fully_masked)
    qa = as_matrix(q, "Q", ndim=(1, 2, 3, 4))
    ka = as_matrix(k, "K", ndim=(2, 3, 4))
    va = as_matrix(v, "V", ndim=(2, 3, 4))
    t = check_temperature(temperature)
    d_k = ka.shape[-1]
    if qa.shape[-1] != d_k:
        raise ShapeError(
            f"queries have width {qa.shape[-1]} but keys have width {d_k}: they must match",
            name="Q·Kᵀ",
            expected=d_k,
            got=qa.shape[-1],
        )
    if va.shape[-2] != ka.shape[-2]:
        raise ShapeError(
            f"there are {ka.shape[-2]} keys but {va.shape[-2]} values: one value per key",
            name="V",
            expected=ka.shape[-2],
            got=va.shape[-2],
        )
    with np.errstate(over="ignore", invalid="ignore"):
        scores = qa @ np.swapaxes(ka, -1, -2)
    if not np.isfinite(scores).all():
        raise ScoreOverflowError("the dot products Q·Kᵀ overflow float64 (|x| > 1.8e308): use smaller numbers")
    divisor = math.sqrt(d_k) if scale else 1.0
    scaled = scores / divisor if scale else scores.copy()

    mask_b: NDArray[np.bool_] | None = None
    empty: NDArray[np.bool_] | None = None  # rows with every key masked (fully_masked="zeros" only)
    masked = scaled
    if mask is not None:
        m = np.asarray(mask)
        if m.dtype != np.bool_:
            raise ShapeError("the mask must be boolean (True = may attend)", code="mask_not_bool")
        try:
            mask_b = np.broadcast_to(m, scaled.shape).copy()
        except ValueError as exc:
            raise ShapeError(
                f"mask of shape {m.shape} does not fit scores of shape {scaled.shape}",
                code="mask_shape",
                got=m.shape,
                expected=scaled.shape,
            ) from exc
        masked = np.where(mask_b, scaled, -np.inf)
        all_hidden = (~mask_b).all(axis=-1)
        if all_hidden.any():
            if fully_masked == "raise":
                raise FullyMaskedRowError("a query row has every key masked: there is nothing to attend to")
            empty = all_hidden

    if empty is None:
        weights = softmax(masked, axis=-1, temperature=t)
    else:
        # Softmax of such a row is 0/0: take it of zeros instead (any finite row would do), then
        # set every weight of the row to 0, so its output, the weighted sum of values, is 0 too.
        weights = softmax(np.where(empty[..., np.newaxis], 0.0, masked), axis=-1, temperature=t)
        weights[empty] = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        logits = masked / t if t != 1.0 else masked
        output = weights @ va
    if not np.isfinite(output).all():
        raise ScoreOverflowError("the weighted sum of values overflows float64: use smaller values")
    return AttentionResult(qa, ka, va, scores, scaled, logits, weights, output, divisor, t, mask_b)


def check_fully_masked(fully_masked: str) -> str:
    """Return ``fully_masked`` if it is one of :data:`FULLY_MASKED_OPTIONS`, else raise
    :class:`AttentionLabError` (code ``invalid_input``)."""
    if fully_masked not in FULLY_MASKED_OPTIONS:
        raise AttentionLabError(
            f"fully_masked must be one of {FULLY_MASKED_OPTIONS} (got {fully_masked!r})",
            name="fully_masked",
            got=fully_masked,
        )
    return fully_masked


def project(x: ArrayLike, w: ArrayLike, name: str = "W") -> Array:
    """Linear projection without bias, as in the seeds: ``x · W``.

    Shapes: x (n, d_in), w (d_in, d_out) -> (n, d_out).
    """
    xa = as_matrix(x, "X", ndim=(1, 2))
    wa = as_matrix(w, name, ndim=(2,))
    if xa.shape[-1] != wa.shape[0]:
        raise ShapeError(
            f"X has width {xa.shape[-1]} but {name} has {wa.shape[0]} rows: they must match",
            name=name,
            expected=xa.shape[-1],
            got=wa.shape[0],
        )
    with np.errstate(over="ignore", invalid="ignore"):
        out = xa @ wa
    if not np.isfinite(out).all():
        raise ScoreOverflowError(f"X·{name} overflows float64: use smaller numbers")
    return out


@dataclass(frozen=True)
class SelfAttentionResult:
    """Self-attention over one sequence, with its projections.

    - ``x`` (n, d_in); ``w_q``, ``w_k`` (d_in, d_k) and ``w_v`` (d_in, d_v), or None when X is used as is
    - ``attention``: the :class:`AttentionResult` of Q = X·W_q, K = X·W_k, V = X·W_v
    """

    x: Array
    w_q: Array | None
    w_k: Array | None
    w_v: Array | None
    attention: AttentionResult


def self_attention(
    x: ArrayLike,
    w_q: ArrayLike | None = None,
    w_k: ArrayLike | None = None,
    w_v: ArrayLike | None = None,
    *,
    scale: bool = True,
    temperature: float = 1.0,
    mask: ArrayLike | None = None,
    fully_masked: str = "raise",
) -> SelfAttentionResult:
    """Self-attention: every token attends to every token of the same sequence.

    Shapes: x (n, d_in); each W (d_in, d_·) or None for Q = K = V = X
    (the seed's TensorFlow example). Returns weights (n, n) and output (n, d_v).
    ``mask`` and ``fully_masked`` as in :func:`attention`.
    """
    xa = as_matrix(x, "X", ndim=(2,))
    ws = [
        None if w is None else as_matrix(w, name, ndim=(2,)) for w, name in ((w_q, "W_q"), (w_k, "W_k"), (w_v, "W_v"))
    ]
    q, k, v = (xa if w is None else project(xa, w, name) for w, name in zip(ws, ("W_q", "W_k", "W_v"), strict=True))
    res = attention(q, k, v, scale=scale, temperature=temperature, mask=mask, fully_masked=fully_masked)
    return SelfAttentionResult(xa, ws[0], ws[1], ws[2], res)


@dataclass(frozen=True)
class MultiHeadResult:
    """Multi-head self-attention.

    With n tokens, d_model = h · d_head:

    - ``heads``: h :class:`AttentionResult`, each with q, k (n, d_head), weights (n, n), output (n, d_head)
    - ``concat`` (n, d_model): the heads' outputs side by side
    - ``output`` (n, d_out): concat · W_o, or ``concat`` itself when there is no W_o
    """

    x: Array
    heads: tuple[AttentionResult, ...]
    concat: Array
    output: Array
    w_o: Array | None


def multi_head_attention(
    x: ArrayLike,
    w_q: ArrayLike,
    w_k: ArrayLike,
    w_v: ArrayLike,
    n_heads: int,
    *,
    w_o: ArrayLike | None = None,
    scale: bool = True,
    temperature: float = 1.0,
    mask: ArrayLike | None = None,
    fully_masked: str = "raise",
) -> MultiHeadResult:
    """Split d_model into ``n_heads`` heads, attend in each, concatenate, optionally project.

    Shapes: x (n, d_in); w_q, w_k, w_v (d_in, d_model) with d_model divisible by
    n_heads (head i uses columns i·d_head .. (i+1)·d_head - 1); w_o (d_model, d_out).
    Scaling divides by √d_head, the width each head's keys actually have.
    ``mask`` (shared by every head) and ``fully_masked`` as in :func:`attention`.
    """
    if not isinstance(n_heads, (int, np.integer)) or n_heads < 1:
        raise ShapeError("the number of heads must be a whole number >= 1", code="heads_invalid", heads=n_heads)
    xa = as_matrix(x, "X", ndim=(2,))
    q, k, v = (project(xa, w, name) for w, name in ((w_q, "W_q"), (w_k, "W_k"), (w_v, "W_v")))
    d_model = q.shape[-1]
    if k.shape[-1] != d_model or v.shape[-1] != d_model:
        raise ShapeError(
            "W_q, W_k and W_v must have the same number of columns",
            name="W_k, W_v",
            expected=d_model,
            got=max(k.shape[-1], v.shape[-1]) if k.shape[-1] != d_model else v.shape[-1],
        )
    if d_model % n_heads:
        raise ShapeError(
            f"d_model = {d_model} is not divisible by {n_heads} heads",
            code="heads_not_divisor",
            d_model=d_model,
            heads=n_heads,
        )
    d_head = d_model // n_heads
    split = [slice(i * d_head, (i + 1) * d_head) for i in range(n_heads)]
    heads = tuple(
        attention(q[:, s], k[:, s], v[:, s], scale=scale, temperature=temperature, mask=mask, fully_masked=fully_masked)
        for s in split
    )
    concat = np.concatenate([h.output for h in heads], axis=-1)
    wo = None if w_o is None else as_matrix(w_o, "W_o", ndim=(2,))
    output = concat if wo is None else project(concat, wo, "W_o")
    return MultiHeadResult(xa, heads, concat, output, wo)


def contributions(weights: ArrayLike, values: ArrayLike) -> Array:
    """Each value's share of the output: ``weights[i] · values[i]`` per key.

    Shapes: weights (n_k,) for one query -> (n_k, d_v); weights (n_q, n_k) -> (n_q, n_k, d_v);
    values (n_k, d_v). Summing over the key axis (axis -2) gives the attention output ``weights · V``.
    """
    wa = as_matrix(weights, "weights", ndim=(1, 2))
    va = as_matrix(values, "V", ndim=(2,))
    if wa.shape[-1] != va.shape[0]:
        raise ShapeError(
            f"there are {wa.shape[-1]} weights but {va.shape[0]} values: one value per key",
            name="V",
            expected=wa.shape[-1],
            got=va.shape[0],
        )
    with np.errstate(over="ignore", invalid="ignore"):
        parts = wa[..., :, np.newaxis] * va
    if not np.isfinite(parts).all():
        raise ScoreOverflowError("a weighted value overflows float64: use smaller values")
    return parts
