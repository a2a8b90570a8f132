"""Word order: sinusoidal positional encodings and rotary embeddings (RoPE).

Attention by itself is blind to order. Shuffle the tokens of a sentence and self-attention
shuffles its answer the same way, nothing more: the weights matrix has its rows and columns
permuted, and each word's output vector is unchanged (it is *permutation-equivariant*). Two
ways to tell it where each token stands:

Sinusoidal positional encodings ("Attention Is All You Need", section 3.5): add to the
embedding of the token at position p the vector

    PE[p, 2i]   = sin(p / base^(2i/d))        i = 0, 1, ..., ⌈d/2⌉ - 1
    PE[p, 2i+1] = cos(p / base^(2i/d))        base = 10000

so each pair of columns is a clock turning at its own speed, fast in the first columns and
slow in the last. With odd d the last column is a sine whose cosine partner is dropped.

Rotary embeddings (RoPE, Su et al. 2021, "RoFormer"): instead of adding anything, turn the query
and the key of the token at position p. Pair the columns (0, 1), (2, 3), ... (the paper's
interleaved convention; GPT-NeoX and Llama pair column i with i + d/2 instead, the same
rotations on the columns in another order) and rotate pair i by the angle p·θᵢ with
θᵢ = base^(-2i/d), the sinusoidal table's own frequencies:

    (a, b)  ->  (a·cos(pθᵢ) - b·sin(pθᵢ),  a·sin(pθᵢ) + b·cos(pθᵢ))

A rotation by m·θ of the query and by n·θ of the key leaves their dot product depending on
the difference m - n only: q·k "sees" how far apart the tokens are, not where they are.

    >>> sinusoidal_positions(3, 4).round(4).tolist()
    [[0.0, 1.0, 0.0, 1.0], [0.8415, 0.5403, 0.01, 1.0], [0.9093, -0.4161, 0.02, 0.9998]]
    >>> q, k = [[1., 0.]], [[0., 1.]]
    >>> def score(m, n): return round(float(rotary(q, [m])[0] @ rotary(k, [n])[0]), 12)
    >>> score(3, 1), score(7, 5), score(2, 0), round(math.sin(2), 12)  # offset 2 each time
    (0.909297426826, 0.909297426826, 0.909297426826, 0.909297426826)
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .attention import as_matrix, check_whole
from .errors import LimitError, ShapeError
from .limits import MAX_EXPERIMENT_DIM, MAX_SEQUENCE_TOKENS

Array = NDArray[np.float64]

#: The base of the frequencies in "Attention Is All You Need" and RoFormer.
BASE = 10_000.0


def check_base(base: float) -> float:
    """Return ``base`` as a float, or raise :class:`LimitError` unless it is finite and > 1."""
    try:
        b = float(base)
    except (TypeError, ValueError):
        b = math.nan
    if not (math.isfinite(b) and b > 1.0):
        raise LimitError(f"the base must be a finite number > 1 (got {base!r})", name="base", low=1, limit="∞")
    return b


def frequencies(d: int, base: float = BASE) -> Array:
    """The angular speed of each pair of columns: θᵢ = base^(-2i/d), i = 0 .. ⌈d/2⌉ - 1.

    Shapes: d -> (⌈d/2⌉,), from θ₀ = 1 (one radian per position) down towards 1/base.

    >>> frequencies(4).tolist()
    [1.0, 0.01]
    """
    d_ = check_whole(d, "d", 1)
    b = check_base(base)
    return b ** (-np.arange(0, d_, 2, dtype=np.float64) / d_)


def sinusoidal_positions(n: int, d: int, base: float = BASE) -> Array:
    """The sinusoidal positional encoding of positions 0 .. n-1, to add to (n, d) embeddings.

    Shapes: n, d -> (n, d): PE[p, 2i] = sin(p·θᵢ), PE[p, 2i+1] = cos(p·θᵢ), θᵢ = base^(-2i/d).
    Odd d: the last column is sin(p·θ_(d-1)/2), its cosine dropped. Every entry is in [-1, 1];
    row 0 is (0, 1, 0, 1, ...). Limits: 1 <= n <= MAX_SEQUENCE_TOKENS, 1 <= d <= MAX_EXPERIMENT_DIM.

    >>> sinusoidal_positions(2, 3).round(4).tolist()  # odd d: sin, cos, sin
    [[0.0, 1.0, 0.0], [0.8415, 0.5403, 0.0022]]
    """
    n_ = check_whole(n, "n", 1, MAX_SEQUENCE_TOKENS)
    d_ = check_whole(d, "d", 1, MAX_EXPERIMENT_DIM)
    angles = np.arange(n_, dtype=np.float64)[:, np.newaxis] * frequencies(d_, base)  # (n, ⌈d/2⌉)
    pe = np.empty((n_, d_), dtype=np.float64)
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : d_ // 2])
    return pe


def rotary_angles(positions: ArrayLike, d: int, base: float = BASE) -> Array:
    """The angle each pair of columns turns by at each position: p·θᵢ.

    Shapes: positions (n,) of finite numbers (token positions, usually 0 .. n-1), even d
    -> (n, d/2).

    >>> rotary_angles([0, 1, 2], 2).tolist()
    [[0.0], [1.0], [2.0]]
    """
    d_ = check_whole(d, "d", 1)
    if d_ % 2:
        raise ShapeError(
            f"rotary embeddings turn pairs of columns: the width must be even (got {d_})",
            name="RoPE width d",
            expected="even",
            got=d_,
        )
    pos = as_matrix(positions, "positions", ndim=(1,))
    return pos[:, np.newaxis] * frequencies(d_, base)


def rotary(x: ArrayLike, positions: ArrayLike | None = None, base: float = BASE) -> Array:
    """Rotary position embedding: turn each pair of columns (2i, 2i+1) of row r by positions[r]·θᵢ.

    Apply it to the queries and the keys (never the values), after their projections:
    ``attention(rotary(x @ w_q), rotary(x @ w_k), x @ w_v)``. Then the score of query m with
    key n depends on m - n only. Lengths are kept (it is a rotation).

    Shapes: x (n, d) with d even, or (..., n, d); positions (n,) finite numbers, default
    0 .. n-1 -> (..., n, d).

    >>> rotary([[1., 0.], [1., 0.]], [0, 0.5 * np.pi]).round(12).tolist()  # a quarter turn
    [[1.0, 0.0], [0.0, 1.0]]
    """
    xa = as_matrix(x, "X", ndim=(2, 3, 4))
    n, d = xa.shape[-2], xa.shape[-1]
    pos = np.arange(n, dtype=np.float64) if positions is None else as_matrix(positions, "positions", ndim=(1,))
    if pos.shape[0] != n:
        raise ShapeError(
            f"{pos.shape[0]} positions for {n} rows: one position per row",
            name="positions",
            expected=n,
            got=pos.shape[0],
        )
    angles = rotary_angles(pos, d, base)  # (n, d/2)
    cos, sin = np.cos(angles), np.sin(angles)
    a, b = xa[..., 0::2], xa[..., 1::2]  # the pairs' first and second columns
    out = np.empty_like(xa)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out
