"""Cross-attention: one sentence reads another.

This is how a translation model's decoder reads its source sentence. The queries come from
the target sentence (the one being written), the keys and values from the source:

    Q = X_target · W_q         (n_target, d_k)     what each target word is looking for
    K = X_source · W_k         (n_source, d_k)     what each source word offers to be found by
    V = X_source · W_v         (n_source, d_v)     what each source word hands over
    weights = softmax(Q·Kᵀ / √d_k)   (n_target, n_source): row i, target word i over the source
    output  = weights · V      (n_target, d_v)     one vector per target word, made of source values

The weights matrix is not square: rows are target words, columns are source words. With the
source equal to the target it *is* self-attention (and, with heads, multi-head self-attention).

    >>> target = [[1., 0.], [0., 1.]]                  # two target words
    >>> source = [[0., 2.], [2., 0.], [1., 1.]]        # three source words
    >>> r = cross_attention(target, source, scale=False)
    >>> r.heads[0].weights.round(3).tolist()          # target word 0 reads source word 1 most
    [[0.09, 0.665, 0.245], [0.665, 0.09, 0.245]]
    >>> r.weights.shape                                # (heads, n_target, n_source)
    (1, 2, 3)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .attention import AttentionResult, as_matrix, attention, check_fully_masked, project
from .errors import ShapeError

Array = NDArray[np.float64]


@dataclass(frozen=True)
class CrossAttentionResult:
    """Cross-attention from a target sentence (queries) to a source sentence (keys and values).

    With h heads and d_model = h · d_head:

    - ``x_target`` (n_target, d_in_t), ``x_source`` (n_source, d_in_s); ``w_q``, ``w_k``, ``w_v``
      as given (None: the sentence's vectors used as they are)
    - ``heads``: h :class:`AttentionResult`, each with q (n_target, d_head), k, v (n_source, d_head),
      weights (n_target, n_source), output (n_target, d_head)
    - ``concat`` (n_target, d_model): the heads' outputs side by side
    - ``output`` (n_target, d_out): concat · W_o, or ``concat`` itself when there is no W_o
    """

    x_target: Array
    x_source: Array
    w_q: Array | None
    w_k: Array | None
    w_v: Array | None
    heads: tuple[AttentionResult, ...]
    concat: Array
    output: Array
    w_o: Array | None

    @property
    def weights(self) -> Array:
        """Every head's weights, (h, n_target, n_source)."""
        return np.stack([h.weights for h in self.heads])


def cross_attention(
    x_target: ArrayLike,
    x_source: ArrayLike,
    w_q: ArrayLike | None = None,
    w_k: ArrayLike | None = None,
    w_v: ArrayLike | None = None,
    *,
    n_heads: int = 1,
    w_o: ArrayLike | None = None,
    scale: bool = True,
    temperature: float = 1.0,
    mask: ArrayLike | None = None,
    fully_masked: str = "raise",
) -> CrossAttentionResult:
    """Queries from ``x_target``, keys and values from ``x_source``, in ``n_heads`` heads.

    Shapes: x_target (n_target, d_in_t), x_source (n_source, d_in_s); w_q (d_in_t, d_model),
    w_k (d_in_s, d_model), w_v (d_in_s, d_v_model), or None to use a sentence's vectors as they
    are (then Q = X_target, K = V = X_source); w_o (d_v_model, d_out). d_model and d_v_model
    must be divisible by ``n_heads``: head i uses columns i·d_head .. (i+1)·d_head - 1, as
    :func:`attention_core.multi_head_attention` does; scaling divides by √d_head.
    ``mask`` bool, broadcastable to (n_target, n_source) (e.g. a key-padding mask (1, n_source)
    of a padded source), shared by every head; ``fully_masked`` as in :func:`attention_core.attention`.
    -> weights (n_target, n_source) per head, output (n_target, d_out).

    With x_source = x_target this is :func:`attention_core.self_attention` (one head) and
    :func:`attention_core.multi_head_attention` (h heads), number for number.
    """
    check_fully_masked(fully_masked)
    if not isinstance(n_heads, (int, np.integer)) or isinstance(n_heads, bool) or n_heads < 1:
        raise ShapeError("the number of heads must be a whole number >= 1", code="heads_invalid", heads=n_heads)
    xt = as_matrix(x_target, "X_target", ndim=(2,))
    xs = as_matrix(x_source, "X_source", ndim=(2,))
    ws = [
        None if w is None else as_matrix(w, name, ndim=(2,)) for w, name in ((w_q, "W_q"), (w_k, "W_k"), (w_v, "W_v"))
    ]
    q = xt if ws[0] is None else project(xt, ws[0], "W_q")
    k = xs if ws[1] is None else project(xs, ws[1], "W_k")
    v = xs if ws[2] is None else project(xs, ws[2], "W_v")
    if q.shape[-1] != k.shape[-1]:
        raise ShapeError(
            f"queries have width {q.shape[-1]} but keys have width {k.shape[-1]}: they must match",
            name="Q·Kᵀ",
            expected=q.shape[-1],
            got=k.shape[-1],
        )
    for width in (q.shape[-1], v.shape[-1]):
        if width % n_heads:
            raise ShapeError(
                f"d_model = {width} is not divisible by {n_heads} heads",
                code="heads_not_divisor",
                d_model=width,
                heads=n_heads,
            )
    dq, dv = q.shape[-1] // n_heads, v.shape[-1] // n_heads
    heads = tuple(
        attention(
            q[:, i * dq : (i + 1) * dq],
            k[:, i * dq : (i + 1) * dq],
            v[:, i * dv : (i + 1) * dv],
            scale=scale,
            temperature=temperature,
            mask=mask,
            fully_masked=fully_masked,
        )
        for i in range(n_heads)
    )
    concat = np.concatenate([h.output for h in heads], axis=-1)
    wo = None if w_o is None else as_matrix(w_o, "W_o", ndim=(2,))
    output = concat if wo is None else project(concat, wo, "W_o")
    return CrossAttentionResult(xt, xs, ws[0], ws[1], ws[2], heads, concat, output, wo)
