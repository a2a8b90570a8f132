"""Random embedding tables and projection matrices, exactly as seed 000 draws them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .errors import LimitError, ShapeError, UnknownWordError
from .limits import MAX_MODEL_DIM, MAX_SEQUENCE_TOKENS, SEED_LIMIT

Array = NDArray[np.float64]


@dataclass(frozen=True)
class RandomTables:
    """Seed 000's random draws, in its order.

    - ``embeddings`` (vocab_size, dim): one row per vocabulary entry
    - ``w_q``, ``w_k``, ``w_v`` (dim, dim)
    """

    embeddings: Array
    w_q: Array
    w_k: Array
    w_v: Array


def check_seed(seed: int) -> int:
    """Return ``seed`` as an int, or raise :class:`LimitError` unless 0 <= seed < 2**32."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < SEED_LIMIT:
        raise LimitError(
            f"the random seed must be a whole number from 0 to {SEED_LIMIT - 1}",
            name="seed",
            low=0,
            limit=SEED_LIMIT - 1,
        )
    return int(seed)


def random_tables(vocab_size: int, dim: int, seed: int = 42) -> RandomTables:
    """Draw the embedding table, then W_q, W_k, W_v, each uniform in [0, 1).

    Shapes: -> embeddings (vocab_size, dim); w_q, w_k, w_v (dim, dim).

    Identical to seed 000's ``np.random.seed(seed); np.random.rand(vocab_size, dim)``
    followed by three ``np.random.rand(dim, dim)``, but on a private
    ``RandomState`` so numpy's global generator is left alone.
    """
    if not 1 <= vocab_size <= MAX_SEQUENCE_TOKENS:
        raise LimitError(
            f"the vocabulary must have 1 to {MAX_SEQUENCE_TOKENS} words (got {vocab_size})",
            name="tokens",
            low=1,
            limit=MAX_SEQUENCE_TOKENS,
        )
    if not 1 <= dim <= MAX_MODEL_DIM:
        raise LimitError(
            f"the embedding size must be 1 to {MAX_MODEL_DIM} (got {dim})", name="dim", low=1, limit=MAX_MODEL_DIM
        )
    rng = np.random.RandomState(check_seed(seed))
    emb = rng.rand(vocab_size, dim)
    return RandomTables(emb, rng.rand(dim, dim), rng.rand(dim, dim), rng.rand(dim, dim))


def embed(tokens: Sequence[str], vocab: Mapping[str, int], table: Array) -> Array:
    """Look up each token's row: seed 000's ``[embedding_matrix[vocab[w]] for w in sentence]``.

    Shapes: n tokens, table (vocab_size, dim) -> (n, dim).
    """
    missing = [t for t in tokens if t not in vocab]
    if missing:
        raise UnknownWordError(f"not in the vocabulary: {missing[0]!r}", word=missing[0])
    idx = [vocab[t] for t in tokens]
    if idx and max(idx) >= len(table):
        raise ShapeError(
            "the embedding table has fewer rows than the vocabulary",
            name="embeddings",
            expected=max(idx) + 1,
            got=len(table),
        )
    return np.asarray(table, dtype=np.float64)[idx]
