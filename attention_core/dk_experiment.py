"""Why divide by √d_k? The experiment, run on random numbers from a seed.

Draw every entry of a query q and of a key k independently from N(0, 1). Their dot product
q·k = Σᵢ qᵢ·kᵢ is a sum of d_k independent terms of mean 0 and variance 1, so

    E[q·k] = 0        Var(q·k) = d_k        Var(q·k / √d_k) = 1

Unscaled, the scores of one query over n keys spread further as d_k grows: the largest stands
far above the rest, and softmax turns the row into one-hot (largest weight -> 1, entropy -> 0).
Scaled by 1/√d_k, the scores keep a spread of 1 at every d_k, and so does the row.

Why that matters, the reason "Attention Is All You Need" gives (section 3.2.1): learning moves
the scores along the softmax's gradient, its Jacobian with respect to its input z,

    J = ∂p/∂z = diag(p) - p·pᵀ        J[i, j] = p_i·(δ_ij - p_j),   p = softmax(z)

and when a row saturates (p one-hot) every entry of J is 0: no gradient flows back to the
queries and keys of that row. Its largest entry is at most 1/4 (p_i = 1/2). Here J is the
Jacobian of softmax with respect to its own input (the scaled scores when scaling is on).

The random numbers (numpy's ``default_rng(seed)``) are drawn in this order, so a notebook can
draw them again: one query (d_k,), then n_keys keys (n_keys, d_k), then the pairs' queries
(n_pairs, d_k), then the pairs' keys (n_pairs, d_k).

    >>> e = dk_experiment(d_k=256, n_keys=8, n_pairs=2000, seed=0)
    >>> round(e.var_dots), round(e.var_stderr, 1), round(e.var_scaled, 2)   # ≈ d_k ± 8.1, and ≈ 1
    (262, 8.1, 1.02)
    >>> round(e.unscaled.max_weight, 3), round(e.scaled.max_weight, 3)     # one-hot, and not
    (1.0, 0.623)
    >>> f"{e.unscaled.jacobian_max:.1e}", round(e.scaled.jacobian_max, 3)  # no gradient, and some
    ('3.6e-11', 0.235)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .attention import as_matrix, check_whole, softmax
from .embeddings import check_seed
from .errors import ShapeError
from .limits import MAX_EXPERIMENT_DIM, MAX_EXPERIMENT_PAIRS, MAX_SEQUENCE_TOKENS, MAX_SWEEP_ROWS

Array = NDArray[np.float64]

#: The lesson's key widths: powers of two from 2 to 512.
DK_SWEEP: tuple[int, ...] = tuple(2**i for i in range(1, 10))


def softmax_jacobian(p: ArrayLike) -> Array:
    """The Jacobian of softmax at weights ``p``: J = diag(p) - p·pᵀ, J[i, j] = ∂p_i/∂z_j.

    Shapes: p (n,) -> (n, n), (m, n) -> (m, n, n), (b, m, n) -> (b, m, n, n). Symmetric; every row sums to 0
    (adding a constant to every score changes nothing).

    >>> softmax_jacobian([0.5, 0.5]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    pa = as_matrix(p, "weights", ndim=(1, 2, 3))
    eye = np.eye(pa.shape[-1])
    return pa[..., :, np.newaxis] * eye - pa[..., :, np.newaxis] * pa[..., np.newaxis, :]


def row_entropy(p: ArrayLike) -> Array:
    """Shannon entropy of rows of weights, in nats: 0 for one-hot, ln n for uniform.

    Shapes: (n,) -> (), (m, n) -> (m,), (b, m, n) -> (b, m).

    >>> row_entropy([[1.0, 0.0], [0.5, 0.5]]).round(4).tolist()
    [0.0, 0.6931]
    """
    pa = as_matrix(p, "weights", ndim=(1, 2, 3))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(pa > 0, pa * np.log(np.where(pa > 0, pa, 1.0)), 0.0)
    return -terms.sum(axis=-1) + 0.0  # + 0.0: a one-hot row gives 0.0, not -0.0


@dataclass(frozen=True)
class SoftmaxRow:
    """One row of softmax, and how much gradient it lets through.

    - ``logits`` (n,): softmax's input; ``weights`` (n,): its output
    - ``max_weight``: the largest weight (1/n uniform .. 1 one-hot)
    - ``entropy``: in nats (ln n uniform .. 0 one-hot)
    - ``jacobian`` (n, n): diag(p) - p·pᵀ
    - ``jacobian_max``: its largest entry in absolute value (at most 1/4; 0 one-hot)
    - ``jacobian_norm``: its Frobenius norm, √(Σ J[i, j]²)
    """

    logits: Array
    weights: Array
    max_weight: float
    entropy: float
    jacobian: Array
    jacobian_max: float
    jacobian_norm: float


def softmax_row(logits: ArrayLike) -> SoftmaxRow:
    """Softmax of one row of logits, with its largest weight, entropy and Jacobian.

    Shapes: logits (n,) -> a :class:`SoftmaxRow` with weights (n,), jacobian (n, n).

    >>> r = softmax_row([0.0, 0.0])
    >>> r.weights.tolist(), round(r.entropy, 4), r.jacobian_max, r.jacobian_norm
    ([0.5, 0.5], 0.6931, 0.25, 0.5)
    """
    z = as_matrix(logits, "logits", ndim=(1,))
    p = softmax(z)
    j = softmax_jacobian(p)
    return SoftmaxRow(
        logits=z,
        weights=p,
        max_weight=float(p.max()),
        entropy=float(row_entropy(p)),
        jacobian=j,
        jacobian_max=float(np.abs(j).max()),
        jacobian_norm=float(np.sqrt((j * j).sum())),
    )


@dataclass(frozen=True)
class DkExperiment:
    """The √d_k experiment at one key width.

    - ``d_k``, ``n_keys``, ``n_pairs``, ``seed``: what was asked
    - ``dots`` (n_pairs,): q·k of each random pair; ``dots_scaled`` (n_pairs,): q·k / √d_k
    - ``var_dots``, ``var_scaled``: their sample variances (``ddof=1``), ≈ d_k and ≈ 1
    - ``q`` (d_k,), ``keys`` (n_keys, d_k): one query and its keys; ``scores`` (n_keys,): keys·q
    - ``unscaled``: the :class:`SoftmaxRow` of ``scores``; ``scaled``: of ``scores / √d_k``
    """

    d_k: int
    n_keys: int
    n_pairs: int
    seed: int
    dots: Array
    dots_scaled: Array
    var_dots: float
    var_scaled: float
    q: Array
    keys: Array
    scores: Array
    unscaled: SoftmaxRow
    scaled: SoftmaxRow

    @property
    def var_stderr(self) -> float:
        """The standard error of ``var_dots`` around its true value d_k.

        For X = q·k, E[X⁴] = 3·d_k² + 6·d_k (each term qᵢkᵢ has fourth moment 3·3 = 9), so the
        sample variance of N pairs has variance (E[X⁴] - d_k²·(N-3)/(N-1)) / N. Divide by d_k
        for ``var_scaled``'s.
        """
        d, n = float(self.d_k), float(self.n_pairs)
        return math.sqrt((3 * d * d + 6 * d - d * d * (n - 3) / (n - 1)) / n)


def dk_experiment(d_k: int, n_keys: int = 8, n_pairs: int = 2_000, seed: int = 0) -> DkExperiment:
    """Random N(0, 1) queries and keys of width ``d_k``: the spread of q·k, and one softmax row
    of ``n_keys`` keys, unscaled and scaled by 1/√d_k.

    Shapes: -> dots, dots_scaled (n_pairs,); q (d_k,); keys (n_keys, d_k); scores and each row's
    weights (n_keys,), jacobians (n_keys, n_keys). Draw order: see the module's docstring.
    Limits: 1 <= d_k <= MAX_EXPERIMENT_DIM, 1 <= n_keys <= MAX_SEQUENCE_TOKENS,
    2 <= n_pairs <= MAX_EXPERIMENT_PAIRS, 0 <= seed < 2**32 (else :class:`LimitError`).

    >>> e = dk_experiment(4, n_keys=3, n_pairs=10, seed=1)
    >>> e.dots.shape, e.keys.shape, round(e.var_stderr, 3)
    ((10,), (3, 4), 2.44)
    """
    d = check_whole(d_k, "d_k", 1, MAX_EXPERIMENT_DIM)
    n_k = check_whole(n_keys, "n_keys", 1, MAX_SEQUENCE_TOKENS)
    n_p = check_whole(n_pairs, "n_pairs", 2, MAX_EXPERIMENT_PAIRS)
    rng = np.random.default_rng(check_seed(seed))
    q = rng.standard_normal(d)
    keys = rng.standard_normal((n_k, d))
    pair_q = rng.standard_normal((n_p, d))
    pair_k = rng.standard_normal((n_p, d))
    dots = np.einsum("ij,ij->i", pair_q, pair_k)  # row by row q·k, no (n_pairs, d_k) temporary
    root = math.sqrt(d)
    dots_scaled = dots / root
    scores = keys @ q
    return DkExperiment(
        d_k=d,
        n_keys=n_k,
        n_pairs=n_p,
        seed=int(seed),
        dots=dots,
        dots_scaled=dots_scaled,
        var_dots=float(np.var(dots, ddof=1)),
        var_scaled=float(np.var(dots_scaled, ddof=1)),
        q=q,
        keys=keys,
        scores=scores,
        unscaled=softmax_row(scores),
        scaled=softmax_row(scores / root),
    )


@dataclass(frozen=True)
class SweepCurve:
    """One curve of the sweep: at each d_k, the mean over the rows of

    - ``max_weight`` (m,), ``entropy`` (m,) in nats, ``jacobian_max`` (m,), ``jacobian_norm`` (m,)
      (see :class:`SoftmaxRow`)
    """

    max_weight: Array
    entropy: Array
    jacobian_max: Array
    jacobian_norm: Array


@dataclass(frozen=True)
class DkSweep:
    """Entropy and gradient against d_k, unscaled and scaled.

    - ``d_k`` (m,): the key widths; ``n_keys``, ``n_rows``, ``seed``: what was asked
    - ``unscaled``, ``scaled``: a :class:`SweepCurve` each, means over ``n_rows`` random rows
    - ``max_entropy``: ln n_keys, a uniform row's entropy (the top of the entropy axis)
    """

    d_k: tuple[int, ...]
    n_keys: int
    n_rows: int
    seed: int
    unscaled: SweepCurve
    scaled: SweepCurve

    @property
    def max_entropy(self) -> float:
        return math.log(self.n_keys)


def dk_sweep(d_ks: Sequence[int] = DK_SWEEP, n_keys: int = 8, n_rows: int = 64, seed: int = 0) -> DkSweep:
    """Average ``n_rows`` random softmax rows of ``n_keys`` keys at each d_k, unscaled and scaled.

    At each d_k the generator starts again from ``default_rng(seed)`` and draws, row after row,
    a query (d_k,) then its keys (n_keys, d_k). So row 0 at d_k is exactly the row of
    ``dk_experiment(d_k, n_keys, seed=seed)``, and every d_k uses the same seed (common random
    numbers: smoother curves).

    Shapes: d_ks (m,) -> curves of shape (m,). Limits: each d_k 1 .. MAX_EXPERIMENT_DIM,
    1 <= n_keys <= MAX_SEQUENCE_TOKENS, 1 <= n_rows <= MAX_SWEEP_ROWS.

    >>> s = dk_sweep((2, 512), n_keys=8, n_rows=32, seed=0)
    >>> s.unscaled.entropy.round(2).tolist(), s.scaled.entropy.round(2).tolist()
    ([1.59, 0.06], [1.78, 1.72])
    """
    if len(d_ks) == 0:
        raise ShapeError("the sweep needs at least one d_k", code="shape_empty", name="d_k")
    widths = tuple(check_whole(d, "d_k", 1, MAX_EXPERIMENT_DIM) for d in d_ks)
    n_k = check_whole(n_keys, "n_keys", 1, MAX_SEQUENCE_TOKENS)
    n_r = check_whole(n_rows, "n_rows", 1, MAX_SWEEP_ROWS)
    s = check_seed(seed)
    stats = np.zeros((2, 4, len(widths)))  # (unscaled/scaled, measure, d_k)
    for col, d in enumerate(widths):
        rng = np.random.default_rng(s)
        root = math.sqrt(d)
        for _ in range(n_r):
            q = rng.standard_normal(d)
            scores = rng.standard_normal((n_k, d)) @ q
            for which, row in enumerate((softmax_row(scores), softmax_row(scores / root))):
                stats[which, :, col] += (row.max_weight, row.entropy, row.jacobian_max, row.jacobian_norm)
    stats /= n_r
    unscaled, scaled = (SweepCurve(*stats[which]) for which in (0, 1))
    return DkSweep(widths, n_k, n_r, s, unscaled, scaled)
