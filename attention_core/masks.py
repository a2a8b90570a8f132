"""Masks: which keys each query may see (padding, causal, and both at once).

A mask is a boolean array, True where a query may attend to a key, broadcastable to the
scores (..., n_q, n_k). :func:`attention_core.attention` puts ``-inf`` at every False before
the softmax, so a hidden key gets weight exactly 0.

    causal_mask(n)                   (n, n)          query i sees keys 0..i
    padding_mask(lengths, n)         (batch, 1, n)   every query of sentence b sees its first lengths[b] keys
    combine_masks(m1, m2, ...)       broadcast AND   a key is seen only when every mask lets it through

Padding. Sentences of different lengths are stacked into one batch by padding them to one
length with a ``"<pad>"`` token (:func:`pad_batch`). Without a key-padding mask the pads are
keys like any other and take weight from the real tokens (:func:`weight_on_pads` says how
much); with it they take exactly 0, and every real token's output equals its output in the
unpadded sentence (:func:`batch_self_attention`). The pads' own query rows still attend to the
real tokens; their outputs mean nothing and are usually ignored (or masked too: ``queries=True``).
Which keys are pads is read from the lengths, never from the token text: a sentence may
contain the word "<pad>" itself.

A row whose every key is masked. Softmax over no key is 0/0. The engine raises
:class:`~attention_core.errors.FullyMaskedRowError` (code ``fully_masked``) by default;
``fully_masked="zeros"`` gives such a row weights 0 and output 0 instead, as
``torch.nn.functional.scaled_dot_product_attention`` does. With a key-padding mask alone it
cannot happen (:func:`pad_batch` refuses an empty sentence); it happens when the pads' query
rows are masked too (``padding_mask(..., queries=True)``), or when a learner hides every key a
query may see.

    >>> batch = pad_batch([["the", "cat", "sat"], ["hi"]])
    >>> batch.tokens, batch.lengths
    ([['the', 'cat', 'sat'], ['hi', '<pad>', '<pad>']], (3, 1))
    >>> padding_mask(batch.lengths).astype(int).tolist()
    [[[1, 1, 1]], [[1, 0, 0]]]
    >>> combine_masks(causal_mask(3), padding_mask([3, 2])).astype(int)[1].tolist()
    [[1, 0, 0], [1, 1, 0], [1, 1, 0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .attention import (
    AttentionResult,
    as_matrix,
    attention,
    causal_mask,
    check_fully_masked,
    check_whole,
    project,
)
from .errors import EmptyTextError, ShapeError

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]

#: The padding token :func:`pad_batch` appends by default.
PAD = "<pad>"


class PaddedBatch(NamedTuple):
    """Sentences padded to one length: unpacks as ``tokens, lengths = pad_batch(...)``.

    - ``tokens``: batch lists of n tokens each, the real ones first, then the pads
    - ``lengths`` (batch,): how many real tokens each sentence has
    """

    tokens: list[list[str]]
    lengths: tuple[int, ...]

    @property
    def n(self) -> int:
        """The padded length (every sentence's token count)."""
        return len(self.tokens[0])

    @property
    def mask(self) -> Mask:
        """The key-padding mask, (batch, 1, n): :func:`padding_mask` of the lengths."""
        return padding_mask(self.lengths, self.n)


def pad_batch(sentences: Sequence[Sequence[str]], pad: str = PAD, *, length: int | None = None) -> PaddedBatch:
    """Pad every sentence with ``pad`` to the longest one's length (or to ``length``).

    Shapes: batch sentences of n_b >= 1 tokens -> tokens (batch, n), lengths (batch,), with
    n = max(n_b), or ``length`` when given (it must be >= the longest sentence).
    Raises :class:`EmptyTextError` for a sentence with no token (all its keys would be pads),
    :class:`ShapeError` (``shape_empty``) for no sentence at all, and :class:`LimitError` for a
    ``length`` shorter than the longest sentence.

    >>> pad_batch([["a"], ["b", "c"]], pad="_", length=3).tokens
    [['a', '_', '_'], ['b', 'c', '_']]
    """
    if len(sentences) == 0:
        raise ShapeError("a batch needs at least one sentence", code="shape_empty", name="batch")
    sents = [list(s) for s in sentences]
    if any(len(s) == 0 for s in sents):
        raise EmptyTextError("a sentence of the batch holds no token: every sentence needs at least one")
    longest = max(len(s) for s in sents)
    n = longest if length is None else check_whole(length, "length", longest, None)
    return PaddedBatch([s + [pad] * (n - len(s)) for s in sents], tuple(len(s) for s in sents))


def padding_mask(lengths: Sequence[int], n: int | None = None, *, queries: bool = False) -> Mask:
    """Key-padding mask: in sentence b, key j may be attended to when j < lengths[b].

    Shapes: lengths (batch,), each 0 <= lengths[b] <= n -> (batch, 1, n) bool, broadcastable to
    the scores (batch, n_q, n); n defaults to max(lengths).
    ``queries=True`` -> (batch, n, n): the pads' query rows are hidden too, whole rows of False,
    which :func:`attention_core.attention` accepts only with ``fully_masked="zeros"``.

    >>> padding_mask([2, 1], 3, queries=True).astype(int)[1].tolist()
    [[1, 0, 0], [0, 0, 0], [0, 0, 0]]
    """
    if len(lengths) == 0:
        raise ShapeError("a padding mask needs at least one length", code="shape_empty", name="lengths")
    whole = [check_whole(x, "length", 0, None) for x in lengths]
    n_ = check_whole(max(whole) if n is None else n, "n", 1, None)
    lens = np.array([check_whole(x, "length", 0, n_) for x in whole])
    keep = np.arange(n_)[np.newaxis, :] < lens[:, np.newaxis]  # (batch, n): real tokens
    if queries:
        return keep[:, :, np.newaxis] & keep[:, np.newaxis, :]
    return keep[:, np.newaxis, :]


def combine_masks(*masks: ArrayLike | None) -> Mask | None:
    """A key is visible only when every mask lets it through: the broadcast AND of ``masks``.

    Shapes: boolean arrays broadcastable together, e.g. causal (n, n) and padding (batch, 1, n)
    -> (batch, n, n). ``None`` entries (no mask) are skipped; all None -> None.
    Raises :class:`ShapeError` (``mask_not_bool``, ``mask_shape``).

    >>> combine_masks(None, [[True, False]], [[True], [True]]).tolist()
    [[True, False], [True, False]]
    """
    arrays = [np.asarray(m) for m in masks if m is not None]
    if not arrays:
        return None
    for m in arrays:
        if m.dtype != np.bool_:
            raise ShapeError("the mask must be boolean (True = may attend)", code="mask_not_bool")
    try:
        shape = np.broadcast_shapes(*(m.shape for m in arrays))
    except ValueError as exc:
        raise ShapeError(
            f"masks of shapes {[m.shape for m in arrays]} do not broadcast together",
            code="mask_shape",
            got=arrays[-1].shape,
            expected=arrays[0].shape,
        ) from exc
    out = np.ones(shape, dtype=bool)
    for m in arrays:
        out &= m
    return out


def batch_self_attention(
    x: ArrayLike,
    w_q: ArrayLike | None = None,
    w_k: ArrayLike | None = None,
    w_v: ArrayLike | None = None,
    *,
    lengths: Sequence[int] | None = None,
    causal: bool = False,
    mask: ArrayLike | None = None,
    scale: bool = True,
    temperature: float = 1.0,
    fully_masked: str = "raise",
) -> AttentionResult:
    """Self-attention over a padded batch, each sentence on its own, with the masks it asks for.

    Q = X·W_q, K = X·W_k, V = X·W_v per sentence (X itself where a W is None), then
    :func:`attention_core.attention` with the AND of: the key-padding mask of ``lengths`` (None:
    no padding mask, the pads are ordinary keys), the causal mask when ``causal``, and ``mask``
    (any boolean array broadcastable to (batch, n, n), e.g. keys a learner ticked off).

    Shapes: x (batch, n, d_in) [or (n, d_in), one sentence]; each W (d_in, d_·) ->
    an :class:`~attention_core.AttentionResult` with q, k (batch, n, d_k), v (batch, n, d_v),
    weights (batch, n, n), output (batch, n, d_v), and ``.mask`` the combined mask (or None).

    With ``lengths``, row i < lengths[b] of sentence b equals the unpadded sentence's row i
    (weights on its real keys, and output), to rounding.

    >>> x = np.array([[[1., 0.], [0., 1.], [9., 9.]]])          # one sentence: 2 tokens + a pad
    >>> r = batch_self_attention(x, lengths=[2], scale=False)
    >>> r.weights[0, :2].round(4).tolist()
    [[0.7311, 0.2689, 0.0], [0.2689, 0.7311, 0.0]]
    """
    check_fully_masked(fully_masked)
    xa = as_matrix(x, "X", ndim=(2, 3))
    flat = xa.reshape(-1, xa.shape[-1])  # (batch·n, d_in): one projection for every token
    proj = []
    for w, name in ((w_q, "W_q"), (w_k, "W_k"), (w_v, "W_v")):
        p = flat if w is None else project(flat, w, name)
        proj.append(p.reshape(*xa.shape[:-1], p.shape[-1]))
    n = xa.shape[-2]
    pad_mask = None
    if lengths is not None:
        batch = 1 if xa.ndim == 2 else xa.shape[0]
        if len(lengths) != batch:
            raise ShapeError(
                f"{len(lengths)} lengths for {batch} sentences: one length per sentence",
                name="lengths",
                expected=batch,
                got=len(lengths),
            )
        pad_mask = padding_mask(lengths, n)
        if xa.ndim == 2:
            pad_mask = pad_mask[0]
    combined = combine_masks(pad_mask, causal_mask(n) if causal else None, mask)
    return attention(*proj, scale=scale, temperature=temperature, mask=combined, fully_masked=fully_masked)


def weight_on_pads(weights: ArrayLike, lengths: Sequence[int]) -> Array:
    """How much weight each query gives the pads: Σ of its weights on keys j >= lengths[b].

    Shapes: weights (batch, n_q, n), lengths (batch,) -> (batch, n_q); 0 everywhere under a
    key-padding mask.

    >>> weight_on_pads([[[0.5, 0.3, 0.2]]], [1]).tolist()
    [[0.5]]
    """
    w = as_matrix(weights, "weights", ndim=(3,))
    if len(lengths) != w.shape[0]:
        raise ShapeError(
            f"{len(lengths)} lengths for {w.shape[0]} sentences: one length per sentence",
            name="lengths",
            expected=w.shape[0],
            got=len(lengths),
        )
    pads = ~padding_mask(lengths, w.shape[-1])  # (batch, 1, n): True on the pads
    return np.where(pads, w, 0.0).sum(axis=-1)
